import Engine
import Foundation
import TestSupport
import Testing

@Suite struct LogAndScriptTests {
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test func logFileHoldsWhatWasShown() throws {
        let harness = SessionHarness()
        let path = temporaryPath("a.log")
        #expect(harness.run(".logopen \(path)") == ["Opened log file '\(path)'"])
        harness.run(".echo inside")
        #expect(harness.run(".logfile") == ["Log '\(path)' open"])
        #expect(harness.run(".logclose") == ["Closing open log file \(path)"])
        harness.run(".echo after")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text == """
                Opened log file '\(path)'
                xcdb> .echo inside
                inside
                xcdb> .logfile
                Log '\(path)' open
                xcdb> .logclose
                Closing open log file \(path)

                """)
        #expect(harness.run(".logfile") == ["No log file open"])
    }

    @Test func logAppendKeepsEarlierText() throws {
        let harness = SessionHarness()
        let path = temporaryPath("b.log")
        try "earlier\n".write(toFile: path, atomically: true, encoding: .utf8)
        harness.run(".logappend \(path)")
        harness.run(".logclose")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("earlier\nOpened log file"))
    }

    @Test func timestampedLogNames() {
        let date = Date(timeIntervalSince1970: 1_109_581_550.935)
        let name = LogNaming.timestamped(
            "/logs/mylogfile.txt", date: date, timeZone: .gmt, pid: 0x2bc)
        #expect(name == "/logs/mylogfile_02BC_2005-02-28_09-05-50-935.txt")
    }

    @Test func scriptsEchoEachLine() throws {
        let harness = SessionHarness()
        let path = temporaryPath("s.txt")
        try ".echo one\n\n.echo two\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        harness.capture.reset()
        harness.session.execute("$<\(path)", from: .console)
        let shown = harness.capture.all.map(\.text)
        #expect(shown == ["xcdb> $<\(path)", "xcdb> .echo one", "one", "xcdb> .echo two", "two"])
    }

    @Test func scriptArgumentsAreSubstituted() throws {
        let harness = SessionHarness()
        let path = temporaryPath("args.txt")
        try ".echo ${$arg1} and ${$arg2} of ${$n}; .echo ${$arg3}".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(
            harness.run("$$>a<\(path) first \"se cond\"") == ["first and se cond of 2", "${$arg3}"])
    }

    @Test func scriptsThatRunThemselvesStop() throws {
        let harness = SessionHarness()
        let path = temporaryPath("loop.txt")
        try "$$<\(path)".write(toFile: path, atomically: true, encoding: .utf8)
        let lines = harness.run("$$<\(path)")
        #expect(
            lines == [
                "Stopped: commands nested more than 32 levels deep "
                    + "(~ prefixes and scripts inside each other)."
            ])
        // The session goes on.
        #expect(harness.run(".echo after") == ["after"])
    }

    @Test func devicesAndPipesAreRefusedWithoutWaiting() throws {
        let harness = SessionHarness(openers: [])
        let fifo = temporaryPath("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        #expect(harness.run("$< /dev/zero") == ["Script file '/dev/zero' is not a regular file"])
        #expect(harness.run("$<\(fifo)") == ["Script file '\(fifo)' is not a regular file"])
        #expect(
            harness.run(".logopen \(fifo)")
                == ["Unable to open log file '\(fifo)': not a regular file"])
        #expect(harness.session.withState { $0.log == nil })
        #expect(harness.run(".echo after") == ["after"])
        let dump = DumpSession("win-x86-xpsp2-breakpad-minidump2.dmp")
        #expect(
            dump.run(".opendump \(fifo)")
                == ["Could not open dump file [\(fifo)]: not a regular file"])
        #expect(dump.isOpen)
    }

    @Test func missingScriptsAreReported() {
        let harness = SessionHarness()
        #expect(harness.run("$<  /no/such/file") == ["Couldn't open script file '/no/such/file'"])
    }
}
