import Engine
import Foundation
import Testing

@Suite struct SessionTests {
    @Test func unknownCommandsGiveCDBErrors() {
        let harness = SessionHarness()
        // The caret sits under the command, past the `xcdb> ` prompt.
        #expect(harness.run("zz") == ["      ^ Syntax error in 'zz'"])
        #expect(harness.run(".echo a; zz") == ["a", "               ^ Syntax error in 'zz'"])
        #expect(harness.run("!nosuch -v") == ["No export nosuch found"])
        #expect(harness.run(".nosuch") == ["      ^ Syntax error in '.nosuch'"])
    }

    @Test func anErrorStopsTheRestOfTheLine() {
        let harness = SessionHarness()
        #expect(harness.run("zz; .echo after") == ["      ^ Syntax error in 'zz'"])
    }

    @Test func echoAndComments() {
        let harness = SessionHarness()
        #expect(harness.run(".echo hello world") == ["hello world"])
        #expect(harness.run(".echo \"a;b\"") == ["a;b"])
        #expect(harness.run(".echo a; $$ note; .echo b; * rest; .echo c") == ["a", "b"])
    }

    @Test func commandsAreEchoedWithThePrompt() {
        let harness = SessionHarness()
        harness.run(".echo x")
        let echo = harness.capture.all.first
        #expect(echo?.kind == .commandEcho)
        #expect(echo?.text == "xcdb> .echo x")
        #expect(echo?.origin == .console)
    }

    @Test func quitEndsTheSession() {
        let harness = SessionHarness()
        #expect(harness.session.execute("q", from: .console) == .quit)
        #expect(harness.capture.lines == ["quit:"])
    }

    @Test func quitFromARemoteParticipantDoesNotEndTheSession() {
        let harness = SessionHarness()
        let remote = CommandSource(
            .remote(
                RemoteParticipant(
                    id: 1, user: "ann", host: "box", style: .remoteExe, readOnly: false)))
        #expect(harness.session.execute("q", from: remote) == .proceed)
        #expect(harness.session.execute("qq", from: remote) == .quit)
    }

    @Test func readOnlyParticipantsMayNotChangeTheSession() {
        let harness = SessionHarness()
        let viewer = CommandSource(
            .remote(
                RemoteParticipant(
                    id: 2, user: "bob", host: "box", style: .remoteExe, readOnly: true)))
        let lines = harness.run(".logopen /tmp/never.log", from: viewer)
        #expect(lines.count == 1)
        #expect(lines.first?.contains("read-only") == true)
        #expect(harness.run(".echo fine", from: viewer) == ["fine"])
    }

    @Test func emptyLineRepeatsOnlyRepeatableCommands() {
        let harness = SessionHarness()
        harness.run(".echo once")
        #expect(harness.run("") == [])
    }

    @Test func targetCommandsNeedATarget() {
        var table = Builtins.table
        table.register(Command(name: "k", summary: "stack", requirements: .target) { _ in })
        table.register(Command(name: "g", summary: "go", requirements: .liveTarget) { _ in })
        let harness = SessionHarness(table: table)
        #expect(harness.run("k").first?.hasPrefix("No target: 'k' needs one.") == true)
        #expect(harness.run("g") == ["      ^ No runnable debuggees error in 'g'"])
    }

    @Test func helpListsFromTheTable() {
        let harness = SessionHarness()
        let dot = harness.run(".help")
        #expect(dot.first == ". commands:")
        #expect(dot.contains { $0.hasPrefix("   .logopen ") })
        #expect(!dot.contains { $0.hasPrefix("   q ") })
        let regular = harness.run("?")
        #expect(regular.contains("   q - quit: end the debugging session and exit"))
        let one = harness.run(".help .logclose")
        #expect(one.first == ".logclose")
        #expect(harness.run(".help .log*").count == 4)
        #expect(harness.run(".help nosuch").first?.hasPrefix("No command named") == true)
    }

    @Test func openDumpWithoutFormatsSaysSo() {
        let harness = SessionHarness()
        let lines = harness.run(".opendump /nonexistent.dmp")
        #expect(lines == ["Opening dump files is not supported yet in this build of xcdb."])
    }

    @Test func outputOrderIsTheSameForEverySink() async {
        let harness = SessionHarness()
        let second = CaptureSink()
        harness.session.hub.add(second)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask { _ = await harness.session.submit(".echo \(i)", from: .console) }
            }
        }
        #expect(harness.capture.all == second.all)
        #expect(harness.capture.lines.count == 20)
    }
}

@Suite struct ArgumentCheckTests {
    @Test func commandsWithoutArgumentsRefuseStrayText() {
        let harness = SessionHarness()
        #expect(harness.run("qq2") == ["        ^ Syntax error in 'qq2'"])
        #expect(harness.run(".cls now") == ["           ^ Syntax error in '.cls now'"])
        #expect(harness.session.execute("q", from: .console) == .quit)
    }

    @Test func cppEvaluatorNeedsATarget() {
        let harness = SessionHarness()
        #expect(harness.run("?? @rip").first?.hasPrefix("No target: '??' needs one") == true)
    }
}
