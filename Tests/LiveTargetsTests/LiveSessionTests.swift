import Engine
import Foundation
import Testing

/// Breakpoints, stepping, breaking in and the event filters on a live target, driven in-process
/// through the session as a person would type the commands.
@Suite(.serialized) struct LiveSessionTests {
    static func session(_ name: String = "p_exit") throws -> LiveSession {
        try LiveSession(LivePrograms.path(name, "mingw"))
    }

    @Test func startStopsAtTheInitialBreakpoint() throws {
        let live = try Self.session()
        let output = live.output
        #expect(output.contains { $0.hasPrefix("ModLoad: ") && $0.hasSuffix("kernel32.dll") })
        #expect(output.contains("ntdll!LdrpDoDebuggerBreak:"))
        #expect(
            live.run(".lastevent").first?.hasSuffix(
                "Break instruction exception - code 80000003 (first chance)") == true)
        #expect(live.session.prompt == "0:000> ")
    }

    @Test func breakpointOnAnExportHitsAndListsAsCDBDoes() throws {
        let live = try Self.session()
        live.run("bp kernel32!WriteFile")
        let listed = live.run("bl")
        #expect(listed.count == 1)
        #expect(listed.first?.hasPrefix(" 0 e 00007ffc`09") == true, "\(listed)")
        #expect(
            listed.first?.hasSuffix("     0001 (0001)  0:**** kernel32!WriteFile") == true,
            "\(listed)")
        let hit = live.run("g")
        #expect(hit.contains("Breakpoint 0 hit"), "\(hit)")
        #expect(hit.contains("kernel32!WriteFile:"))
        let stack = live.run("kc")
        #expect(stack.contains { $0.hasSuffix("kernel32!WriteFile") })
        #expect(stack.contains { $0.contains("msvcrt!") })
        #expect(stack.last?.hasSuffix("ntdll!RtlUserThreadStart+0x22") == true, "\(stack)")
        #expect(live.run(".lastevent").first?.hasSuffix("Hit breakpoint 0") == true)
    }

    @Test func passCountsAndCommandsThatResume() throws {
        // Count every WriteFile with a command that resumes.
        let counting = try Self.session()
        counting.run("bp kernel32!WriteFile \"r $t0 = @$t0 + 1; g\"")
        let all = counting.run("g")
        #expect(all.filter { $0 == "Breakpoint 0 hit" }.count >= 3, "\(all)")
        let total = try #require(
            UInt64(counting.run("? @$t0").first?.split(separator: " ")[2] ?? "", radix: 16))
        #expect(total >= 3)
        #expect(counting.run(".lastevent").first?.contains("Exit process") == true)

        // The third call stops; the calls after it number `total - 3`.
        let passing = try Self.session()
        passing.run("bp kernel32!WriteFile 3")
        #expect(passing.run("g").contains("Breakpoint 0 hit"))
        passing.run("bc 0")
        passing.run("bp kernel32!WriteFile \"r $t1 = @$t1 + 1; g\"")
        passing.run("g")
        let rest = try #require(
            UInt64(passing.run("? @$t1").first?.split(separator: " ")[2] ?? "", radix: 16))
        #expect(rest == total - 3)
    }

    @Test func clearDisableEnableTakeListsRangesAndStar() throws {
        let live = try Self.session()
        live.run("bp kernel32!WriteFile")
        live.run("bp msvcrt!puts")
        live.run("bp msvcrt!printf")
        live.run("bp5 msvcrt!exit")
        #expect(live.run("bl").count == 4)
        live.run("bd 0-2")
        #expect(live.run("bl").filter { $0.dropFirst(3).hasPrefix("d ") }.count == 3)
        live.run("be 1,2")
        #expect(live.run("bl").filter { $0.dropFirst(3).hasPrefix("e ") }.count == 3)
        live.run("bc 5")
        #expect(live.run("bl").count == 3)
        live.run("bc *")
        #expect(live.run("bl").isEmpty)
        // Nothing left to stop at: the program runs to its end.
        live.run("g")
        #expect(live.run(".lastevent").first?.contains("Exit process") == true)
        #expect(live.run("g").contains { $0.contains("No runnable debuggees error in 'g'") })
    }

    @Test func stepOutStepOverAndTraceInto() throws {
        let live = try Self.session()
        live.run("bp kernel32!WriteFile")
        live.run("g")
        let out = live.run("gu")
        #expect(out.contains { $0.hasPrefix("msvcrt!_write+") }, "\(out)")
        // Step until the current instruction is a call, then compare `p` and `t`.
        var found = false
        for _ in 0..<400 {
            if live.run("u @rip L1").last?.contains(" call ") == true {
                found = true
                break
            }
            live.run("t")
        }
        #expect(found)
        let before = try #require(live.session.withState { $0.currentRegisters })
        let call = try #require(live.run("u @rip L1").last)
        let afterOver = live.run("p")
        let after = try #require(live.session.withState { $0.currentRegisters })
        // `p` ran the whole call and stopped at the next instruction with the same stack.
        #expect(after.stackPointer == before.stackPointer, "\(call) \(afterOver)")
        #expect((after.instructionPointer ?? 0) > (before.instructionPointer ?? 0))
        #expect((after.instructionPointer ?? 0) - (before.instructionPointer ?? 0) <= 15)
        // `t` into a call enters the callee.
        for _ in 0..<400 {
            if live.run("u @rip L1").last?.contains(" call ") == true { break }
            live.run("t")
        }
        let entered = live.run("t")
        let inside = try #require(live.session.withState { $0.currentRegisters })
        #expect(
            inside.stackPointer == (after.stackPointer ?? 0) - 8
                || inside.stackPointer != after.stackPointer, "\(entered)")
        #expect(entered.contains { $0.hasPrefix("rax=") })
    }

    @Test func stepsRepeatWithACount() throws {
        let live = try Self.session()
        let out = live.run("t 3")
        #expect(out.filter { $0.hasPrefix("rax=") }.count == 3)
    }

    @Test func interruptBreaksIntoABusyProgram() async throws {
        let live = try LiveSession(LivePrograms.spinner)
        let session = live.session
        let running = Task.detached { await session.submit("g", from: .console, echo: false) }
        // Wait until the program runs (it says so), then break in as Ctrl-C does.
        let deadline = Date().addingTimeInterval(60)
        while !live.output.contains("spinning"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(live.output.contains("spinning"))
        session.interrupt.raise()
        _ = await running.value
        let output = live.output
        #expect(
            output.contains {
                $0.hasSuffix("Break instruction exception - code 80000003 (first chance)")
            }, "\(output.suffix(12))")
        #expect(live.run(".lastevent").first?.contains("Break instruction exception") == true)
        // The target is stopped and still alive: it can run on and be broken into again.
        #expect(live.run("r rip").first?.hasPrefix("rip=") == true)
    }

    @Test func editsAndRegisterChanges() throws {
        let live = try Self.session()
        live.run("r rax = 1234")
        #expect(live.run("r rax") == ["rax=0000000000001234"])
        live.run("r zf = 1")
        #expect(live.run("r zf") == ["zf=1"])
        let stack = try #require(live.session.withState { $0.currentRegisters?.stackPointer })
        live.run("ed \(String(stack - 0x100, radix: 16)) 11223344 55667788")
        #expect(
            live.run("dd \(String(stack - 0x100, radix: 16)) L2").first?.hasSuffix(
                "11223344 55667788") == true)
        live.run("eza \(String(stack - 0x80, radix: 16)) \"hi\"")
        #expect(
            live.run("da \(String(stack - 0x80, radix: 16))").first?.hasSuffix("\"hi\"") == true)
    }

    @Test func eventFiltersListAndChange() throws {
        let live = try Self.session()
        let listing = live.run("sx")
        #expect(listing.contains("  av - Access violation - break - not handled"))
        #expect(listing.contains("  ld - Load module - output"))
        #expect(listing.contains("   * - Other exception - second-chance break - not handled"))
        live.run("sxd av")
        #expect(
            live.run("sx").contains("  av - Access violation - second-chance break - not handled"))
        live.run("sxe -c \"k\" et")
        let lines = live.run("sx")
        #expect(lines.contains("  et - Exit thread - break"))
        #expect(lines.contains("       Command: \"k\""))
    }

    @Test func faultIgnoredAtFirstChanceWithSxd() throws {
        let live = try LiveSession(LivePrograms.path("p_fault", "mingw"))
        live.run("sxd av")
        let out = live.run("g")
        #expect(out.contains { $0.hasSuffix("Access violation - code c0000005 (first chance)") })
        #expect(
            out.contains {
                $0.hasSuffix("Access violation - code c0000005 (!!! second chance !!!)")
            })
        live.run("g")
        #expect(live.run(".lastevent").first?.hasSuffix("code c0000005") == true)
    }

    @Test func restartAndKill() throws {
        let live = try Self.session()
        live.run("bp msvcrt!exit")
        #expect(live.run("g").contains("Breakpoint 0 hit"))
        let restarted = live.run(".restart")
        #expect(restarted.contains { $0.hasPrefix("CommandLine: ") })
        #expect(restarted.contains("ntdll!LdrpDoDebuggerBreak:"))
        #expect(live.run("bl").count == 1)
        #expect(live.run("g").contains("Breakpoint 0 hit"))
        live.run(".kill")
        #expect(live.run("g").contains { $0.contains("No runnable debuggees error in 'g'") })
        #expect(!live.run("r rip").contains { $0.hasPrefix("rip=") }, "registers are gone")
        // `.detach` ends the simulated process too (nothing can run it without the debugger);
        // `.restart` brings it back.
        live.run(".restart")
        #expect(
            live.run(".detach") == [
                "Detached (the simulated process exists only under the debugger, so it ended)."
            ])
        #expect(live.run("p").contains { $0.contains("No runnable debuggees error in 'p'") })
        #expect(live.run(".restart").contains("ntdll!LdrpDoDebuggerBreak:"))
    }

    @Test func deadlockStopNamesWhatEachThreadWaitsFor() throws {
        let live = try LiveSession(LivePrograms.path("w_deadlock", "mingw"))
        let out = live.run("g")
        #expect(out.contains { $0.hasSuffix("Deadlock: every thread waits forever.") }, "\(out)")
        #expect(
            out.contains {
                $0.contains("Thread 0 (id ") && $0.contains("waits for critical section")
            })
        #expect(out.contains { $0.contains("Thread 1 (id ") && $0.contains("owned by thread 0") })
        let stack = live.run("kc")
        #expect(
            stack.contains {
                $0.hasSuffix("ntdll!RtlEnterCriticalSection+0x106")
                    || $0.contains("ntdll!RtlEnterCriticalSection")
            })
    }
}

extension LiveSessionTests {
    @Test func threadEventsWithSxnAndStableNumbers() throws {
        let live = try LiveSession(LivePrograms.path("w_threads", "mingw"))
        live.run("sxn ct")
        live.run("sxe et")
        let first = live.run("g")
        // The first thread to end stops the run; its creation was printed before.
        #expect(first.contains { $0.contains(": Create thread 1:") }, "\(first)")
        let exited = try #require(first.first { $0.contains(": Exit thread ") })
        let number = try #require(
            Int(
                exited.split(separator: " ").last {
                    $0.hasSuffix(":") == false && $0.contains(":")
                }?.split(separator: ":").first ?? ""))
        // Numbers are never reused: the ended thread's number is gone from `~`, the others stay.
        live.run("g")
        let listed = live.run("~")
        #expect(listed.contains { $0.contains(" 0  Id: ") }, "\(listed)")
        #expect(!listed.contains { $0.contains(" \(number)  Id: ") }, "\(listed)")
    }
}

extension LiveSessionTests {
    /// `bp addr "j (cond) ''; 'gc'"`: the breakpoint stops only when the condition holds, and
    /// each resume goes on in the same run (no nesting, however often it is hit).
    @Test func conditionalBreakpointWithJ() throws {
        let live = try Self.session()
        // Count the hits in $t0 and stop at the 40th.
        live.run("bp kernel32!WriteFile \"r $t0 = @$t0 + 1; j (@$t0 == 0n40) ''; 'gc'\"")
        let out = live.run("g")
        #expect(out.filter { $0 == "Breakpoint 0 hit" }.count == 40, "\(out.suffix(5))")
        #expect(live.run("? @$t0").first?.hasPrefix("Evaluate expression: 40 = ") == true)
        let ip = try #require(live.session.withState { $0.currentRegisters?.instructionPointer })
        #expect(
            live.run("ln \(String(ip, radix: 16))").contains { $0.contains("kernel32!WriteFile") })
        #expect(!out.contains { $0.contains("nested more than") })
    }
}

extension LiveSessionTests {
    /// `~Nf` keeps a thread from running (the program cannot tell), `~Nu` lets it go on;
    /// `~Nn`/`~Nm` move the suspend count `~` shows (1 is the debugger's own stop).
    @Test func frozenAndSuspendedThreads() throws {
        let live = try LiveSession(LivePrograms.path("w_threads", "mingw"))
        live.run("sxe ct")
        let created = live.run("g")
        #expect(created.contains { $0.contains(": Create thread 1:") }, "\(created)")
        live.run("sxn ct")
        #expect(live.run("~1f").isEmpty)
        #expect(live.run("~1").first?.hasSuffix(" Frozen") == true)
        // The other workers finish; main then waits for the frozen one forever.
        let stuck = live.run("g")
        #expect(
            stuck.contains { $0.hasSuffix("Deadlock: every thread waits forever.") }, "\(stuck)")
        #expect(
            stuck.contains { $0.contains("Thread 1 (id ") && $0.contains("it is frozen: ~1u") },
            "\(stuck)")
        #expect(!stuck.contains { $0.hasPrefix("total ") })
        live.run("~1s")
        #expect(live.run("p").contains("Thread 1 is frozen, so it cannot step: ~1u thaws it."))
        #expect(live.run("~*f").isEmpty)
        #expect(
            live.run("g").contains("Every thread is frozen, so none can run: ~*u thaws them."))
        live.run("~*u")
        #expect(live.run("~0").first?.contains(" Suspend: 1 ") == true)
        live.run("~0n")
        #expect(live.run("~0").first?.contains(" Suspend: 2 ") == true)
        live.run("~0m")
        #expect(
            live.run("~0m").contains { $0.contains("Thread 0 is not suspended beyond") })
        let end = live.run("g")
        #expect(end.contains("total 5000 expected 5000"), "\(end)")
        #expect(end.contains("exit codes sum 600"), "\(end)")
    }
}

extension LiveSessionTests {
    /// `!runaway`: a worker that counts to three million spent more time than the main thread
    /// that waited for it (the machine's clock: 1 ns per instruction), and comes first.
    @Test func runawayShowsTheBusiestThreadFirst() throws {
        let program = try LivePrograms.mingw(
            "busy",
            """
            #include <stdio.h>
            #include <windows.h>
            static volatile unsigned long long counter;
            static DWORD WINAPI busy(LPVOID unused) {
                for (int i = 0; i < 3000000; i++) counter++;
                return 0;
            }
            int main(void) {
                HANDLE worker = CreateThread(NULL, 0, busy, NULL, 0, NULL);
                WaitForSingleObject(worker, INFINITE);
                printf("counted %llu\\n", counter);
                return 0;
            }
            """)
        let live = try LiveSession(program)
        // Stop as the worker ends (it returns into RtlExitUserThread): both threads are there.
        live.run("bp ntdll!RtlExitUserThread")
        let stopped = live.run("g")
        #expect(stopped.contains("Breakpoint 0 hit"), "\(stopped)")
        #expect(live.session.withState { $0.currentThread } == 1)
        let lines = live.run("!runaway 7")
        let sections = [" User Mode Time", " Kernel Mode Time", " Elapsed Time"]
        #expect(lines.filter { sections.contains($0) } == sections, "\(lines)")
        let user = Array(lines.drop { $0 != " User Mode Time" }.dropFirst(2).prefix(2))
        #expect(user.first?.hasPrefix("   1:") == true, "\(lines)")
        #expect(user.last?.hasPrefix("   0:") == true, "\(lines)")
        // 3,000,000 rounds of a few instructions each: over 10 ms of the machine's time.
        let workerTime = try #require(user.first?.split(separator: ".").last.flatMap { Int($0) })
        let seconds = user.first?.contains("0 days 0:00:00.") == true
        #expect(!seconds || workerTime >= 10, "\(user)")
        live.run("bc *")
        #expect(live.run("g").contains("counted 3000000"))
        // At the final breakpoint only the thread that ended the process is left.
        let final = live.run("!runaway")
        #expect(final.count == 3 && final.last?.hasPrefix("   0:") == true, "\(final)")
    }
}

extension LiveSessionTests {
    /// CDB's final breakpoint: when the program ends, the thread that called
    /// `NtTerminateProcess` stays where the call left it, to be looked at; then nothing runs.
    /// `sxd epr` (what `-G` sets) lets the program end without it.
    @Test func finalBreakpointShowsWhereTheProcessEnded() throws {
        let live = try Self.session()
        let end = live.run("g")
        let symbol = try #require(end.firstIndex { $0.hasPrefix("ntdll!NtTerminateProcess+") })
        #expect(end.count > symbol + 1 && end[symbol + 1].hasSuffix("ret"), "\(end)")
        #expect(!end.contains { $0.hasPrefix("rax=") }, "no register block: \(end)")
        #expect(live.run("kc").contains { $0.contains("kernel32!ExitProcess") })
        #expect(live.run("r rip").first?.hasPrefix("rip=00007ffc0a") == true)
        #expect(live.run("~").count == 1)
        #expect(live.run(".lastevent").first?.contains("Exit process 0:") == true)
        #expect(live.run("g").contains { $0.contains("No runnable debuggees error in 'g'") })

        let quiet = try Self.session()
        quiet.run("sxi epr")
        let ended = quiet.run("g")
        #expect(!ended.contains { $0.hasPrefix("ntdll!NtTerminateProcess") }, "\(ended)")
        #expect(quiet.run(".lastevent").first?.contains("Exit process 0:") == true)
    }
}
