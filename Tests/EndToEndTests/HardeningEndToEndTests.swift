import Foundation
import TestSupport
import Testing

/// The repros against real processes: each gives one clear error line and the debugger
/// (or the shared server) goes on.
@Suite(.serialized) struct HardeningEndToEndTests {
    /// The lines that crashed or stalled the debugger, and the error each must give instead.
    static let repros: [(line: String, error: String)] = [
        (".frame -1", "Bad frame number error in '.frame -1'"),
        ("dd 0 ffffffff`ffffffff", "Range error in 'dd 0 ffffffff`ffffffff'"),
        ("db 0 ffffffff`ffffffff", "Range error in 'db 0 ffffffff`ffffffff'"),
        ("dps 0 ffffffff`ffffffff", "Range error in 'dps 0 ffffffff`ffffffff'"),
        ("dyd 0 ffffffff`ffffffff", "Range error in 'dyd 0 ffffffff`ffffffff'"),
        ("s -d 0 ffffffff`ffffffff 0", "Range error in 's -d 0 ffffffff`ffffffff 0'"),
        (
            String(repeating: "~* ", count: 10_000) + ".echo deep",
            "Stopped: commands nested more than 32 levels deep"
        ),
        ("~* ~* ~* ~* .echo wide", "Stopped: this line ran 10000 commands"),
    ]

    static func busiestDump() throws -> String {
        let (name, threads) = Corpus.dumpWithMostThreads
        try #require(threads >= 10, "the corpus needs a dump with many threads")
        return Corpus.dump(name)
    }

    @Test func eachReproGivesOneErrorAndTheDebuggerGoesOn() throws {
        let input = Self.repros.map(\.line) + [".echo alive", "q"]
        let result = try runProcess(
            Products.path("xcdb"), ["-kqm", "-z", try Self.busiestDump()],
            input: input.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        for repro in Self.repros {
            let count = result.lines.filter { $0.contains(repro.error) }.count
            #expect(count == 1, "\(repro.error): \(count) times")
        }
        #expect(!result.lines.contains("deep"))
        #expect(result.lines.suffix(2) == ["alive", "quit:"])
    }

    @Test func aSharedServerSurvivesTheReprosAndReadOnlyScripts() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let server = try RunningProgram(
            Products.path("xcdb"), ["-kqm", "-z", try Self.busiestDump()],
            environment: scratch.environment)
        defer { server.send("q") }
        server.send(".server npipe:pipe=hardened")
        #expect(server.waitFor("Server started with 'npipe:pipe=hardened'", seconds: 60))
        let member = try RunningProgram(
            Products.path("xcdb"), ["-remote", "npipe:server=.,pipe=hardened"],
            environment: scratch.environment)
        #expect(server.waitFor("(npipe:Pipe=hardened) connected at", seconds: 60))
        for repro in Self.repros { member.send(repro.line) }
        member.send(".echo MEMBER-DONE")
        #expect(member.waitFor("\nMEMBER-DONE\n", seconds: 120))
        for repro in Self.repros {
            #expect(server.text.components(separatedBy: repro.error).count - 1 == 1)
        }

        // A read-only participant's script says what it may not: refused line by line.
        let script = scratch.path + "/takeover.txt"
        try ["q", "qq", "g", ".echo SCRIPT-DONE"].joined(separator: "\n").write(
            toFile: script, atomically: true, encoding: .utf8)
        server.send(".remote hardened_ro")
        #expect(server.waitFor("xremote /c", seconds: 60))
        let viewer = try RunningProgram(
            Products.path("xremote"), ["/c", ".", "hardened_ro", "/ro"],
            environment: scratch.environment)
        #expect(server.waitFor("**Remote: Connected to", seconds: 60))
        viewer.send("$<\(script)")
        #expect(viewer.waitFor("\nSCRIPT-DONE\n", seconds: 60))
        for name in ["q", "qq", "g"] {
            #expect(
                viewer.text.contains("'\(name)' is not allowed: you joined this session read-only"))
        }
        server.send(".echo SERVER-ALIVE")
        #expect(server.waitFor("\nSERVER-ALIVE\n", seconds: 60))
        #expect(member.waitFor("\nSERVER-ALIVE\n", seconds: 60))
        #expect(server.process.isRunning)
        viewer.send("@Q")
        member.closeInput()
        #expect(viewer.exitCode(within: 60) == 0)
        #expect(member.exitCode(within: 60) == 0)
        #expect(server.process.isRunning)
    }
}
