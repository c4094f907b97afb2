import Foundation
import TestSupport
import Testing

/// The live workflow at a real terminal (tmux): start a program, set breakpoints, run, step,
/// read the stack, break into a busy loop with Ctrl-C.
@Suite(.serialized) struct LiveTerminalTests {
    let xcdb = Products.path("xcdb")

    @Test func breakpointsStepsAndStackAtATerminal() throws {
        #expect(TerminalSession.isAvailable, "tmux is needed")
        let program = try LivePrograms.path("w_threads", "mingw")
        let terminal = try TerminalSession(command: "\(xcdb) \(program)", height: 60)
        #expect(try terminal.waitFor(text: "ntdll!LdrpDoDebuggerBreak:"))
        #expect(try terminal.waitFor(text: "0:000>"))
        try terminal.enter("bu kernel32!WaitForSingleObject")
        try terminal.enter("g")
        #expect(try terminal.waitFor(text: "Breakpoint 0 hit"))
        // Into the system function, one instruction at a time, then to the wait itself.
        try terminal.enter("t")
        #expect(try terminal.waitFor(text: "kernel32!WaitForSingleObject+0x"))
        try terminal.enter("bp ntdll!NtWaitForSingleObject")
        try terminal.enter("g")
        #expect(try terminal.waitFor(text: "Breakpoint 1 hit"))
        try terminal.enter("kc")
        let stack = try terminal.waitFor { screen in
            screen.contains { $0.hasSuffix("ntdll!NtWaitForSingleObject") }
                && screen.contains { $0.contains("kernel32!WaitForSingleObject") }
                && screen.contains { $0.hasSuffix("ntdll!RtlUserThreadStart+0x22") }
        }
        #expect(stack.satisfied, "\(stack.screen.suffix(20))")
        try terminal.enter("~")
        #expect(try terminal.waitFor(text: "  Id: "))
        try terminal.enter("q")
        #expect(try terminal.waitFor(text: "[exit 0]"))
    }

    @Test func controlCBreaksIntoABusyLoop() throws {
        #expect(TerminalSession.isAvailable, "tmux is needed")
        let terminal = try TerminalSession(command: "\(xcdb) \(try LivePrograms.spinner)")
        #expect(try terminal.waitFor(text: "0:000>"))
        try terminal.enter("g")
        #expect(try terminal.waitFor(text: "spinning"))
        try terminal.press("C-c")
        #expect(
            try terminal.waitFor(text: "Break instruction exception - code 80000003 (first chance)")
        )
        #expect(
            try terminal.waitFor { $0.last(where: { !$0.isEmpty })?.hasPrefix("0:000>") == true }
                .satisfied)
        // It runs on and breaks in again.
        try terminal.enter("g")
        try terminal.press("C-c")
        let twice = try terminal.waitFor { screen in
            screen.filter { $0.contains("Break instruction exception - code 80000003") }.count >= 2
        }
        #expect(twice.satisfied, "\(twice.screen.suffix(10))")
        try terminal.enter("q")
        #expect(try terminal.waitFor(text: "[exit 0]"))
    }

    @Test func dataBreakpointOnAWrite() throws {
        let program = try LivePrograms.path("p_exit", "mingw")
        // A write breakpoint on the stack slot the next call writes its return address to.
        let result = try runProcess(
            xcdb,
            ["-c", "bp kernel32!WriteFile; g; ba w8 @rsp-8; g; .lastevent; q", program],
            timeout: 120)
        #expect(
            result.lines.contains { $0.hasSuffix("Hit breakpoint 1") }, "\(result.lines.suffix(20))"
        )
    }
}
