import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `xcdb-triage`: analyses dumps with a pool of limited workers (or merges JSON Lines made
/// elsewhere), writes one JSON line per dump and prints the summary table.
public enum TriageRun {
    public static func main(_ arguments: [String]) -> Int32 {
        StandardStream.ignoreBrokenPipes()
        let options: TriageOptions
        do {
            options = try TriageOptions.parse(arguments)
        } catch {
            StandardStream.errorLine("xcdb-triage: \(error.message)")
            StandardStream.errorLine("Run 'xcdb-triage --help' for the options.")
            return 1
        }
        if options.showHelp {
            StandardStream.output(TriageOptions.usage + "\n")
            return 0
        }
        if options.showVersion {
            StandardStream.output("xcdb-triage \(XcdbVersion.number)\n")
            return 0
        }
        guard let sink = ResultSink(path: options.outputPath) else {
            StandardStream.errorLine(
                "xcdb-triage: cannot write \(options.outputPath ?? "standard output")")
            return 1
        }
        var summary = TriageSummary()
        if options.merge {
            for path in options.inputs {
                guard merge(path, into: &summary, sink: sink) else { return 1 }
            }
        } else {
            let dumps = DumpDiscovery.files(for: options.inputs)
            do {
                try analyse(dumps, options: options, summary: &summary, sink: sink)
            } catch {
                StandardStream.errorLine("xcdb-triage: \(error.description)")
                return 1
            }
        }
        sink.close()
        if !options.quiet {
            let table = summary.table()
            if options.outputPath == nil {
                StandardStream.error(table)
            } else {
                StandardStream.output(table)
            }
        }
        return summary.errors > 0 ? 3 : 0
    }

    static func analyse(
        _ dumps: [String], options: TriageOptions, summary: inout TriageSummary, sink: ResultSink
    ) throws(TriageError) {
        let worker =
            options.workerPath ?? ExecutablePath.sibling("xcdb", of: ExecutablePath.current())
        let pool = try WorkerPool(
            workerPath: worker,
            workerArguments: options.symbolPath.map { ["-y", $0] } ?? [],
            limits: WorkerPool.Limits(
                timeoutSeconds: options.timeoutSeconds, cpuSeconds: options.effectiveCPUSeconds,
                memoryMiB: options.memoryMiB),
            jobs: options.jobs ?? ExecutablePath.processorCount())
        let showProgress = isatty(STDERR_FILENO) == 1
        var progress = ProgressLine(total: dumps.count, start: WorkerOutcome.now())
        var done = 0
        pool.run(dumps) { finished in
            let (line, result) = WorkerOutcome.result(for: finished, options: options)
            sink.write(line)
            summary.add(result)
            done += 1
            if showProgress {
                progress.draw(done: done, errors: summary.errors, now: WorkerOutcome.now())
            }
        }
        if showProgress { progress.clear() }
    }

    /// Adds the lines of a JSON Lines file; false (after saying why) when it cannot be read.
    static func merge(_ path: String, into summary: inout TriageSummary, sink: ResultSink) -> Bool {
        guard let file = fopen(path, "r") else {
            StandardStream.errorLine("xcdb-triage: cannot read \(path)")
            return false
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var number = 0
        while getline(&buffer, &capacity, file) > 0, let buffer {
            number += 1
            let line = String(cString: buffer).trimmingWhitespace()
            if line.isEmpty { continue }
            var result = ResultLine(line: line, fallbackFile: "\(path):\(number)")
            if result.isError, (try? JSONParser.parse(line)) == nil {
                // Keep the run's output valid JSON Lines: a broken line becomes an error line.
                result.outcome = .error("\(path):\(number) is not a JSON analysis line")
                sink.write(
                    AnalysisDocument.error(
                        file: result.file, message: "line \(number) of \(path) is not JSON"))
            } else {
                sink.write(line)
            }
            summary.add(result)
        }
        return true
    }
}

extension StandardStream {
    static func errorLine(_ text: String) {
        error(text + "\n")
    }
}
