import Foundation
import TestSupport
import Testing

/// The test programs of Guest/programs run on the DLLs in the simulated machine: the portable ones, built with mingw-w64 (both flavours) and with clang-cl,
/// print what the same C prints natively on Linux and end with the same code; the Win32 ones
/// print what follows from their logic.
@Suite(.serialized) struct GuestProgramTests {
    static let portable = [
        "p_stdio", "p_qsort", "p_recursion", "p_strings", "p_exit", "p_setjmp", "p_files",
        "p_scanf", "p_math", "p_time",
    ]
    static let builds = ["mingw", "mingw-posix", "clang"]

    static func program(_ name: String) throws -> URL {
        try Guest.programs.get().appendingPathComponent(name)
    }

    @Test(arguments: portable) func portableProgramMatchesNative(_ name: String) throws {
        // The machine runs in UTC; so does the oracle.
        let native = try runProcess(
            try Self.program("\(name).native").path, environment: ["TZ": "UTC"], timeout: 60)
        for build in Self.builds {
            let run = try Guest.run(try Self.program("\(name)-\(build).exe"))
            #expect(
                run.text == native.stdout,
                "\(name)-\(build) printed:\n\(run.text)\nnatively:\n\(native.stdout)")
            #expect(run.exitCode == UInt32(native.status), "\(name)-\(build): \(run.stderr)")
        }
    }

    /// Any code breakpoint, even one never hit, installs a Unicorn code hook, and with one
    /// installed Unicorn 2.0 no longer puts `rip` back when the instruction clock ends a slice
    /// before a block: the thread used to resume at a stale address (p_stdio-mingw jumped to
    /// 0x20 in msvcrt!fputc). Programs with threads and many slices run as they do without it.
    @Test(arguments: ["p_stdio-mingw.exe", "p_qsort-clang.exe", "w_threads-clang.exe"])
    func programsRunTheSameWithACodeBreakpointSetElsewhere(_ name: String) throws {
        let plain = try Guest.run(try Self.program(name), quantum: 997)
        let hooked = try Guest.run(try Self.program(name), quantum: 997, codeBreakpoints: [0x1000])
        #expect(hooked.text == plain.text, "\(name) with a breakpoint printed:\n\(hooked.text)")
        #expect(hooked.exitCode == plain.exitCode, "\(name): \(hooked.stderr)")
        #expect(!hooked.stderr.contains("exception c0000005"), "\(hooked.stderr)")
    }

    @Test func faultingProgramPrintsUpToTheFault() throws {
        let native = try runProcess(try Self.program("p_fault.native").path, timeout: 60)
        #expect(native.stdout.hasSuffix("writing through NULL\n"))
        for build in Self.builds {
            let run = try Guest.run(try Self.program("p_fault-\(build).exe"))
            #expect(run.text == native.stdout, "\(build):\n\(run.text)")
            #expect(run.stderr.contains("second chance exception c0000005"))
            #expect(run.exitCode == 0xC000_0005)
        }
    }

    @Test func threadsCriticalSectionsAndWaits() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_threads-\(build).exe"))
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(
                run.text == """
                    wait result 0
                    total 5000 expected 5000
                    token passes 12
                    exit codes sum 600
                    semaphore acquired 2, previous 0, over-release failed (error 298)
                    mutex recursive wait 0
                    release 1 1 0 (error 288)
                    timeout wait 258

                    """, "\(build):\n\(run.text)")
        }
    }

    @Test func threadsUnderAnotherQuantum() throws {
        let run = try Guest.run(try Self.program("w_threads-clang.exe"), quantum: 777)
        #expect(run.text.contains("total 5000 expected 5000"), "\(run.text)")
    }

    @Test func structuredExceptionHandling() throws {
        let run = try Guest.run(try Self.program("w_seh-clang.exe"))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(
            run.text == """
                filter sees c0000005
                finally in inner (abnormal 1)
                finally in middle
                caught access violation three frames up, 2 finally blocks ran
                filter sees e0000001
                filter sees e0000001
                outer handler took E0000001
                continue filter: code e0000003, 1 parameters, first 99
                execution continued after RaiseException (1)
                caught divide by zero
                finally ran during longjmp
                longjmp brought 5
                end

                """, "\(run.text)")
    }

    @Test func threadLocalStorage() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_tls-\(build).exe"))
            #expect(run.text.contains("sum 60, main still has 1"), "\(build):\n\(run.text)")
            #expect(run.text.contains("allocated 80 more slots, last holds 79"))
            #expect(run.text.contains("a reused slot reads 0000000000000000"))
            #expect(run.text.components(separatedBy: "before").count == 4)
        }
    }

    @Test func deadlockLeavesEveryThreadWaiting() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_deadlock-\(build).exe"))
            let waits = try #require(run.deadlock, "\(build): \(run.stderr)")
            #expect(run.text == "both threads hold one lock\n")
            // Both threads wait for a critical section the other one owns.
            let owners = waits.compactMap { wait -> (UInt32, UInt32)? in
                guard case .criticalSection(_, let owner)? = wait.targets.first else { return nil }
                return (wait.threadID, owner)
            }
            #expect(owners.count == 2, "\(waits)")
            if owners.count == 2 {
                #expect(owners[0].1 == owners[1].0 && owners[1].1 == owners[0].0, "\(waits)")
            }
        }
    }

    @Test func win32FilesEnvironmentAndModules() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_win32-\(build).exe"))
            #expect(run.exitCode == 0, "\(run.stderr)")
            let expected = [
                "create ok, error 0", "wrote 16, size 16", "pointer 4", "read 6 [456789]",
                "now at 10",
                "truncated to 8", "read at the end: 0 bytes", "file type 1",
                "create-new on existing: failed, error 80",
                "attributes found", "delete 1, again 0 (error 2)", "missing: failed, error 2",
                "message 2: The system cannot find the file specified.", "variable 10 [some value]",
                "needs 11",
                "removed: 0, error 203", "utf-8 round trip 6 7 same, e-acute is 00e9",
                "kernel32 loaded, GetTickCount found, missing export missing (error 127)",
                "HeapAlloc forwards to ntdll: yes", "LoadLibrary msvcrt: ok",
                "page size 4096, granularity 65536, processors 1", "version 10.0",
                "virtual block committed yes, readwrite yes",
                "after protect: readonly yes, old readwrite yes",
                "free 1", "private heap block 5000 bytes, zero 1", "destroy 1",
            ]
            #expect(run.text == expected.joined(separator: "\n") + "\n", "\(build):\n\(run.text)")
        }
    }

    @Test func posixThreadsFromWinpthreads() throws {
        let run = try Guest.run(try Self.program("w_pthread-mingw-posix.exe"))
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.text == "total 10, joined results 20\n", "\(run.text)")
    }

    @Test func wideMainAndWideStrings() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(
                try Self.program("w_wide-\(build).exe"), arguments: ["one two", "three", ""])
            #expect(run.exitCode == 4, "\(run.stderr)")
            let expected = [
                "4 arguments", "[one two] (7)", "[three] (5)", "[] (0)",
                "42-wide-x, compare 0, upper 42-WIDE-X",
                "narrowed 5 bytes, last e9", "command line mentions the program: yes",
            ]
            #expect(run.text == expected.joined(separator: "\n") + "\n", "\(build):\n\(run.text)")
        }
    }

    @Test func loadingADllAtRunTime() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_loadlib-\(build).exe"))
            #expect(run.exitCode == 0, "\(run.stderr)")
            let expected = [
                "before load: not loaded", "plugin: process attach (dynamic)", "loaded: yes",
                "plugin_add(2, 3) = 5, ordinal 7 = 4242",
                "by name of the ordinal-only export: absent",
                "same handle again: yes", "plugin: thread attach", "plugin: thread detach",
                "missing library: failed, error 126", "free 1", "plugin: process detach",
            ]
            #expect(run.text == expected.joined(separator: "\n") + "\n", "\(build):\n\(run.text)")
        }
    }

    @Test func unhandledExceptionReachesTheProgramsFilter() throws {
        for build in ["mingw", "clang"] {
            let run = try Guest.run(try Self.program("w_unhandled-\(build).exe"))
            #expect(run.text == "faulting\nfilter: c0000005\n", "\(build):\n\(run.text)")
            #expect(run.stderr.contains("second chance exception c0000005"))
            #expect(run.exitCode == 77)
        }
    }
}
