import Foundation
import Testing

@testable import Emulation

/// Real Windows programs (built with mingw-w64 and with clang-cl) on the project's system DLLs:
/// their console output and exit code equal those of the same C built natively on Linux.
@Suite(.serialized) struct GuestProgramTests {
    static func launch(_ path: String) throws -> Launched {
        let dlls = try GuestSystem.dlls()
        return try Launched.start(path) { $0.systemFolder = dlls }
    }

    static func portable() throws -> [String] {
        let folder = try GuestSystem.programs()
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("p_") && $0.hasSuffix(".native") && $0 != "p_fault.native" }
            .map { String($0.dropLast(".native".count)) }.sorted()
    }

    @Test func portableProgramsMatchTheirNativeBuilds() throws {
        let folder = try GuestSystem.programs()
        let names = try Self.portable()
        #expect(names.count >= 5)
        for name in names {
            let native = try GuestSystem.runNative(folder + "/" + name + ".native")
            for flavour in ["mingw", "mingw-posix", "clang"] {
                let path = folder + "/" + name + "-" + flavour + ".exe"
                guard FileManager.default.fileExists(atPath: path) else {
                    Issue.record("\(path) was not built")
                    continue
                }
                let launched = try Self.launch(path)
                let events = launched.runToExit()
                guard case .processExited(let code) = events.last?.kind else {
                    Issue.record("\(name)-\(flavour) did not end: \(events.suffix(3))")
                    continue
                }
                #expect(launched.console.unixText == native.output, "\(name)-\(flavour)")
                #expect(Int32(bitPattern: code) == native.status, "\(name)-\(flavour) exit code")
            }
        }
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
        let ntdll = try #require(launched.process.modules.first { $0.name.lowercased() == "ntdll.dll" })
        #expect(ntdll.contains(info.address))
    }

    @Test func threadsWithCriticalSectionsEventsAndWaits() throws {
        let folder = try GuestSystem.programs()
        for flavour in ["mingw", "clang"] {
            let launched = try Self.launch(folder + "/w_threads-" + flavour + ".exe")
            launched.runToExit()
            let lines = launched.console.unixText.split(separator: "\n").map(String.init)
            #expect(lines.contains("wait result 0"), "\(flavour): \(lines)")
            #expect(lines.contains("total 20000 expected 20000"), "\(flavour)")
            #expect(lines.contains("token passes 12"), "\(flavour)")
            #expect(lines.contains("exit codes sum 600"), "\(flavour)")
            #expect(lines.contains("mutex recursive wait 0"), "\(flavour)")
            #expect(lines.contains("timeout wait 258"), "\(flavour)")
            #expect(launched.process.exitCode == 0, "\(flavour)")
        }
    }

    @Test func deadlockNamesTheCriticalSectionsAndOwners() throws {
        let folder = try GuestSystem.programs()
        let launched = try Self.launch(folder + "/w_deadlock-mingw.exe")
        let event = try #require(launched.run { if case .deadlock = $0.kind { true } else { false } })
        guard case .deadlock(let waits) = event.kind else { return }
        let sections = waits.compactMap { wait -> (UInt32, UInt64, UInt32)? in
            guard case .criticalSection(let address, let owner) = wait.targets.first else { return nil }
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

    @Test func structuredExceptionHandling() throws {
        let folder = try GuestSystem.programs()
        let launched = try Self.launch(folder + "/w_seh-clang.exe")
        launched.runToExit()
        let text = launched.console.unixText
        #expect(text.contains("caught access violation three frames up"), "\(text)")
        #expect(text.contains("caught divide by zero"), "\(text)")
        #expect(text.hasSuffix("end\n"), "\(text)")
        #expect(launched.process.exitCode == 0)
    }

    @Test func unimplementedImportStopsAndFailsWhenContinued() throws {
        let launched = try Self.launch(try GuestBuild.mingw("unimplemented", libraries: ["-luser32"]))
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

    @Test(arguments: ["w_tls", "w_win32"])
    func win32ProgramsRunToTheirEnd(name: String) throws {
        let folder = try GuestSystem.programs()
        for flavour in ["mingw", "clang"] {
            let launched = try Self.launch(folder + "/" + name + "-" + flavour + ".exe")
            let events = launched.runToExit()
            #expect(launched.process.exitCode == 0, "\(name)-\(flavour): \(events.suffix(2)) \(launched.console.text)")
            #expect(!launched.console.text.isEmpty)
        }
    }
}
