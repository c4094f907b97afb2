import Emulation
import Foundation
import Synchronization
import TestSupport

/// Paths and one-time builds the guest tests share: the DLLs under `Guest/bin`, the test
/// programs (built by `Guest/programs/build.sh`), and a runner that starts a program on them
/// in the simulated machine.
enum Guest {
    static let folder = Corpus.projectRoot.appendingPathComponent("Guest")
    static let bin = folder.appendingPathComponent("bin")
    static let toolchain =
        ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] ?? "/opt/swift/usr/bin"

    /// A fresh folder under the temporary directory.
    static func temporaryFolder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-guest-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a build step; throws with its output when it fails.
    static func build(_ program: String, _ arguments: [String], timeout: TimeInterval = 600) throws
    {
        let result = try runProcess(program, arguments, timeout: timeout)
        guard result.status == 0, !result.timedOut else {
            throw BuildError(
                command: ([program] + arguments).joined(separator: " "),
                output: result.stderr + result.stdout)
        }
    }

    struct BuildError: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command) failed:\n\(output)" }
    }

    /// The test programs, built once per test process (shared with the other suites).
    static var programs: Result<URL, any Error> {
        Result { URL(fileURLWithPath: try GuestPrograms.folder()) }
    }

    /// What a program printed and how it ended, run on the DLLs in the simulated machine (the
    /// `Emulation` module) in a fresh sandbox folder, answering events as a program without a
    /// debugger would see them.
    struct Run {
        var stdout: String
        /// The program's standard error, then one line per event the run passed through
        /// (`second chance exception c0000005 at ...`, `deadlock: ...`).
        var stderr: String
        var exitCode: UInt32?
        /// What each thread waited for when every thread waited forever; nil otherwise.
        var deadlock: [ThreadWaitInfo]?
        /// Standard output without carriage returns (msvcrt's text mode writes CR LF, and a
        /// CR LF of the program's own as CR CR LF).
        var text: String { stdout.replacingOccurrences(of: "\r", with: "") }
    }

    /// Console bytes collected from the machine's thread.
    private final class Console: Sendable {
        let streams = Mutex<(output: [UInt8], error: [UInt8])>(([], []))
        func append(_ chunk: ConsoleOutput) {
            streams.withLock {
                switch chunk.stream {
                case .output: $0.output += chunk.bytes
                case .error: $0.error += chunk.bytes
                }
            }
        }
    }

    /// Runs `program` to its end; `codeBreakpoints` are set first (a hit fails the run's log).
    static func run(
        _ program: URL, arguments: [String] = [], quantum: UInt64? = nil,
        codeBreakpoints: [UInt64] = []
    ) throws -> Run {
        let sandbox = temporaryFolder("sandbox")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let console = Console()
        var options = ProcessOptions()
        options.systemFolder = bin.path
        options.sandboxFolder = sandbox.path
        if let quantum { options.quantum = quantum }
        options.consoleOutput = { console.append($0) }
        let process = try EmulatedProcess(
            program: program.path, arguments: arguments, options: options)
        for (index, address) in codeBreakpoints.enumerated() {
            try process.setBreakpoint(id: index, at: address)
        }
        // A program that never ends is stopped (and the test fails) rather than hanging.
        let watchdog = DispatchWorkItem { [breakSwitch = process.breakSwitch] in
            breakSwitch.request()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 240, execute: watchdog)
        defer { watchdog.cancel() }
        var log: [String] = []
        var deadlock: [ThreadWaitInfo]?
        var answer = ContinueStatus.handled
        events: while true {
            let event = process.run(answer)
            answer = .handled
            switch event.kind {
            case .exception(let info):
                let chance = info.firstChance ? "first" : "second"
                log.append(
                    "\(chance) chance exception \(String(info.code, radix: 16)) at "
                        + String(info.address, radix: 16))
                // Breakpoints are the debugger's (the initial one); the program handles the rest.
                if !(info.code == 0x8000_0003 && info.firstChance) { answer = .notHandled }
            case .deadlock(let waits):
                deadlock = waits
                log.append("deadlock: \(waits)")
                break events
            case .breakpoint(let id, let address):
                log.append("breakpoint \(id) hit at " + String(address, radix: 16))
            case .unimplementedImport(let module, let function):
                log.append("unimplemented import \(module)!\(function)")
            case .breakRequested:
                log.append("stopped: still running after 240 s")
                break events
            case .processExited:
                break events
            default:
                continue
            }
        }
        let streams = console.streams.withLock { $0 }
        return Run(
            stdout: String(decoding: streams.output, as: UTF8.self),
            stderr: String(decoding: streams.error, as: UTF8.self) + log.joined(separator: "\n"),
            exitCode: process.exitCode, deadlock: deadlock)
    }
}
