import DumpTargets
import Engine
import Synchronization

/// An xcdb session with the real command table and a dump opened through `.opendump`, driven
/// through commands the way a person types them.
public final class DumpSession: @unchecked Sendable {
    /// Collects output and error lines.
    final class Capture: OutputSink {
        let lines = Mutex<[String]>([])
        func receive(_ event: OutputEvent) {
            guard event.kind == .output || event.kind == .error else { return }
            lines.withLock { $0.append(event.text) }
        }
    }

    public let session: Session
    let capture = Capture()
    /// What opening the dump printed.
    public let openLines: [String]

    /// Opens `path` (a full path) with `symbolPath` as the symbol path, if any.
    public init(path: String, symbolPath: String? = nil) {
        session = Session(
            mode: .user, programName: "xcdb", table: Builtins.table,
            openers: [MinidumpOpener(), KernelDumpRecognizer()])
        session.hub.add(capture)
        if let symbolPath {
            session.withState { $0.symbolPath = symbolPath }
        }
        session.execute(".opendump \(path)", from: .startup, echo: false)
        openLines = capture.lines.withLock { lines in
            defer { lines.removeAll() }
            return lines
        }
    }

    /// Opens a corpus dump by name, with the corpus symbol store on the symbol path.
    public convenience init(_ dumpName: String, symbols: Bool = true) {
        self.init(path: Corpus.dump(dumpName), symbolPath: symbols ? Corpus.symbols.path : nil)
    }

    public var isOpen: Bool { session.withState { $0.target != nil } }

    /// Output and error lines of one command line.
    public func run(_ line: String) -> [String] {
        capture.lines.withLock { $0.removeAll() }
        session.execute(line, from: .console, echo: false)
        return capture.lines.withLock { $0 }
    }
}

extension Corpus {
    /// The corpus dump with the most threads (where nested `~*` prefixes multiply fastest),
    /// and its thread count; ("", 0) for an empty corpus.
    public static let dumpWithMostThreads: (name: String, threads: Int) = {
        var best = ("", 0)
        for name in allDumps() {
            let count = DumpSession(name).session.withState { $0.target?.threads.count ?? 0 }
            if count > best.1 { best = (name, count) }
        }
        return best
    }()
}
