import DumpTargets
import Engine
import Synchronization
import TestSupport

/// A session with a corpus dump open, driven through real commands.
final class DumpSession: @unchecked Sendable {
    final class Capture: OutputSink {
        let lines = Mutex<[String]>([])
        func receive(_ event: OutputEvent) {
            guard event.kind == .output || event.kind == .error else { return }
            lines.withLock { $0.append(event.text) }
        }
    }

    let session: Session
    let capture = Capture()
    let openLines: [String]

    init(_ dumpName: String, symbols: Bool = true) {
        session = Session(
            mode: .user, programName: "xcdb", table: Builtins.table,
            openers: [MinidumpOpener(), KernelDumpRecognizer()])
        session.hub.add(capture)
        if symbols {
            session.withState { $0.symbolPath = Corpus.symbols.path }
        }
        session.execute(".opendump \(Corpus.dump(dumpName))", from: .startup, echo: false)
        openLines = capture.lines.withLock { lines in
            defer { lines.removeAll() }
            return lines
        }
    }

    var isOpen: Bool { session.withState { $0.target != nil } }

    /// Output and error lines of one command line.
    func run(_ line: String) -> [String] {
        capture.lines.withLock { $0.removeAll() }
        session.execute(line, from: .console, echo: false)
        return capture.lines.withLock { $0 }
    }
}
