import Engine
import Synchronization

/// Collects every event a hub emits.
final class CaptureSink: OutputSink {
    private let events = Mutex<[OutputEvent]>([])

    func receive(_ event: OutputEvent) {
        events.withLock { $0.append(event) }
    }

    var all: [OutputEvent] { events.withLock { $0 } }

    /// Output and error lines (no echoes), in order.
    var lines: [String] {
        all.filter { $0.kind == .output || $0.kind == .error }.map(\.text)
    }

    func reset() { events.withLock { $0.removeAll() } }
}

/// A session with the built-in commands and a capture sink, for driving commands in tests.
struct SessionHarness {
    let session: Session
    let capture = CaptureSink()

    init(
        mode: DebuggerMode = .user, table: CommandTable = Builtins.table,
        openers: [any TargetOpener] = []
    ) {
        session = Session(mode: mode, programName: "xcdb", table: table, openers: openers)
        session.hub.add(capture)
    }

    /// Runs one line as the console user and returns the output and error lines it produced.
    @discardableResult
    func run(_ line: String, from source: CommandSource = .console) -> [String] {
        capture.reset()
        session.execute(line, from: source)
        return capture.lines
    }
}
