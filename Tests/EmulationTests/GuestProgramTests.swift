import Foundation
import Testing

@testable import Emulation

/// Real Windows programs (built with mingw-w64 and with clang-cl) on the project's system DLLs,
/// seen through the debugger's events: first- and second-chance exceptions, the initial
/// breakpoint, the deadlock report, unimplemented imports, run-time module loads. (What the
/// programs print, against the same C built natively, is checked in GuestTests.)
@Suite(.serialized) struct GuestProgramTests {
    static func launch(_ path: String) throws -> Launched {
        let dlls = try GuestSystem.dlls()
        return try Launched.start(path) { $0.systemFolder = dlls }
    }

    @Test func faultingProgramStopsAtTheFaultThenEndsWithItsCode() throws {
        let folder = try GuestSystem.programs()
        let native = try GuestSystem.runNative(folder + "/p_fault.native")
        #expect(native.status == 128 + 11)
        for flavour in ["mingw", "clang"] {
            let launched = try Self.launch(folder + "/p_fault-" + flavour + ".exe")
            let fault = try #require(
                launched.run { $0.kind.exceptionInfo?.code == NTStatus.accessViolation })
            #expect(fault.kind.exceptionInfo?.firstChance == true)
            #expect(launched.console.unixText == native.output, "\(flavour)")
            launched.runToExit(first: .notHandled)
            #expect(launched.process.exitCode == NTStatus.accessViolation, "\(flavour)")
        }
    }

    @Test func initialBreakpointIsInLdrpDoDebuggerBreak() throws {
        let folder = try GuestSystem.programs()
        let launched = try Self.launch(folder + "/p_exit-mingw.exe")
        let event = launched.skipStartEvents()
        let info = try #require(event.kind.exceptionInfo)
        #expect(info.code == NTStatus.breakpoint)
        let ntdll = try #require(
            launched.process.modules.first { $0.name.lowercased() == "ntdll.dll" })
        #expect(ntdll.contains(info.address))
    }

    @Test func deadlockNamesTheCriticalSectionsAndOwners() throws {
        let folder = try GuestSystem.programs()
        let launched = try Self.launch(folder + "/w_deadlock-mingw.exe")
        let event = try #require(
            launched.run { if case .deadlock = $0.kind { true } else { false } })
        guard case .deadlock(let waits) = event.kind else { return }
        let sections = waits.compactMap { wait -> (UInt32, UInt64, UInt32)? in
            guard case .criticalSection(let address, let owner) = wait.targets.first else {
                return nil
            }
            return (wait.threadID, address, owner)
        }
        #expect(sections.count == 2, "\(waits)")
        if sections.count == 2 {
            // Each waits for the section the other owns.
            #expect(sections[0].2 == sections[1].0)
            #expect(sections[1].2 == sections[0].0)
            #expect(sections[0].1 != sections[1].1)
        }
    }

    @Test func unhandledExceptionReachesTheProgramsFilter() throws {
        let folder = try GuestSystem.programs()
        let launched = try Self.launch(folder + "/w_unhandled-mingw.exe")
        let events = launched.runToExit()
        let exceptions = events.compactMap(\.kind.exceptionInfo)
        #expect(exceptions.map(\.firstChance) == [true, true, false], "\(exceptions)")
        #expect(launched.console.unixText == "faulting\nfilter: c0000005\n")
        #expect(launched.process.exitCode == 77)
    }

    @Test func unimplementedImportStopsAndFailsWhenContinued() throws {
        let launched = try Self.launch(
            try GuestBuild.mingw("unimplemented", libraries: ["-luser32"]))
        #expect(launched.process.missingDLLs == ["user32.dll"])
        let stop = try #require(
            launched.run { if case .unimplementedImport = $0.kind { true } else { false } })
        #expect(stop.kind == .unimplementedImport(module: "USER32.dll", function: "MessageBoxA"))
        #expect(launched.console.unixText == "calling MessageBoxA\n")
        launched.runToExit()
        #expect(launched.console.unixText == "calling MessageBoxA\nreturned 0, last error 127\n")
        #expect(launched.process.exitCode == 0)
    }

    @Test func loadLibraryMapsAtRunTimeWithAModuleEvent() throws {
        _ = try GuestBuild.dll("lib", base: 0x1_8000_0000)
        let launched = try Self.launch(try GuestBuild.mingw("loadlib"))
        var loadedAtRunTime: [String] = []
        var output: [String] = []
        _ = launched.skipStartEvents()
        for _ in 0..<1000 {
            let event = launched.process.run()
            if case .moduleLoaded(let module) = event.kind { loadedAtRunTime.append(module.name) }
            if case .debugOutput(let text) = event.kind { output.append(text) }
            if case .processExited = event.kind { break }
        }
        #expect(loadedAtRunTime == ["lib.dll"])
        #expect(output == ["debug output from the program\n"])
        #expect(
            launched.console.unixText
                == "loaded yes\nAddOne(41) = 42\nsame module yes\nmissing not found\n")
        #expect(launched.process.exitCode == 0)
    }

}
