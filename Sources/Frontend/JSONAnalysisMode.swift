import Engine

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// `xcdb -z DUMP -json`: opens the dump with no banner, prints `!analyze -json`'s document on
/// standard output and exits. When the dump cannot be opened or analysed, prints a JSON error
/// object instead (so a batch always gets one document per dump) and exits with status 2.
enum JSONAnalysisMode {
    static func run(options: DebuggerOptions, mode: DebuggerMode, programName: String) -> Int32 {
        guard options.dumpFiles.count == 1, let dump = options.dumpFiles.first,
            options.program == nil
        else {
            Launcher.printError("\(programName): -json needs exactly one dump (-z DumpFile)")
            return 1
        }
        let session = SessionFactory.makeSession(mode: mode, programName: programName)
        let collector = EventCollector()
        session.hub.add(collector)
        session.withState { state in
            state.symbolPath = options.symbolPath ?? environment("_NT_SYMBOL_PATH") ?? ""
            state.imagePath = options.imagePath ?? ""
        }
        var document: String?
        if session.execute(".opendump \(dump)", from: .startup, echo: false) == .proceed,
            session.withState({ $0.target != nil })
        {
            collector.reset()
            _ = session.execute("!analyze -json", from: .startup, echo: false)
            document = collector.outputs.last { $0.hasPrefix("{") }
        }
        if let document {
            StandardStream.output(document + "\n")
            return 0
        }
        let message =
            collector.errors.last.map(cleanError) ?? "the dump could not be analysed"
        StandardStream.output(
            AnalysisDocument.error(file: dump, message: message) + "\n")
        return 2
    }

    /// Drops CDB's `^ ` error marker and surrounding space.
    private static func cleanError(_ text: String) -> String {
        var text = Substring(text)
        if text.hasPrefix("^ ") { text = text.dropFirst(2) }
        return text.trimmingWhitespace()
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}

/// Keeps the output and error lines a session emits.
final class EventCollector: OutputSink, @unchecked Sendable {
    // Written by the session's queue, read after `execute` returns (which waits for it).
    private(set) var outputs: [String] = []
    private(set) var errors: [String] = []

    func receive(_ event: OutputEvent) {
        switch event.kind {
        case .output: outputs.append(event.text)
        case .error: errors.append(event.text)
        default: break
        }
    }

    func reset() {
        outputs.removeAll()
        errors.removeAll()
    }
}
