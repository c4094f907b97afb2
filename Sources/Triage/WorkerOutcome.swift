import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a finished worker into its JSON line: the worker's own document when it wrote one,
/// else an error object saying what happened to it (killed at the time limit, out of memory,
/// crashed).
enum WorkerOutcome {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The line to write and what the summary counts, from one parse of the document.
    static func result(for finished: WorkerPool.Finished, options: TriageOptions) -> (
        line: String, result: ResultLine
    ) {
        let text = String(decoding: finished.output, as: UTF8.self)
        let document = text.split(separator: "\n").first.map(String.init) ?? ""
        let exitedNormally = finished.status >= 0 && isExited(finished.status)
        let exitCode = exitedNormally ? exitStatus(finished.status) : -1
        if !finished.timedOut, exitCode == 0 || exitCode == 2,
            let parsed = try? JSONParser.parse(document), parsed["version"] != nil
        {
            return (document, ResultLine(document: parsed, fallbackFile: finished.dump))
        }
        let message = reason(finished, exitCode: exitCode, options: options)
        return (
            error(finished.dump, message),
            ResultLine(file: finished.dump, outcome: .error(message))
        )
    }

    static func error(_ dump: String, _ message: String) -> String {
        AnalysisDocument.error(file: dump, message: message)
    }

    private static func reason(
        _ finished: WorkerPool.Finished, exitCode: Int32, options: TriageOptions
    )
        -> String
    {
        if finished.status < 0 { return finished.errorText }
        if finished.timedOut {
            return "the worker was killed at the \(options.timeoutSeconds) s time limit"
        }
        // The last line of what the worker said is usually the reason (an exception's message).
        let lastLine = finished.errorText.split(separator: "\n").last {
            !$0.trimmingWhitespace().isEmpty
        }
        let detail = lastLine.map { ": " + $0.trimmingWhitespace() } ?? ""
        if exitCode >= 0 {
            return "the worker exited with status \(exitCode) without an analysis\(detail)"
        }
        let signal = finished.status & 0x7f
        switch signal {
        case SIGXCPU:
            return
                "the worker was stopped at the \(options.effectiveCPUSeconds) s CPU-time limit "
                + "(SIGXCPU)"
        case SIGKILL:
            return
                "the worker was killed (SIGKILL: the CPU-time limit's hard stop at "
                + "\(options.effectiveCPUSeconds + 1) s, or the system ran out of memory)"
        default:
            return
                "the worker died of signal \(signal) (memory limit \(options.memoryMiB) MiB)"
                + detail
        }
    }

    private static func isExited(_ status: Int32) -> Bool { status & 0x7f == 0 }
    private static func exitStatus(_ status: Int32) -> Int32 { (status >> 8) & 0xff }
}

/// Where JSON lines go: a file or standard output.
final class ResultSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    init?(path: String?) {
        guard let path else {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
            return
        }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard opened >= 0 else { return nil }
        descriptor = opened
        ownsDescriptor = true
    }

    func write(_ line: String) {
        if ownsDescriptor {
            StandardStream.write(line + "\n", to: descriptor)
        } else {
            StandardStream.output(line + "\n")
        }
    }

    func close() {
        if ownsDescriptor { _ = systemClose(descriptor) }
    }
}

#if canImport(Glibc)
    private let systemClose = Glibc.close
#else
    private let systemClose = Darwin.close
#endif

/// Where this executable is, and its siblings.
enum ExecutablePath {
    static func current() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CommandLine.arguments.first ?? "xcdb-triage"
    }

    /// `name` in the same directory as `path` when it is there, else `name` (found on PATH).
    static func sibling(_ name: String, of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        let candidate = String(path[...slash]) + name
        return access(candidate, X_OK) == 0 ? candidate : name
    }

    static func processorCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
