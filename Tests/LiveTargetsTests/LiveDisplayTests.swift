import Engine
import Foundation
import Testing

/// The crash-dump commands on a stopped live target, and the read-only rule on a live target.
@Suite(.serialized) struct LiveDisplayTests {
    static let viewer = CommandSource(
        .remote(
            RemoteParticipant(id: 7, user: "viv", host: "box", style: .remoteExe, readOnly: true)))
    static let refusal = "is not allowed: you joined this session read-only"

    /// Display commands at a breakpoint inside the program: each prints something and no
    /// error, as on a dump.
    @Test func displayCommandsWorkAtAStop() throws {
        let live = try LiveSession(LivePrograms.path("p_exit", "mingw"))
        live.run("bp kernel32!WriteFile")
        #expect(live.run("g").contains("Breakpoint 0 hit"))
        let forms = [
            "r", "r rip", "k", "kb", "kn", "kv", "kc", "~", "~* k", "lm", "lmv m ntdll", "u",
            "u @rip L3",
            "ub @rip", "uf kernel32!WriteFile", "db @rsp L20", "dd @rsp L8", "dq @rsp L4",
            "dps @rsp L4",
            "da @rcx L4", "dt ntdll!_PEB @$peb", "!peb", "!teb", "!address @rip", "!handle", "!gle",
            "ln @rip", "x kernel32!Write*", "? @$exentry", "s -d @rsp L100 0", ".lastevent", "|",
            "vertarget", ".frame 1", "!analyze -v",
        ]
        for form in forms {
            let shown = live.run(form)
            #expect(!shown.isEmpty, "'\(form)' printed nothing")
            let errors = shown.filter { $0.contains("^ ") && $0.contains("error") }
            #expect(errors.isEmpty, "'\(form)': \(errors)")
        }
        let stack = live.run("kc")
        #expect(stack.first?.hasSuffix("Call Site") == true)
        #expect(live.run("lm").contains { $0.contains("msvcrt") })
        #expect(live.run("~").first?.hasPrefix(".  0  Id: ") == true)
        #expect(live.run("!teb").contains { $0.contains("StackBase") })
    }

    /// A read-only participant may look but not run, break, edit or change registers.
    @Test func readOnlyParticipantsAreRefusedChangesOnALiveTarget() throws {
        let live = try LiveSession(LivePrograms.path("p_exit", "mingw"))
        let before = live.session.withState { $0.currentRegisters }
        for line in [
            "g", "p", "t", "bp kernel32!WriteFile", "ed @rsp 1", "r rax=1", "sxe ld", ".kill",
        ] {
            live.session.execute(line, from: Self.viewer, echo: false)
            let shown = live.output.suffix(2)
            #expect(shown.contains { $0.contains(Self.refusal) }, "'\(line)': \(shown)")
        }
        #expect(live.session.withState { $0.currentRegisters } == before)
        #expect(live.session.withState { $0.live.breakpoints.isEmpty })
        for line in ["r", "k", "lm", "bl", "sx", "~"] {
            let count = live.output.count
            live.session.execute(line, from: Self.viewer, echo: false)
            let shown = live.output.dropFirst(count)
            #expect(!shown.contains { $0.contains(Self.refusal) }, "'\(line)'")
        }
    }
}
