/// The command line of `xcdb-triage`, GNU style (`-j 4`, `--timeout=30`, `--help`).
public struct TriageOptions: Equatable, Sendable {
    /// Dumps and directories to analyse (or, with `--merge`, JSON Lines files to merge).
    public var inputs: [String] = []
    /// Worker processes at once; nil: one per online processor.
    public var jobs: Int?
    /// Passed to every worker as `-y`.
    public var symbolPath: String?
    /// Where the JSON lines go; nil: standard output.
    public var outputPath: String?
    /// Wall-clock seconds a worker may run before it is killed.
    public var timeoutSeconds = 120
    /// CPU seconds a worker may use (RLIMIT_CPU); nil: the wall-clock timeout.
    public var cpuSeconds: Int?
    /// Address-space limit of a worker in MiB (RLIMIT_AS).
    public var memoryMiB = 8192
    /// The worker executable; nil: `xcdb` beside `xcdb-triage`, else on `PATH`.
    public var workerPath: String?
    /// Read JSON Lines files made elsewhere instead of analysing dumps.
    public var merge = false
    /// No summary table.
    public var quiet = false
    public var showHelp = false
    public var showVersion = false

    public init() {}

    /// The CPU limit in effect.
    public var effectiveCPUSeconds: Int { cpuSeconds ?? timeoutSeconds }

    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ arguments: [String]) throws(Error) -> TriageOptions {
        var options = TriageOptions()
        var index = 0
        var onlyInputs = false
        func value(_ name: String, inline: String?) throws(Error) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw Error(message: "\(name) needs a value") }
            return arguments[index]
        }
        func positive(_ name: String, _ text: String) throws(Error) -> Int {
            guard let number = Int(text), number > 0, number <= 1 << 30 else {
                throw Error(message: "\(name) needs a positive whole number, not '\(text)'")
            }
            return number
        }
        while index < arguments.count {
            let argument = arguments[index]
            defer { index += 1 }
            if onlyInputs || !argument.hasPrefix("-") || argument == "-" {
                options.inputs.append(argument)
                continue
            }
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            } else if !argument.hasPrefix("--"), argument.count > 2,
                ["-j", "-y", "-o"].contains(String(argument.prefix(2)))
            {
                name = String(argument.prefix(2))
                inline = String(argument.dropFirst(2))
            }
            switch name {
            case "--": onlyInputs = true
            case "-j", "--jobs": options.jobs = try positive(name, value(name, inline: inline))
            case "-y", "--symbol-path": options.symbolPath = try value(name, inline: inline)
            case "-o", "--output": options.outputPath = try value(name, inline: inline)
            case "--timeout":
                options.timeoutSeconds = try positive(name, value(name, inline: inline))
            case "--cpu-limit":
                options.cpuSeconds = try positive(name, value(name, inline: inline))
            case "--memory-limit":
                options.memoryMiB = try positive(name, value(name, inline: inline))
            case "--worker": options.workerPath = try value(name, inline: inline)
            case "--merge": options.merge = true
            case "-q", "--quiet": options.quiet = true
            case "-h", "--help", "-?": options.showHelp = true
            case "-V", "--version": options.showVersion = true
            default: throw Error(message: "unknown option '\(argument)'")
            }
        }
        if !options.showHelp, !options.showVersion, options.inputs.isEmpty {
            throw Error(
                message: options.merge
                    ? "--merge needs JSON Lines files" : "no dumps or directories given")
        }
        return options
    }

    public static let usage = """
        usage: xcdb-triage [options] DIR-or-DUMP...
               xcdb-triage --merge [options] RESULTS.jsonl...

        Analyses every dump in parallel, each in its own worker process (xcdb -z DUMP -json)
        under time and memory limits, writes one JSON line per dump (a dump that cannot be
        read gets a line with its error) and prints the crash signatures by count.
        Directories are searched recursively for *.dmp, *.mdmp and *.minidump files.

        Options:
          -j, --jobs N            workers at once (default: one per processor)
          -y, --symbol-path PATH  symbol path for every worker (xcdb -y)
          -o, --output FILE       write the JSON lines to FILE (default: standard output;
                                  the summary then goes to standard error)
              --timeout SECONDS   wall-clock limit per dump; the worker is killed (default 120)
              --cpu-limit SECONDS CPU-time limit per dump, RLIMIT_CPU (default: the timeout)
              --memory-limit MiB  address-space limit per worker, RLIMIT_AS (default 8192)
              --worker PATH       the analysing program (default: xcdb beside xcdb-triage)
              --merge             read JSON Lines files made elsewhere (xcdb -json, GNU
                                  parallel, other machines) and summarise them together
          -q, --quiet             no summary table
          -h, --help              this help
          -V, --version           print the version and exit

        A progress line (done, rate, time left) is shown when standard error is a terminal.
        Exit status: 0 when every dump was analysed, 1 on a usage error, 3 when some dumps
        gave errors.
        """
}
