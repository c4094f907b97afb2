import Emulation
import Engine
import FoundationEssentials
import HostSystem
import LiveTargets

/// Starting a program under the simulated machine (`xcdb [options] program.exe [arguments]`).
enum LiveLaunch {
    /// Starts the program as the session's target and runs it to its initial breakpoint.
    /// Returns false (after saying why) when it cannot.
    static func start(_ options: DebuggerOptions, program: String, session: Session) -> Bool {
        guard LiveProcessTarget.emulatorAvailable else {
            session.post(
                .error,
                "Cannot start \(program): the emulator library (libunicorn 2) is not installed.")
            return false
        }
        var process = ProcessOptions()
        guard let system = systemFolder(options) else {
            session.post(
                .error,
                "Cannot start \(program): the guest system DLLs (ntdll.dll, kernel32.dll, "
                    + "msvcrt.dll) were not found. Name their folder with -sysdir or "
                    + "XCDB_GUEST_BIN.")
            return false
        }
        process.systemFolder = system
        if let cap = options.memoryCapMiB { process.memoryCap = cap << 20 }
        if let quantum = options.quantum { process.quantum = quantum }
        if let seed = options.seed { process.seed = seed }
        process.sandboxFolder = options.sandboxFolder
        if let input = options.inputFile {
            guard let data = FileManager.default.contents(atPath: input) else {
                session.post(.error, "Cannot read the program input file \(input).")
                return false
            }
            process.standardInput = [UInt8](data)
        }
        let target: LiveProcessTarget
        do {
            target = try LiveProcessTarget(
                program: program, arguments: options.programArguments, options: process)
        } catch {
            session.post(.error, "Cannot start \(program): \(error)")
            return false
        }
        // The system DLLs' symbols join the symbol path.
        let symbols = PathText.join(system, "symbols")
        if FileManager.default.fileExists(atPath: symbols) {
            session.withState { state in
                state.symbolPath =
                    state.symbolPath.isEmpty
                    ? "srv*" + symbols : state.symbolPath + ";srv*" + symbols
            }
        }
        return session.startLive(
            target, ignoreInitialBreakpoint: options.ignoreInitialBreakpoint,
            ignoreFinalBreakpoint: options.ignoreFinalBreakpoint)
    }

    /// `-sysdir`, then `XCDB_GUEST_BIN`, then `Guest/bin` above the executable, then in the
    /// source tree this was built from.
    static func systemFolder(_ options: DebuggerOptions) -> String? {
        func holdsDLLs(_ folder: String) -> Bool {
            FileManager.default.fileExists(
                atPath: PathText.join(folder, "ntdll.dll"))
        }
        if let folder = options.systemFolder { return folder }
        if let folder = HostEnvironment.value("XCDB_GUEST_BIN"), !folder.isEmpty {
            return folder
        }
        var candidates: [String] = []
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
            .resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("Guest/bin").path)
            candidates.append(directory.appendingPathComponent("share/xcdb/guest").path)
            directory.deleteLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(source.appendingPathComponent("Guest/bin").path)
        return candidates.first(where: holdsDLLs)
    }
}
