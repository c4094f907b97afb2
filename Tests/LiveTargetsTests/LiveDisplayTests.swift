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

/// `rF` and `rX` on the live machine: the thread's x87 and SSE state as the emulator keeps it.
@Suite struct LiveFloatingPointTests {
    static let source = """
        #include <windows.h>
        volatile double seed = 1.5;
        int main(void) {
            double x = seed * 2.0;
            /* st0 = 1.0 (top becomes 7), xmm7 = 3.0 with its upper half cleared */
            __asm__ volatile("fld1\\n\\tmovsd %0, %%xmm7" : : "m"(x) : "xmm7");
            DebugBreak();
            return 0;
        }
        """

    @Test func x87AndSSERegistersOfAStoppedThread() throws {
        let live = try LiveSession(LivePrograms.mingw("fpstate", Self.source))
        #expect(live.run("g").contains { $0.contains("Break instruction exception") })
        let x87 = live.run("rF")
        // mingw-w64's start-up runs `fninit` (_fpreset): control word 037F, 64-bit precision.
        // One register in use: top 7, physical register 7 tagged valid (00), the rest empty.
        #expect(x87.first?.hasPrefix("fpcw=037F: rn 64 puozdi  fpsw=3800: top=7 ") == true)
        #expect(x87.first?.hasSuffix("fptw=3FFF") == true)
        #expect(
            x87.dropFirst(2).first?.hasPrefix("st0= 1.000000000000000000000e+0000  st1=") == true)
        // 3.0 is 0x4008000000000000: lanes, highest first, 0 0 2.125 0.
        let sse = live.run("rX")
        #expect(sse.count >= 16)
        #expect(sse.contains("xmm7=0 0 2.125 0"))
        #expect(live.run("rM 0x40") == sse)
    }
}
