import Foundation
import TestSupport

/// Paths and one-time builds the guest tests share: the DLLs under `Guest/bin`, the test
/// programs (built by `Guest/programs/build.sh`), and `guestrun`, the small Unicorn executive
/// in `Guest/tools` that runs programs on the DLLs without the debugger.
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

    /// The test programs, built once per test run (nil: the build failed, see `programsError`).
    static let programs: Result<URL, any Error> = {
        let out = temporaryFolder("programs")
        do {
            try build(
                "/bin/sh", [folder.appendingPathComponent("programs/build.sh").path, out.path])
            return .success(out)
        } catch {
            return .failure(error)
        }
    }()

    /// guestrun, compiled once against the system's libunicorn.
    static let guestrun: Result<String, any Error> = {
        let out = temporaryFolder("guestrun").appendingPathComponent("guestrun").path
        do {
            try build(
                "/usr/bin/env",
                [
                    "cc", "-O2", "-o", out, folder.appendingPathComponent("tools/guestrun.c").path,
                    "-lunicorn",
                ])
            return .success(out)
        } catch {
            return .failure(error)
        }
    }()

    /// What a program printed and its whole exit code, run on the DLLs under guestrun in a
    /// fresh sandbox folder.
    struct Run {
        var stdout: String
        var stderr: String
        var exitCode: UInt32?
        var status: Int32
        /// Standard output without carriage returns (msvcrt's text mode writes CR LF, and a
        /// CR LF of the program's own as CR CR LF).
        var text: String { stdout.replacingOccurrences(of: "\r", with: "") }
    }

    static func run(_ program: URL, arguments: [String] = [], quantum: Int? = nil) throws -> Run {
        let runner = try guestrun.get()
        let sandbox = temporaryFolder("sandbox")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        var options = ["-L", bin.path, "-s", sandbox.path, "-n", "4000000000"]
        if let quantum { options += ["-q", String(quantum)] }
        let result = try runProcess(runner, options + [program.path] + arguments, timeout: 300)
        var code: UInt32?
        for line in result.stderr.split(separator: "\n")
        where line.hasPrefix("guestrun: exit code 0x") {
            code = UInt32(line.dropFirst("guestrun: exit code 0x".count), radix: 16)
        }
        return Run(
            stdout: result.stdout, stderr: result.stderr, exitCode: code, status: result.status)
    }
}
