import Engine
import Foundation
import Testing

/// Scripts and nested commands carry the identity and rights of whoever started them: a script
/// can do exactly what its starter could type.
@Suite struct ScriptRightsTests {
    static func participant(_ id: Int, readOnly: Bool) -> CommandSource {
        CommandSource(
            .remote(
                RemoteParticipant(
                    id: id, user: "p\(id)", host: "box", style: .debuggerServer, readOnly: readOnly)
            ))
    }

    static func script(_ name: String, _ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "xcdb-rights-\(getpid())-\(name)-\(UUID().uuidString)"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aReadOnlyParticipantsScriptIsRefusedLineByLineAsIfTyped() throws {
        let harness = SessionHarness()
        let viewer = Self.participant(3, readOnly: true)
        let path = try Self.script("ro", [".echo looking", "q", "g", "n 8", ".echo still here"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let typed = ["q", "g", "n 8"].map { harness.run($0, from: viewer) }
        harness.capture.reset()
        #expect(harness.session.execute("$<\(path)", from: viewer) == .proceed)
        let lines = harness.capture.lines
        #expect(
            lines == [
                "looking",
                "'q' is not allowed: you joined this session read-only",
                "'g' is not allowed: you joined this session read-only",
                "'n 8' is not allowed: you joined this session read-only",
                "still here",
            ])
        // Exactly the refusals the same lines get when typed.
        #expect(typed.map(\.first) == Array(lines[1...3]))
        #expect(harness.session.withState { $0.radix } == 16)
        // Script lines are echoed as the script's, attributed to the participant who ran it.
        let echoes = harness.capture.all.filter { $0.kind == .commandEcho }
        #expect(echoes.first?.origin == viewer)
        #expect(echoes.dropFirst().allSatisfy { $0.origin == viewer.runningScript() })
    }

    @Test func aParticipantsScriptSayingQDoesWhatTheirQDoes() throws {
        let harness = SessionHarness()
        let member = Self.participant(4, readOnly: false)
        let quit = try Self.script("q", ["q", ".echo after q"])
        defer { try? FileManager.default.removeItem(atPath: quit) }
        // Typed, `q` from a participant prints a note and the session goes on; so in a script.
        #expect(harness.session.execute("$<\(quit)", from: member) == .proceed)
        #expect(harness.capture.lines.first?.hasPrefix("q from a remote participant") == true)
        #expect(harness.capture.lines.last == "after q")
        let endAll = try Self.script("qq", ["qq"])
        defer { try? FileManager.default.removeItem(atPath: endAll) }
        #expect(harness.session.execute("$<\(endAll)", from: member) == .quit)
    }

    @Test func aLocalUsersScriptCanDoWhatTheLocalUserCan() throws {
        let harness = SessionHarness()
        let path = try Self.script("local", ["n 8", "q", ".echo not reached"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(harness.session.execute("$<\(path)", from: .console) == .quit)
        #expect(harness.session.withState { $0.radix } == 8)
        #expect(!harness.capture.lines.contains("not reached"))
    }

    @Test func scriptArgumentsCannotSmuggleAChange() throws {
        let harness = SessionHarness()
        let viewer = Self.participant(5, readOnly: true)
        let path = try Self.script("args", ["${$arg1} 8"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = harness.run("$$>a<\(path) n", from: viewer)
        #expect(lines == ["'n 8' is not allowed: you joined this session read-only"])
        #expect(harness.session.withState { $0.radix } == 16)
    }
}
