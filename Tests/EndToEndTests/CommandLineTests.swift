import Foundation
import TestSupport
import Testing

/// The executables as a script or a pipe uses them: options, exit codes, plain-line input.
@Suite struct CommandLineTests {
    let xcdb = Products.path("xcdb")

    @Test func pipedCommandsGiveNoPromptNoise() throws {
        let result = try runProcess(xcdb, ["-kqm"], input: ".echo hi\n.echo there\nq\n")
        #expect(result.status == 0)
        #expect(result.lines == ["hi", "there", "quit:"])
        #expect(!result.stdout.contains("\u{1b}"))
    }

    @Test func endOfInputEndsTheSession() throws {
        let result = try runProcess(xcdb, ["-kqm"], input: ".echo last")
        #expect(result.status == 0)
        #expect(result.lines == ["last"])
    }

    @Test func initialCommandsRunFirst() throws {
        let result = try runProcess(
            xcdb, ["-kqm", "-c", ".echo a; .echo b"], input: ".echo c\nq\n")
        #expect(result.lines == ["a", "b", "c", "quit:"])
    }

    @Test func bannerSaysHowToOpenATarget() throws {
        let result = try runProcess(xcdb, [], input: "q\n")
        #expect(result.lines.first?.hasPrefix("xcdb - CDB-compatible debugger for Linux") == true)
        #expect(result.stdout.contains("Open a crash dump with .opendump FILE"))
    }

    @Test(arguments: [["-frobnicate"], ["-z"], ["stray"], ["-c"], ["-clines", "x"]])
    func badOptionsExitWithUsageError(arguments: [String]) throws {
        let result = try runProcess(xcdb, arguments, input: "q\n")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("xcdb: "))
        #expect(result.stderr.contains("-?"))
        #expect(result.stdout.isEmpty)
    }

    /// A started program's files live in a sandbox folder xcdb makes in `$TMPDIR`; quitting
    /// (which exits without releasing the session) must still remove it.
    @Test func quittingRemovesTheSandboxOfAStartedProgram() throws {
        let program = try GuestPrograms.folder() + "/p_files-mingw.exe"
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-sandbox-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let result = try runProcess(
            xcdb, ["-c", "g; q", program], environment: ["TMPDIR": temporary], timeout: 120)
        // The program wrote and read its file in the sandbox, so the folder was there.
        #expect(result.stdout.contains("read 5 lines, eof 1"), "\(result.stdout)")
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary) == [])
    }

    @Test func helpOptionPrintsUsage() throws {
        let result = try runProcess(xcdb, ["-?"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("usage: xcdb [options]"))
    }

    @Test func commandFileAndLogFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("start.txt").path
        let log = dir.appendingPathComponent("session.log").path
        try ".echo from file\n".write(toFile: script, atomically: true, encoding: .utf8)
        let result = try runProcess(
            xcdb, ["-kqm", "-cf", script, "-logo", log], input: ".echo typed\nq\n")
        #expect(
            result.lines == [
                "Opened log file '\(log)'", "xcdb> .echo from file", "from file", "typed", "quit:",
            ])
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.contains("xcdb> .echo typed\ntyped\n"))
    }

    @Test func kernelDebuggerUsesTheKdPrompt() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            .path
        let result = try runProcess(
            Products.path("xkd"), ["-kqm", "-logo", log], input: ".echo k\nq\n")
        #expect(result.status == 0)
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.contains("kd> .echo k\n"))
    }
}
