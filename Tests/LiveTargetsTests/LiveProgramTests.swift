import Foundation
import TestSupport
import Testing

/// `xcdb -c "g; .lastevent; q" prog.exe` on the portable guest programs: the program's output
/// and exit code equal those of the same C built natively on Linux (an oracle sharing no code
/// with xcdb).
@Suite(.serialized) struct LiveProgramTests {
    let xcdb = Products.path("xcdb")

    /// The program's output in a start-up transcript: the lines between the initial break's
    /// instruction and the final breakpoint (or `Last event:`).
    static func programOutput(_ lines: [String]) -> [String] {
        guard
            let breakLine = lines.firstIndex(where: { $0.hasPrefix("ntdll!LdrpDoDebuggerBreak") }),
            let last = lines.firstIndex(where: {
                $0.hasPrefix("Last event:") || $0.hasPrefix("ntdll!NtTerminateProcess+")
            }),
            last > breakLine + 1
        else { return [] }
        return Array(lines[(breakLine + 2)..<last])
    }

    /// `code N` of `Last event: ...: Exit process 0:pid, code N`.
    static func exitCode(_ lines: [String]) -> UInt32? {
        guard
            let line = lines.first(where: {
                $0.hasPrefix("Last event:") && $0.contains("Exit process")
            }),
            let range = line.range(of: ", code ")
        else { return nil }
        return UInt32(line[range.upperBound...], radix: 16)
    }

    @Test func portableProgramsPrintWhatTheirNativeBuildsPrint() throws {
        let names = LivePrograms.portable
        #expect(names.count >= 5)
        for name in names {
            let folder = try LivePrograms.build(name)
            let native = try runProcess(folder + "/\(name).native", [], currentDirectory: folder)
            var expected = native.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            if expected.last == "" { expected.removeLast() }
            for flavour in ["mingw", "clang"] {
                let result = try runProcess(
                    xcdb, ["-c", "g; .lastevent; q", try LivePrograms.path(name, flavour)],
                    timeout: 120)
                #expect(result.status == 0, "\(name)-\(flavour): \(result.stderr)")
                #expect(Self.programOutput(result.lines) == expected, "\(name)-\(flavour)")
                // CDB's final breakpoint: where the last thread ended the process.
                #expect(
                    result.lines.contains { $0.hasPrefix("ntdll!NtTerminateProcess+") },
                    "\(name)-\(flavour): \(result.lines.suffix(4))")
                #expect(
                    Self.exitCode(result.lines).map { Int32(bitPattern: $0) } == native.status,
                    "\(name)-\(flavour): \(result.lines.suffix(3))")
            }
        }
    }

    /// Breakpoint hits that do not stop (passes left) inside character-at-a-time writes leave
    /// the program's lines whole.
    @Test func breakpointHitsInsideWritesKeepTheProgramsLines() throws {
        let folder = try LivePrograms.build("p_exit")
        let native = try runProcess(folder + "/p_exit.native", [])
        let result = try runProcess(
            xcdb,
            [
                "-c", "bp kernel32!WriteFile 100000; g; .lastevent; q",
                try LivePrograms.path("p_exit", "mingw"),
            ],
            timeout: 120)
        let expected = native.stdout.split(separator: "\n").map(String.init)
        #expect(Self.programOutput(result.lines) == expected, "\(result.lines.suffix(8))")
    }

    @Test func faultingProgramStopsAtFirstChanceThenEndsWithTheCode() throws {
        let folder = try LivePrograms.build("p_fault")
        let native = try runProcess(folder + "/p_fault.native", [])
        for flavour in ["mingw", "clang"] {
            let result = try runProcess(
                xcdb,
                [
                    "-c", "g; .lastevent; g; g; .lastevent; q",
                    try LivePrograms.path("p_fault", flavour),
                ],
                timeout: 120)
            let lines = result.lines
            let firstChance = try #require(
                lines.firstIndex {
                    $0.hasSuffix("Access violation - code c0000005 (first chance)")
                },
                "\(flavour): \(lines)")
            // What the program printed before the fault, as natively.
            let breakLine = try #require(
                lines.firstIndex { $0.hasPrefix("ntdll!LdrpDoDebuggerBreak") })
            let printed = Array(lines[(breakLine + 2)..<firstChance])
            let nativeLines = native.stdout.split(separator: "\n").map(String.init)
            #expect(printed == nativeLines, "\(flavour)")
            #expect(
                lines[firstChance + 1]
                    == "First chance exceptions are reported before any exception handling.")
            #expect(
                lines.contains {
                    $0.hasSuffix("Access violation - code c0000005 (!!! second chance !!!)")
                })
            #expect(Self.exitCode(lines) == 0xC000_0005, "\(flavour): \(lines.suffix(4))")
        }
    }

    @Test func startUpPrintsCDBsBanner() throws {
        let program = try LivePrograms.path("p_exit", "mingw")
        let result = try runProcess(xcdb, ["-c", "q", program], timeout: 60)
        let lines = result.lines
        #expect(lines.contains("CommandLine: \(program)"))
        #expect(lines.contains { $0.hasPrefix("Symbol search path is: ") })
        #expect(lines.contains { $0.hasPrefix("ModLoad: ") && $0.hasSuffix("ntdll.dll") })
        #expect(lines.contains { $0.hasPrefix("ModLoad: ") && $0.hasSuffix("p_exit-mingw.exe") })
        #expect(
            lines.contains {
                $0.hasSuffix("Break instruction exception - code 80000003 (first chance)")
            })
        #expect(lines.contains("ntdll!LdrpDoDebuggerBreak:"))
        #expect(lines.contains { $0.hasPrefix("rax=") })
    }

    @Test func ignoringTheInitialBreakpointRunsToTheEnd() throws {
        let program = try LivePrograms.path("p_exit", "mingw")
        let result = try runProcess(xcdb, ["-g", "-c", ".lastevent; q", program], timeout: 60)
        #expect(!result.lines.contains("ntdll!LdrpDoDebuggerBreak:"))
        #expect(Self.exitCode(result.lines) != nil, "\(result.lines)")
    }

    @Test func aProgramThatIsNotThereIsAnError() throws {
        let result = try runProcess(xcdb, ["nonexistent-prog.exe", "arg"], input: "q\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot start 'nonexistent-prog.exe'"))
    }
}
