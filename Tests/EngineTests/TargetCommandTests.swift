import Engine
import Foundation
import Testing

@Suite struct TargetCommandTests {
    @Test func threadListMarksCurrentAndEventThreads() {
        let harness = SessionHarness.with(.windowsX64())
        #expect(
            harness.run("~") == [
                "   0  Id: 490.530 Suspend: 1 Teb: 000000c8`262c4000 Unfrozen",
                ".  1  Id: 490.5d68 Suspend: 1 Teb: 000000c8`262c6000 Unfrozen \"worker\"",
            ])
        harness.run("~0s")
        #expect(harness.session.prompt == "0:000> ")
        #expect(harness.run("~").last?.hasPrefix("#  1") == true)
        #expect(harness.run("~5s") == ["       ^ Illegal thread error in '~5s'"])
    }

    @Test func threadCommandsRunPerThread() {
        let harness = SessionHarness.with(.windowsX64())
        let lines = harness.run("~* r rip")
        #expect(
            lines == [
                "   0  Id: 490.530 Suspend: 1 Teb: 000000c8`262c4000 Unfrozen",
                "rip=00007ffe37b207a0", "",
                ".  1  Id: 490.5d68 Suspend: 1 Teb: 000000c8`262c6000 Unfrozen \"worker\"",
                "rip=00007ff66e761000",
            ])
        #expect(harness.session.prompt == "0:001> ")
        #expect(harness.run("~0 r eax") == ["eax=00000000"])
    }

    @Test func commandsAfterASemicolonFollowAThreadSwitchOrList() {
        let harness = SessionHarness.with(.windowsX64())
        let switched = harness.run("~0s; r rip")
        #expect(switched.last == "rip=00007ffe37b207a0")
        #expect(harness.session.prompt == "0:000> ")
        let listed = harness.run("~; .echo after")
        #expect(listed.count == 3)
        #expect(listed.last == "after")
        // Freezing and suspending need a live target.
        #expect(harness.run("~1f") == ["       ^ No runnable debuggees error in '~1f'"])
        #expect(harness.run("~1 m").first?.contains("No runnable debuggees") == true)
    }

    @Test func registerBlockForX64() {
        let harness = SessionHarness.with(.windowsX64())
        let lines = harness.run("r")
        #expect(lines.first == "rax=0000000000000000 rbx=0000000000001111 rcx=0000000000002222")
        #expect(lines[3] == " r8=0000000000000008  r9=0000000000000009 r10=000000000000000a")
        #expect(lines[6] == "iopl=0         nv up ei pl nz na pe nc")
        #expect(
            lines[7]
                == "cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b             efl=00010202")
    }

    @Test func singleRegistersFlagsAndPseudoRegisters() {
        let harness = SessionHarness.with(.windowsX64())
        harness.run("~0s")
        #expect(harness.run("r rip") == ["rip=00007ffe37b207a0"])
        #expect(harness.run("r zf, ax") == ["zf=1", "ax=0000"])
        #expect(harness.run("r $t3 = 0x20; r $t3") == ["$t3=0000000000000020"])
        #expect(harness.run("r $tid") == ["$tid=0000000000000530"])
        #expect(harness.run("r nosuch") == ["         ^ Bad register error in 'r nosuch'"])
        #expect(harness.run("r rax=1") == ["Registers cannot be changed on this target (a dump)."])
    }

    @Test func modulesAreListed() {
        let harness = SessionHarness.with(.windowsX64())
        #expect(
            harness.run("lm") == [
                "start             end                 module name",
                "00007ff6`6e760000 00007ff6`6e798000   notepad    (deferred)",
                "00007ff8`08db0000 00007ff8`08fa5000   ntdll      (deferred)",
                "",
                "Unloaded modules:",
                "00007ff8`1c820000 00007ff8`1c847000   fwpuclnt.dll",
            ])
        #expect(harness.run("lm m nt*").count == 2)
        #expect(harness.run("lm1m") == ["notepad", "ntdll"])
        #expect(harness.run("lm a 7ff808db1234").last?.contains("ntdll") == true)
    }

    @Test func verboseModuleBlock() {
        let harness = SessionHarness.with(.windowsX64())
        let lines = harness.run("lmvm notepad")
        #expect(lines.contains("    Image path: C:\\Windows\\notepad.exe"))
        #expect(lines.contains("    CheckSum:         00AA7491"))
        #expect(lines.contains("    File version:     10.0.17134.1"))
        #expect(lines.contains("    File OS:          40004 NT Win32"))
        #expect(lines.contains("    File type:        1.0 App"))
        #expect(lines.contains("    PDB GUID/age:     {03020100-0504-0706-0809-0A0B0C0D0E0F} 1"))
        #expect(lines.contains("    Symbol id:        030201000504070608090A0B0C0D0E0F1"))
    }

    @Test func exceptionRecordAndContext() {
        let harness = SessionHarness.with(.windowsX64())
        #expect(
            harness.run(".exr -1") == [
                // Naming the address looks for notepad's symbols first, as CDB does.
                "*** ERROR: Module load completed but symbols could not be loaded for notepad.exe",
                "ExceptionAddress: 00007ff6`6e761234 (notepad+0x0000000000001234)",
                "   ExceptionCode: c0000005 (Access violation)",
                "  ExceptionFlags: 00000000",
                "NumberParameters: 2",
                "   Parameter[0]: 00000000`00000001",
                "   Parameter[1]: 00000000`00000010",
                "Attempt to write to address 00000000`00000010",
            ])
        harness.run("~0s")
        let ecxr = harness.run(".ecxr")
        #expect(ecxr[2] == "rip=00007ff66e761234 rsp=00000032e36fe000 rbp=0000000000006666")
        #expect(harness.session.prompt == "0:001> ")
        #expect(harness.run("r rip") == ["rip=00007ff66e761234"])
        harness.run(".cxr")
        #expect(harness.run("r rip") == ["rip=00007ff66e761000"])
        #expect(
            harness.run(".lastevent").first
                == "Last event: 490.5d68: Access violation - code c0000005 (first/second chance not available)"
        )
    }

    @Test func versionBlock() {
        let harness = SessionHarness.with(.windowsX64())
        #expect(
            harness.run("vertarget") == [
                "Windows 10 Version 16299 MP (4 procs) Free x64",
                "Product: WinNt, suite: TerminalServer SingleUserTS",
                "Edition build lab: 16299.15.amd64fre.rs3_release.170928-1534",
                "Machine Name:",
                "Debug session time: Wed Oct 24 05:51:28.000 2018 (UTC + 2:00)",
                "System Uptime: not available",
                "Process Uptime: 0 days 0:26:16.000",
                "  Kernel time: 0 days 0:00:01.500",
                "  User time: 0 days 0:00:00.015",
            ])
    }

    @Test func processList() {
        let harness = SessionHarness.with(.windowsX64())
        #expect(harness.run("|") == [".  0\tid: 490\texamine\tname: C:\\Windows\\notepad.exe"])
    }

    @Test func targetCommandsWithoutTarget() {
        let harness = SessionHarness()
        #expect(harness.run("lm").first?.hasPrefix("No target: 'lm' needs one.") == true)
    }
}
