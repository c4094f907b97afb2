import DumpFormat
import DumpTargets
import Engine
import Foundation

/// What stays the same for the whole fuzzing run: the corpus dumps, a private working
/// directory (scripts, logs), and the command table.
struct FuzzEnvironment: Sendable {
    /// Corpus dumps, the one with the most threads first (`~*` multiplies there).
    let dumps: [String]
    let symbolPath: String
    /// Generated scripts live here, and logs may only be written here.
    let directory: String
    let table: CommandTable
    /// Every command name, for the grammar.
    let names: [String]
    /// `XCDB_FUZZ_VERBOSE=1`: print how long each line took (to find slow inputs).
    let verbose = ProcessInfo.processInfo.environment["XCDB_FUZZ_VERBOSE"] == "1"

    static let shared = FuzzEnvironment()

    static let scriptCount = 4

    func scriptPath(_ index: Int) -> String { directory + "/s\(index).txt" }

    private init() {
        let shared =
            ProcessInfo.processInfo.environment["XCDB_SHARED"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../shared").standardized.path
        let dumpDirectory = shared + "/corpus/dumps"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dumpDirectory)) ?? []
        var paths = names.filter { $0.hasSuffix(".dmp") }.sorted().map { dumpDirectory + "/" + $0 }
        guard !paths.isEmpty else {
            // Fuzzing without the corpus would test nothing: say so and stop.
            FileHandle.standardError.write(
                Data("FuzzCommandLine: no dumps in \(dumpDirectory)\n".utf8))
            exit(1)
        }
        let threads = paths.map { path -> Int in
            guard let opened = try? MinidumpOpener().open(path: path) else { return 0 }
            return opened.target.threads.count
        }
        if let busiest = threads.indices.max(by: { threads[$0] < threads[$1] }) {
            paths.swapAt(0, busiest)
        }
        symbolPath = dumpDirectory + "/symbols"
        directory = NSTemporaryDirectory() + "xcdb-fuzz-commands-\(getpid())"
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        // The x86 dumps again as WOW64 processes (`.effmach`, `!wow64exts.sw`, the x86 view),
        // beside the working directory (which each input empties).
        let wow64Directory = directory + "-wow64"
        try? FileManager.default.createDirectory(
            atPath: wow64Directory, withIntermediateDirectories: true)
        for path in paths where path.contains("win-x86-") {
            let name = (path as NSString).lastPathComponent
            let output = wow64Directory + "/" + name
            guard let source = try? Minidump(path: path),
                let builder = try? Wow64Dump.rewrap(
                    source, comment: "FuzzCommandLine: \(name) under WOW64"),
                (try? builder.write(to: output)) != nil
            else { continue }
            paths.append(output)
        }
        dumps = paths
        table = Self.confinedTable(to: directory)
        self.names = table.commands.flatMap(\.allNames).sorted()
    }

    /// The built-in table, with logs confined to the working directory so random lines cannot
    /// write files elsewhere.
    private static func confinedTable(to directory: String) -> CommandTable {
        var table = Builtins.table
        for name in [".logopen", ".logappend"] {
            guard var command = table.command(named: name) else { continue }
            let real = command.handler
            command.handler = { invocation in
                guard !invocation.trimmedArguments.contains("/") else {
                    throw CommandError.message("fuzzing: logs stay in the fuzzer's directory")
                }
                // Relative names land in the fuzzer's directory (libFuzzer itself needs the
                // working directory it was started in; the harness is single-threaded).
                let previous = FileManager.default.currentDirectoryPath
                _ = FileManager.default.changeCurrentDirectoryPath(directory)
                defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
                try real(invocation)
            }
            table.register(command)
        }
        return table
    }

    /// A fresh session on dump `index`, bounded so no input runs long.
    func session(dump index: Int) -> Session {
        let session = Session(
            mode: .user, programName: "xcdb", table: table,
            openers: [MinidumpOpener(), KernelDumpRecognizer()],
            hub: OutputHub(scrollbackLimit: 32))
        session.hub.add(DiscardingSink())
        session.limits = ExecutionLimits(
            maximumDepth: 32, maximumCommands: 2_000, timeLimit: FuzzPlan.lineTime)
        session.withState { $0.symbolPath = symbolPath }
        session.execute(
            ".opendump \(dumps[index % dumps.count])", from: .startup, echo: false)
        return session
    }

    /// Empties the working directory (logs of the last input) and writes this input's scripts.
    func prepare(scripts: [[String]]) {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
            try? manager.removeItem(atPath: directory + "/" + name)
        }
        for index in 0..<Self.scriptCount {
            let lines = index < scripts.count ? scripts[index] : []
            _ = manager.createFile(
                atPath: scriptPath(index), contents: Data(lines.joined(separator: "\n").utf8))
        }
    }
}

/// Output goes nowhere: the fuzzer checks behaviour, not text.
final class DiscardingSink: OutputSink {
    func receive(_ event: OutputEvent) {}
}
