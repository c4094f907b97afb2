import Dispatch
import Engine
import FoundationEssentials
import Glibc
import HostSystem

/// Starts a debugger process: parses the command line, builds the session, prints the banner,
/// runs start-up commands and then reads commands until `q` or end of input.
public enum Launcher {
    /// Runs the debugger and returns the process exit code.
    public static func run(mode: DebuggerMode, programName: String, arguments: [String]) -> Int32 {
        StandardStream.ignoreBrokenPipes()
        let options: DebuggerOptions
        do {
            options = try DebuggerOptions.parse(arguments)
        } catch {
            printError("\(programName): \(error.message)")
            printError("Run '\(programName) -?' for the list of options.")
            return 1
        }
        if options.showHelp {
            print(DebuggerOptions.usage(programName: programName))
            return 0
        }
        if options.listCommands {
            print(SessionFactory.commandTable().completions(forPrefix: "").joined(separator: "\n"))
            return 0
        }
        if options.showVersionNumber {
            print("\(programName) \(XcdbVersion.number)")
            return 0
        }
        if options.showVersion {
            print(XcdbVersion.bannerLine(programName: programName))
            return 0
        }
        if options.json {
            return JSONAnalysisMode.run(options: options, mode: mode, programName: programName)
        }
        if let transport = options.remote {
            return RemoteClientMode.run(
                transport: transport, options: options, programName: programName)
        }
        if options.dumpFiles.count > 1 {
            printError("\(programName): only one -z dump can be open at a time")
            return 1
        }

        if let program = options.program, !FileManager.default.fileExists(atPath: program) {
            printError("\(programName): cannot start '\(program)': no such file")
            printError("Run '\(programName) -?' for the list of options.")
            return 1
        }

        var console = ConsoleSetup.detect()
        let session = SessionFactory.makeSession(mode: mode, programName: programName)
        var interactive: InteractiveConsole?
        if console.isInteractive {
            do {
                let editor = try InteractiveConsole(table: session.table)
                console.writer = editor.writer
                interactive = editor
            } catch {
                printError(
                    "\(programName): line editing unavailable (\(error)); reading plain lines")
            }
        }
        session.hub.add(TerminalSink(writer: console.writer, isTerminal: console.isInteractive))
        let sharing = RemoteWiring.install(in: session, programName: programName)
        defer { sharing.shutdown() }
        ExitPaths.install(sharing: sharing)
        session.withState { state in
            state.commandLine = Secrets.redacted(([programName] + arguments).joined(separator: " "))
            state.symbolPath =
                options.symbolPath ?? HostEnvironment.value("_NT_SYMBOL_PATH") ?? ""
            state.imagePath = options.imagePath ?? ""
            state.verbose = options.verbose
            state.sourceLines = options.sourceLines
            state.symbols.noisy = options.noisySymbols
            state.symbols.sourcePath =
                options.sourcePath ?? HostEnvironment.value("_NT_SOURCE_PATH") ?? ""
        }
        if let log = options.logFile {
            let verb = log.append ? ".logappend" : ".logopen"
            session.execute("\(verb) \(log.path)", from: .startup, echo: false)
        }
        if !options.quiet {
            session.post(.output, XcdbVersion.bannerLine(programName: programName))
            session.post(.output, "")
        }
        if let transport = options.server {
            guard RemoteWiring.startServer(transport, in: session) else { return 1 }
        }
        if let program = options.program {
            guard options.dumpFiles.isEmpty else {
                printError("\(programName): a dump (-z) and a program cannot be opened together")
                return 1
            }
            guard LiveLaunch.start(options, program: program, session: session) else { return 1 }
        } else if let dump = options.dumpFiles.first {
            guard session.openTarget(path: dump) else { return 1 }
        } else if !options.quiet {
            SessionFactory.postNoTargetBanner(session, programName: programName)
        }

        if let file = options.commandFile {
            if session.execute("$$<\(file)", from: .startup, echo: false) == .quit { return 0 }
        }
        if let commands = options.initialCommands {
            if console.isInteractive {
                console.writer.write(
                    session.prompt + "\(programName): Reading initial command '\(commands)'\n")
            }
            if session.execute(commands, from: .startup, echo: true) == .quit { return 0 }
        }
        let router = ConsoleLineRouter(session: session, sharing: sharing, writer: console.writer)
        if !options.noConsoleInput {
            let code =
                interactive.map { $0.run(router: router) } ?? PlainInputLoop(router: router).run()
            // `q` ends everything; the end of console input leaves a shared session running.
            if code != 0 || !sharing.isSharing || router.quitRequested { return code }
            console.writer.write(
                "Console input ended; the shared session goes on (a participant's qq ends it).\n")
        }
        while true { pause() }
    }

    static func printError(_ text: String) {
        StandardStream.error(text + "\n")
    }
}

extension Session {
    /// Opens a dump as the start-up target; false (after printing why) when it cannot.
    func openTarget(path: String) -> Bool {
        let outcome = execute(".opendump \(path)", from: .startup, echo: false)
        return outcome == .proceed && withState { $0.target != nil }
    }
}
