import Foundation
import PEFormat
import Testing

@testable import Emulation

/// Run control for a debugger: code and data breakpoints, single steps, the break request,
/// registers and memory, restart.
@Suite struct DebuggingTests {
    struct Calls {
        let launched: Launched
        let tick: UInt64
        let total: UInt64
        let watched: UInt64
        let scale: UInt64
        let start: UInt64
    }

    static func calls() throws -> Calls {
        let path = try GuestBuild.program(
            "calls",
            extra: [
                "/export:tick", "/export:start", "/export:total,DATA", "/export:watched,DATA",
                "/export:scale,DATA",
            ])
        let image = try PEImage(contentsOfFile: path)
        let exports = try image.exports()
        func address(_ name: String) throws -> UInt64 {
            image.imageBase + UInt64(try #require(exports.export(named: name)).rva)
        }
        let launched = try Launched.start(path)
        return Calls(
            launched: launched, tick: try address("tick"), total: try address("total"),
            watched: try address("watched"), scale: try address("scale"),
            start: try address("start"))
    }

    static func u64(_ process: EmulatedProcess, _ address: UInt64) -> UInt64 {
        process.readMemory(at: address, count: 8).withUnsafeBytes {
            $0.loadUnaligned(as: UInt64.self)
        }
    }

    @Test func codeBreakpointsStopEveryTimeAndNeverShowInMemory() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        let before = process.readMemory(at: calls.tick, count: 16)
        try process.setBreakpoint(id: 3, at: calls.tick)
        #expect(process.readMemory(at: calls.tick, count: 16) == before)
        var hits = 0
        while true {
            let event = process.run()
            if case .breakpoint(let id, let address) = event.kind {
                #expect(id == 3)
                #expect(address == calls.tick)
                #expect(process.context(ofThread: event.threadID)?.rip == calls.tick)
                #expect(process.readMemory(at: calls.tick, count: 16) == before)
                hits += 1
                continue
            }
            if case .processExited(let code) = event.kind {
                #expect(code == 55)
                break
            }
        }
        #expect(hits == 10)
    }

    @Test func breakpointsCanBeClearedAndRegistersChanged() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setBreakpoint(id: 1, at: calls.tick)
        let hit = try #require(
            calls.launched.run { if case .breakpoint = $0.kind { true } else { false } })
        // The first call gets 1 in rcx; make it 100.
        var context = try #require(process.context(ofThread: hit.threadID))
        #expect(context.rcx == 1)
        context.rcx = 100
        try process.setContext(context, ofThread: hit.threadID)
        process.removeBreakpoint(id: 1)
        #expect(process.run().kind == .processExited(exitCode: UInt32((100 + 54) & 0xFF)))
    }

    @Test func writingCodeTakesEffect() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setBreakpoint(id: 1, at: calls.tick)
        _ = try #require(
            calls.launched.run { if case .breakpoint = $0.kind { true } else { false } })
        _ = try #require(
            calls.launched.run { if case .breakpoint = $0.kind { true } else { false } })
        // tick has run (and been translated); now make it return at once.
        #expect(process.writeMemory(at: calls.tick, bytes: [0xC3]) == 1)
        process.removeBreakpoint(id: 1)
        let end = process.run()
        // Only the first call added to the total before tick became a bare `ret`.
        #expect(end.kind == .processExited(exitCode: 1))
    }

    @Test func dataBreakpointsStopAfterTheAccess() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setDataBreakpoint(id: 7, at: calls.watched, size: 8, access: .write)
        let write = try #require(
            calls.launched.run { if case .dataBreakpoint = $0.kind { true } else { false } })
        #expect(write.kind == .dataBreakpoint(id: 7, address: calls.watched, access: .write))
        // The write is done when the event comes.
        #expect(Self.u64(process, calls.watched) == 55)
        // Stopped after the instruction that wrote, not on it.
        let rip = try #require(process.context(ofThread: write.threadID)?.rip)
        #expect(process.readMemory(at: rip, count: 3) == [0x48, 0x8B, 0x05])
        process.removeBreakpoint(id: 7)
        try process.setDataBreakpoint(id: 8, at: calls.watched, size: 4, access: .read)
        let read = try #require(
            calls.launched.run { if case .dataBreakpoint = $0.kind { true } else { false } })
        #expect(read.kind == .dataBreakpoint(id: 8, address: calls.watched, access: .read))
        process.removeBreakpoint(id: 8)
        #expect(process.run().kind == .processExited(exitCode: 55))
    }

    /// `total += value` reads and writes `total`: each write stops once, after the instruction,
    /// and continuing does not run the instruction again.
    @Test func writeBreakpointsOnReadModifyWriteInstructions() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setDataBreakpoint(id: 1, at: calls.total, size: 8, access: .write)
        var writes: [UInt64] = []
        while true {
            let event = process.run()
            if case .dataBreakpoint = event.kind {
                writes.append(Self.u64(process, calls.total))
                continue
            }
            if case .processExited(let code) = event.kind {
                #expect(code == 55)
                break
            }
        }
        #expect(writes == [1, 3, 6, 10, 15, 21, 28, 36, 45, 55])
    }

    @Test func executeDataBreakpointStopsBeforeTheInstruction() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setDataBreakpoint(id: 2, at: calls.tick, size: 1, access: .execute)
        let hit = try #require(
            calls.launched.run { if case .dataBreakpoint = $0.kind { true } else { false } })
        #expect(hit.kind == .dataBreakpoint(id: 2, address: calls.tick, access: .execute))
        #expect(process.context(ofThread: hit.threadID)?.rip == calls.tick)
        // Continuing passes it once, then the next call stops again.
        let next = process.run()
        #expect(next.kind == .dataBreakpoint(id: 2, address: calls.tick, access: .execute))
    }

    @Test func atMostFourDataBreakpoints() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        for index in 0..<4 {
            try process.setDataBreakpoint(
                id: index, at: calls.total + 8 * UInt64(index % 2), size: 8, access: .write)
        }
        #expect(throws: EmulationError.self) {
            try process.setDataBreakpoint(id: 9, at: calls.total, size: 8, access: .write)
        }
        #expect(throws: EmulationError.self) {
            try process.setDataBreakpoint(id: 1, at: calls.total + 1, size: 4, access: .write)
        }
    }

    @Test func singleStepsRunOneInstructionEach() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        let first = calls.launched.skipStartEvents()
        _ = first
        // A fresh machine for a clean start: step from the entry point.
        let fresh = try Self.calls()
        var event = fresh.launched.process.run()
        while case .moduleLoaded = event.kind { event = fresh.launched.process.run() }
        guard case .processCreated = event.kind else {
            Issue.record("expected the process creation first, got \(event)")
            return
        }
        let thread = try #require(fresh.launched.process.threads.first?.id)
        #expect(fresh.launched.process.context(ofThread: thread)?.rip == calls.start)
        var clock = fresh.launched.process.clock
        var rips: [UInt64] = []
        for _ in 0..<20 {
            let step = fresh.launched.process.step(thread: thread)
            guard case .singleStep(let address) = step.kind else {
                Issue.record("step gave \(step)")
                return
            }
            #expect(fresh.launched.process.clock == clock + 1)
            clock = fresh.launched.process.clock
            rips.append(address)
        }
        #expect(Set(rips).count > 5)
        #expect(rips.contains(calls.tick))
        _ = process
    }

    @Test func breakRequestStopsABusyLoopFromAnotherThread() throws {
        let path = try GuestBuild.program("loop")
        let launched = try Launched.start(path)
        _ = launched.skipStartEvents
        let process = launched.process
        let breakSwitch = process.breakSwitch
        let requester = Thread {
            Thread.sleep(forTimeInterval: 0.2)
            breakSwitch.request()
        }
        requester.start()
        let event = launched.run { if case .breakRequested = $0.kind { true } else { false } }
        #expect(event != nil)
        #expect(process.exitCode == nil)
        #expect(process.clock > 1000)
        // It goes on afterwards, and stops again when asked.
        let again = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            breakSwitch.request()
        }
        again.start()
        #expect(process.run().kind == .breakRequested)
    }

    @Test func restartRunsTheSameProgramAgain() throws {
        let calls = try Self.calls()
        let process = calls.launched.process
        try process.setBreakpoint(id: 4, at: calls.tick)
        let firstRun = calls.launched.runToExitCountingBreakpoints()
        try process.restart()
        let secondRun = calls.launched.runToExitCountingBreakpoints()
        #expect(firstRun == secondRun)
        #expect(firstRun.breakpoints == 10)
        #expect(process.exitCode == 55)
    }
}

extension Launched {
    struct RunSummary: Equatable {
        var breakpoints = 0
        var clocks: [UInt64] = []
        var exitCode: UInt32?
    }

    func runToExitCountingBreakpoints() -> RunSummary {
        var summary = RunSummary()
        for _ in 0..<10_000 {
            let event = process.run()
            summary.clocks.append(event.clock)
            if case .breakpoint = event.kind { summary.breakpoints += 1 }
            if case .processExited(let code) = event.kind {
                summary.exitCode = code
                break
            }
        }
        return summary
    }
}
