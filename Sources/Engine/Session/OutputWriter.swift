/// What a command writes through. Text is split into lines; a trailing partial line is held
/// until more text completes it or the command ends (`flush()`), so every sink sees whole lines.
public final class OutputWriter {
    private let hub: OutputHub
    private let origin: CommandSource
    private var pending = ""

    init(hub: OutputHub, origin: CommandSource) {
        self.hub = hub
        self.origin = origin
    }

    /// Writes one complete line.
    public func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes several complete lines.
    public func lines(_ texts: [String]) {
        for text in texts { line(text) }
    }

    /// Writes text that may contain newlines or end mid-line.
    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        pending += text
        guard pending.utf8.contains(UInt8(ascii: "\n")) else { return }
        var parts = pending.split(separator: "\n", omittingEmptySubsequences: false)
        pending = String(parts.removeLast())
        for part in parts {
            hub.emit(.output, String(part), origin: origin)
        }
    }

    /// Writes an error line (`^ Syntax error in '...'`).
    public func error(_ text: String) {
        flush()
        hub.emit(.error, text, origin: origin)
    }

    /// Emits a held partial line, if any.
    public func flush() {
        guard !pending.isEmpty else { return }
        hub.emit(.output, pending, origin: origin)
        pending = ""
    }

    /// Asks every terminal to clear its screen.
    public func clearScreen() {
        flush()
        hub.emit(.clearScreen, "", origin: origin)
    }
}
