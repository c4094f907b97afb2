import Foundation
import Testing

@testable import Emulation

/// Programs that make system calls directly (no system DLLs) run with the events, output and
/// exit codes their code says.
@Suite struct ProgramRunTests {
    @Test func helloPrintsAndExits() throws {
        let launched = try Launched.start(try GuestBuild.program("hello"))
        let first = launched.process.run()
        guard case .processCreated(let main) = first.kind else {
            Issue.record("first event \(first)")
            return
        }
        #expect(main.name == "hello.exe")
        #expect(main.base == 0x1_4000_0000)
        #expect(main.guestPath == "C:\\sandbox\\hello.exe")
        let events = launched.runToExit()
        #expect(launched.console.text == "hello from the machine\n")
        #expect(events.last?.kind == .processExited(exitCode: 42))
        #expect(launched.process.exitCode == 42)
        // After the end, every run reports the exit again.
        #expect(launched.process.run().kind == .processExited(exitCode: 42))
    }

    @Test func accessViolationFirstChanceThenSecondThenExitCode() throws {
        let launched = try Launched.start(try GuestBuild.program("fault"))
        let first = try #require(launched.run { $0.kind.exceptionInfo != nil })
        let info = try #require(first.kind.exceptionInfo)
        #expect(info.code == 0xC000_0005)
        #expect(info.firstChance)
        #expect(info.parameters == [1, 0x10])
        #expect(launched.console.text == "before the fault\n")
        let context = try #require(launched.process.context(ofThread: first.threadID))
        #expect(context.rip == info.address)
        // No ntdll: not handled goes straight to the second chance.
        let second = launched.process.run(.notHandled)
        #expect(second.kind.exceptionInfo?.firstChance == false)
        #expect(second.kind.exceptionInfo?.code == 0xC000_0005)
        #expect(launched.process.run(.notHandled).kind == .processExited(exitCode: 0xC000_0005))
        #expect(!launched.console.text.contains("not reached"))
    }

    @Test func handledFaultRetriesTheInstruction() throws {
        let launched = try Launched.start(try GuestBuild.program("fault"))
        let first = try #require(launched.run { $0.kind.exceptionInfo != nil })
        let again = launched.process.run(.handled)
        #expect(again.kind.exceptionInfo?.firstChance == true)
        #expect(again.kind.exceptionInfo?.address == first.kind.exceptionInfo?.address)
    }

    @Test(arguments: [
        ("divide", UInt32(0xC000_0094)), ("illegal", 0xC000_001D), ("privileged", 0xC000_0096),
    ])
    func cpuFaultsHaveTheirCodes(program: String, code: UInt32) throws {
        let launched = try Launched.start(try GuestBuild.program(program))
        let event = try #require(launched.run { $0.kind.exceptionInfo != nil })
        #expect(event.kind.exceptionInfo?.code == code)
        let rip = launched.process.context(ofThread: event.threadID)?.rip
        #expect(rip == event.kind.exceptionInfo?.address)
        launched.runToExit(first: .notHandled)
        #expect(launched.process.exitCode == code)
    }

    @Test func breakpointInstructionContinuesPastItWhenHandled() throws {
        let launched = try Launched.start(try GuestBuild.program("breakpoint"))
        let event = try #require(launched.run { $0.kind.exceptionInfo != nil })
        let info = try #require(event.kind.exceptionInfo)
        #expect(info.code == 0x8000_0003)
        #expect(info.parameters == [0])
        let rip = try #require(launched.process.context(ofThread: event.threadID)?.rip)
        #expect(rip == info.address)
        #expect(launched.process.readMemory(at: rip, count: 1) == [0xCC])
        #expect(launched.process.run(.handled).kind == .processExited(exitCode: 5))
        #expect(launched.console.text == "before\nafter\n")
    }

    @Test func rdtscCountsInstructions() throws {
        let launched = try Launched.start(try GuestBuild.program("rdtsc"))
        launched.runToExit()
        #expect(launched.process.exitCode == 0)
    }

    @Test func stackGrowsThroughGuardPagesThenOverflows() throws {
        let launched = try Launched.start(try GuestBuild.program("stack"))
        let event = try #require(launched.run { $0.kind.exceptionInfo != nil })
        #expect(event.kind.exceptionInfo?.code == 0xC000_00FD)
        // The stack grew page by page to (almost) its whole reservation.
        let thread = try #require(launched.process.threads.first)
        let rsp = try #require(launched.process.context(ofThread: thread.id)?.rsp)
        #expect(rsp - thread.stack.lowerBound < 0x8000)
        launched.runToExit(first: .notHandled)
        #expect(launched.process.exitCode == 0xC000_00FD)
    }

    @Test func memoryServicesFollowWindows() throws {
        let launched = try Launched.start(try GuestBuild.program("memory"))
        let guardHit = try #require(launched.run { $0.kind.exceptionInfo != nil })
        #expect(guardHit.kind.exceptionInfo?.code == 0x8000_0001)
        #expect(guardHit.kind.exceptionInfo?.parameters.first == 0)
        // The guard is gone after the first touch: handled, the read succeeds.
        let end = launched.process.run(.handled)
        #expect(end.kind == .processExited(exitCode: 9))
        let lines = launched.console.text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("FAIL") }.isEmpty, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("ok") }.count == 8)
    }

    @Test func memoryCapIsConfigurable() throws {
        let launched = try Launched.start(try GuestBuild.program("memory")) {
            $0.memoryCap = 16 << 20
        }
        launched.runToExit()
        #expect(launched.console.text.contains("ok 2 GiB exceeds the cap"))
        #expect(launched.process.committedBytes <= 16 << 20)
    }

    @Test func sleepingJumpsTheClock() throws {
        let launched = try Launched.start(try GuestBuild.program("sleep"))
        launched.runToExit()
        #expect(launched.process.exitCode == 0)
        #expect(launched.process.clock >= 10_000_000_000)
    }

    @Test func threadsGiveTheirSum() throws {
        let launched = try Launched.start(try GuestBuild.program("threads")) { $0.quantum = 500 }
        let events = launched.runToExit()
        #expect(launched.process.exitCode == 0)
        #expect(launched.console.text.hasPrefix("total 600 schedule "))
        let created = events.filter { if case .threadCreated = $0.kind { true } else { false } }
        let exited = events.filter { if case .threadExited = $0.kind { true } else { false } }
        #expect(created.count == 2)
        #expect(exited.count == 2)
        let ids = Set(launched.process.threads.map(\.id))
        #expect(ids.count == 3)
        #expect(ids.allSatisfy { $0 % 4 == 0 })
    }

    /// The same program, options and seed give the same events, clocks and output; another seed
    /// interleaves the threads differently.
    @Test func schedulingIsDeterministicPerSeed() throws {
        let path = try GuestBuild.program("threads")
        func run(seed: UInt64) throws -> ([DebugEvent], String, [UInt64]) {
            let launched = try Launched.start(path) {
                $0.quantum = 300
                $0.seed = seed
            }
            let events = launched.runToExit()
            return (events, launched.console.text, launched.process.threads.map(\.instructions))
        }
        let first = try run(seed: 1)
        let again = try run(seed: 1)
        let other = try run(seed: 2)
        #expect(first.0 == again.0)
        #expect(first.1 == again.1)
        #expect(first.2 == again.2)
        #expect(first.1 != other.1)
        #expect(other.1.hasPrefix("total 600 "))
    }

    @Test func deadlockNamesWhatEachThreadWaitsFor() throws {
        let launched = try Launched.start(try GuestBuild.program("deadlock"))
        let event = try #require(
            launched.run { if case .deadlock = $0.kind { true } else { false } })
        guard case .deadlock(let waits) = event.kind else { return }
        #expect(waits.count == 2)
        let main = try #require(launched.process.threads.first?.id)
        let mainWait = try #require(waits.first { $0.threadID == main })
        guard case .object(_, let type, _) = mainWait.targets.first else {
            Issue.record("main waits for \(mainWait)")
            return
        }
        #expect(type == "Event")
        let worker = try #require(waits.first { $0.threadID != main })
        guard case .criticalSection(_, let owner) = worker.targets.first else {
            Issue.record("worker waits for \(worker)")
            return
        }
        #expect(owner == main)
    }
}
