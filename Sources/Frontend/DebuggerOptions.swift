import FoundationEssentials

/// The command line, parsed the way CDB reads it: options start with `-` (or `/`), most are
/// case-insensitive, single-letter flags may be merged (`-vn`), `-server`/`-remote` come first.
public struct DebuggerOptions: Equatable, Sendable {
    public var dumpFiles: [String] = []
    public var initialCommands: String?
    public var commandFile: String?
    public var logFile: LogOption?
    public var symbolPath: String?
    public var imagePath: String?
    public var sourcePath: String?
    public var verbose = false
    public var noisySymbols = false
    public var sourceLines = false
    public var quiet = false
    public var server: String?
    public var remote: String?
    public var historyLines: Int?
    public var showHelp = false
    public var showVersion = false
    /// `--version`: the GNU form, `xcdb 0.1.0` on one line.
    public var showVersionNumber = false
    /// `--list-commands`: every command name, one a line, for shell completion.
    public var listCommands = false
    /// `-json` (with `-z`): print the analysis as one JSON document and exit.
    public var json = false
    /// `-noio`: the console does no input; the session is driven by remote participants.
    public var noConsoleInput = false
    /// `xcdb [options] program.exe [arguments]`: the program to start and its own arguments.
    public var program: String?
    public var programArguments: [String] = []
    /// `-g`: do not stop at the initial breakpoint; `-G`: nor at the final one.
    public var ignoreInitialBreakpoint = false
    public var ignoreFinalBreakpoint = false
    /// `-sysdir Folder`: where the guest system DLLs come from (else `XCDB_GUEST_BIN`, else
    /// `Guest/bin` near the executable or in the source tree).
    public var systemFolder: String?
    /// `-memcap MiB`: the simulated process's memory cap.
    public var memoryCapMiB: UInt64?
    /// `-quantum N` / `-seed N`: the scheduler's slice length in instructions and its seed.
    public var quantum: UInt64?
    public var seed: UInt64?
    /// `-sandbox Folder`: the host folder the program sees as `C:\sandbox`.
    public var sandboxFolder: String?
    /// `-input File`: what the program reads from standard input.
    public var inputFile: String?

    public init() {}

    /// `-logo`/`-loga`.
    public struct LogOption: Equatable, Sendable {
        public var path: String
        public var append: Bool
    }
}

/// A command-line mistake: the message is printed with the usage hint and the program exits 1.
public struct OptionsError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension DebuggerOptions {
    /// Options that take a value, by lower-cased name.
    private static let valued: Set<String> = [
        "z", "c", "cf", "logo", "loga", "logou", "logau", "y", "i", "srcpath", "clines", "ee",
        "sysdir", "memcap", "quantum", "seed", "sandbox", "input",
    ]
    /// Flags that stand alone, by lower-cased name.
    private static let flags: Set<String> = [
        "v", "n", "lines", "kqm", "?", "version", "noio", "json",
    ]
    /// Single-letter flags that may be merged (`-vn`).
    private static let mergeable: Set<Character> = ["v", "n"]

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(OptionsError) -> DebuggerOptions {
        var options = DebuggerOptions()
        var index = 0
        func value(for name: String) throws(OptionsError) -> String {
            index += 1
            guard index < arguments.count else {
                throw OptionsError(message: "option -\(name) needs a value")
            }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            // The program comes last; everything after it is its own command line. A `/` starts
            // an option only when it is not a path to an existing file.
            let isOption =
                argument.count > 1
                && (argument.hasPrefix("-")
                    || argument.hasPrefix("/") && !FileManager.default.fileExists(atPath: argument))
            guard isOption else {
                options.program = argument
                options.programArguments = Array(arguments[(index + 1)...])
                break
            }
            // GNU-style long options, beside CDB's `-?` and `-version`.
            if argument == "--help" {
                options.showHelp = true
                index += 1
                continue
            }
            if argument == "--version" {
                options.showVersionNumber = true
                index += 1
                continue
            }
            if argument == "--list-commands" {
                options.listCommands = true
                index += 1
                continue
            }
            let name = String(argument.dropFirst())
            // `-g` and `-G` are case-sensitive (CDB's rule); they may be merged (`-gG`).
            if !name.isEmpty, name.allSatisfy({ $0 == "g" || $0 == "G" }) {
                if name.contains("g") { options.ignoreInitialBreakpoint = true }
                if name.contains("G") { options.ignoreFinalBreakpoint = true }
                index += 1
                continue
            }
            let lowered = name.lowercased()
            switch name {
            case "server", "remote":
                guard index == 0 else {
                    throw OptionsError(message: "-\(name) must be the first option")
                }
                let transport = try value(for: name)
                if name == "server" {
                    options.server = transport
                } else {
                    options.remote = transport
                }
                index += 1
                continue
            default: break
            }
            if valued.contains(lowered) {
                let text = try value(for: lowered)
                switch lowered {
                case "z": options.dumpFiles.append(text)
                case "c": options.initialCommands = text
                case "cf": options.commandFile = text
                case "logo", "logou": options.logFile = LogOption(path: text, append: false)
                case "loga", "logau": options.logFile = LogOption(path: text, append: true)
                case "y": options.symbolPath = text
                case "i": options.imagePath = text
                case "srcpath": options.sourcePath = text
                case "clines":
                    guard let lines = Int(text), lines >= 0 else {
                        throw OptionsError(message: "-clines needs a decimal number")
                    }
                    options.historyLines = lines
                case "sysdir": options.systemFolder = text
                case "sandbox": options.sandboxFolder = text
                case "input": options.inputFile = text
                case "memcap", "quantum", "seed":
                    guard let number = UInt64(text), number > 0 || lowered == "seed" else {
                        throw OptionsError(message: "-\(lowered) needs a decimal number")
                    }
                    switch lowered {
                    case "memcap":
                        guard number <= 1 << 20 else {
                            throw OptionsError(message: "-memcap is in MiB, at most 1048576")
                        }
                        options.memoryCapMiB = number
                    case "quantum": options.quantum = number
                    default: options.seed = number
                    }
                case "ee":
                    guard text.lowercased() == "masm" else {
                        throw OptionsError(
                            message: "-ee \(text): only the MASM evaluator is supported")
                    }
                default: break
                }
            } else if flags.contains(lowered) {
                switch lowered {
                case "v": options.verbose = true
                case "n": options.noisySymbols = true
                case "lines": options.sourceLines = true
                case "kqm": options.quiet = true
                case "?": options.showHelp = true
                case "version": options.showVersion = true
                case "noio": options.noConsoleInput = true
                case "json": options.json = true
                default: break
                }
            } else if !lowered.isEmpty, lowered.allSatisfy({ mergeable.contains($0) }) {
                for letter in lowered {
                    if letter == "v" { options.verbose = true }
                    if letter == "n" { options.noisySymbols = true }
                }
            } else {
                throw OptionsError(message: "unknown option '\(argument)'")
            }
            index += 1
        }
        return options
    }

    /// The `-?` text.
    public static func usage(programName: String) -> String {
        """
        usage: \(programName) [options] [program.exe [arguments]]

        Options (a leading / works as well as -):
          -z DumpFile        open a crash dump
          -json              with -z: print the analysis (!analyze -json) as one JSON
                             document and exit; a dump that cannot be read gives a JSON
                             error object and exit status 2
          program.exe ...    start a Windows x64 program under the simulated machine (last:
                             everything after it is the program's own command line)
          -g / -G            ignore the initial / final breakpoint of a started program
          -sysdir Folder     the guest system DLLs (default: XCDB_GUEST_BIN, else Guest/bin)
          -memcap MiB        the program's memory cap (default 1024)
          -quantum N         scheduler slice in instructions (default 100000); -seed N varies it
          -sandbox Folder    the host folder the program sees as C:\\sandbox (default: a new
                             empty temporary folder)
          -input File        what the program reads from standard input
          -c "cmd;cmd"       run these commands first
          -cf File           run the commands in File first
          -logo File         log the session to File (overwrite); -loga appends
          -y SymbolPath      symbol search path: directories and srv*DIR stores (PDBs,
                             Breakpad .sym files); nothing is fetched from the network
          -i ImagePath       executable image search path
          -srcpath Path      source search path (lsa, ls)
          -lines             enable source line support
          -v                 verbose output
          -n                 noisy symbol loading (say where every symbol file was looked for)
          -kqm               quiet: no banner
          -server Transport  share this session (npipe:pipe=NAME or tcp:port=N[,password=P])
          -remote Transport  join a shared session (npipe:server=HOST,pipe=NAME or
                             tcp:server=HOST,port=N[,password=P])
          -noio              with -server: read no console input; participants drive it
          -version           print the version banner and exit
          --version          print the program name and version number and exit
          -?, --help         this help

        In the debugger: .help lists meta-commands, ? lists commands, q quits.
        """
    }
}
