import Engine
import FoundationEssentials

/// Where console text goes: straight to standard output, or (while the line editor is active)
/// above the line being edited.
public protocol ConsoleWriter: Sendable {
    func write(_ text: String)
}

/// Writes to standard output with no buffering between lines, so output and prompts never
/// reorder.
public struct StandardOutputWriter: ConsoleWriter {
    public init() {}

    public func write(_ text: String) {
        StandardStream.output(text)
    }
}

/// Shows session output on the debugger's own console.
///
/// What the console user typed is already on their screen, so echoes of console commands are
/// not printed again; echoes of commands from scripts and remote participants are, so the
/// console shows the whole session.
public final class TerminalSink: OutputSink {
    private let writer: any ConsoleWriter
    private let isTerminal: Bool

    public init(writer: any ConsoleWriter, isTerminal: Bool) {
        self.writer = writer
        self.isTerminal = isTerminal
    }

    public func receive(_ event: OutputEvent) {
        switch event.kind {
        case .commandEcho:
            guard !event.origin.isConsole, event.origin != .startup else { return }
            writer.write(Attribution.echoLine(for: event) + "\n")
        case .clearScreen:
            // Only for whoever ran `.cls`: a remote participant's does not clear this screen.
            if isTerminal, event.isAddressed(toLocalConsole: true) {
                writer.write("\u{1b}[H\u{1b}[2J")
            }
        case .output, .error, .notice:
            writer.write(event.text + "\n")
        }
    }
}
