import Foundation
import Testing

@testable import Emulation

/// The CPU as the machine sets it up: CPL 3 under paging, precise faults, the instruction
/// clock, single steps and the break request.
@Suite struct GuestCPUTests {
    /// A CPU with code at 0x400000 (execute-read) and data at 0x500000 (read-write).
    final class Rig {
        let cpu: GuestCPU
        let space: AddressSpace
        static let code: UInt64 = 0x40_0000
        static let data: UInt64 = 0x50_0000

        init(code bytes: [UInt8]) throws {
            cpu = try GuestCPU(breakSwitch: BreakSwitch())
            space = AddressSpace(
                windows: cpu.windows, pageTables: cpu.pageTables,
                arenas: [0x10000..<cpu.systemArea.lowerBound], cap: 1 << 30)
            space.accessReduced = { [unowned cpu] _ in cpu.flushTLB() }
            try space.reserve(at: Self.code, size: 0x10000, protect: PageProtection.executeRead)
            try space.commit(Self.code, size: 0x10000, protect: PageProtection.readWrite)
            _ = bytes.withUnsafeBytes { space.write(Self.code, $0) }
            try space.protect(Self.code, size: 0x10000, protect: PageProtection.executeRead)
            try space.reserve(at: Self.data, size: 0x10000, protect: PageProtection.readWrite)
            try space.commit(Self.data, size: 0x2000, protect: PageProtection.readWrite)
            cpu.blockLookup = { [unowned space, unowned cpu] address, size in
                guard let protect = space.protection(at: address),
                    PageProtection.isExecutable(protect)
                else { return 0 }
                return UInt32(
                    max(1, cpu.instructionCount(from: address, to: address + UInt64(size))))
            }
            cpu.unicorn[.rip] = Self.code
            cpu.unicorn[.rsp] = Self.data + 0x1F00
        }
    }

    @Test func breakpointInstructionStopsAfterIt() throws {
        let rig = try Rig(code: [0x90, 0x90, 0xCC, 0x90])
        let result = rig.cpu.runSlice(budget: 1000)
        #expect(result.stop == .interrupt(3))
        #expect(rig.cpu.unicorn[.rip] == Rig.code + 3)
        #expect(result.executed == 3)
        #expect(rig.cpu.unicorn[.cs] == 0x33)
    }

    @Test func pageFaultIsPreciseWithFlags() throws {
        // cmp rax, rax (ZF=1); mov rcx, [0x700000] (not allocated); then a null read.
        let rig = try Rig(code: [0x48, 0x39, 0xC0, 0x48, 0x8B, 0x0C, 0x25, 0, 0, 0x70, 0, 0x90])
        let result = rig.cpu.runSlice(budget: 1000)
        #expect(result.stop == .interrupt(14))
        #expect(rig.cpu.unicorn[.rip] == Rig.code + 3)
        #expect(rig.cpu.unicorn[.cr2] == 0x70_0000)
        #expect(rig.cpu.unicorn[.eflags] & 0x40 != 0)
        #expect(result.executed == 1)
        // A second fault is a page fault too (the CPU's exception state was reset).
        rig.cpu.unicorn[.rip] = Rig.code + 3
        #expect(rig.cpu.runSlice(budget: 1000).stop == .interrupt(14))
    }

    @Test func writesToReadOnlyPagesFault() throws {
        // mov [0x400800], rax
        let rig = try Rig(code: [0x48, 0x89, 0x04, 0x25, 0x00, 0x08, 0x40, 0x00, 0x90])
        #expect(rig.cpu.runSlice(budget: 1000).stop == .interrupt(14))
        #expect(rig.cpu.unicorn[.cr2] == 0x40_0800)
        #expect(rig.cpu.unicorn[.rip] == Rig.code)
    }

    @Test func privilegedInstructionsFault() throws {
        let rig = try Rig(code: [0x90, 0xFA])
        #expect(rig.cpu.runSlice(budget: 1000).stop == .interrupt(13))
        #expect(rig.cpu.unicorn[.rip] == Rig.code + 1)
        rig.cpu.unicorn[.rip] = Rig.code + 1
        #expect(rig.cpu.runSlice(budget: 1000).stop == .interrupt(13))
    }

    @Test func executingDataIsRefused() throws {
        // jmp to the data page (read-write, not executable).
        let rig = try Rig(code: [0x48, 0xC7, 0xC0, 0x00, 0x00, 0x50, 0x00, 0xFF, 0xE0])
        let result = rig.cpu.runSlice(budget: 1000)
        #expect(result.stop == .notExecutable(Rig.data))
        #expect(rig.cpu.unicorn[.rip] == Rig.data)
        #expect(result.executed == 2)
    }

    @Test func syscallStopsPastTheInstruction() throws {
        let rig = try Rig(code: [0xB8, 0x33, 0, 0, 0, 0x0F, 0x05, 0x90])
        let result = rig.cpu.runSlice(budget: 1000)
        #expect(result.stop == .syscall)
        #expect(rig.cpu.unicorn[.rip] == Rig.code + 7)
        #expect(rig.cpu.unicorn[.rax] == 0x33)
        #expect(result.executed == 2)
    }

    @Test func budgetsCountInstructionsExactlyAtBlockEdges() throws {
        // mov ecx, 100; loop: dec ecx; jnz loop; int3
        let rig = try Rig(code: [0xB9, 100, 0, 0, 0, 0xFF, 0xC9, 0x75, 0xFC, 0xCC])
        var total: UInt64 = 0
        var slices = 0
        while true {
            let result = rig.cpu.runSlice(budget: 37)
            total += result.executed
            slices += 1
            if result.stop == .interrupt(3) { break }
            #expect(result.stop == .budget)
            #expect(result.executed <= 37 + 2)
        }
        #expect(total == 1 + 200 + 1)
        #expect(slices > 3)
    }

    @Test func singleStepRunsOneInstruction() throws {
        let rig = try Rig(code: [0x48, 0xFF, 0xC0, 0x48, 0xFF, 0xC0, 0xCC])
        let first = rig.cpu.step()
        #expect(first.stop == .stepDone)
        #expect(first.executed == 1)
        #expect(rig.cpu.unicorn[.rip] == Rig.code + 3)
        #expect(rig.cpu.unicorn[.rax] == 1)
        #expect(rig.cpu.unicorn[.eflags] & 0x100 == 0)
        #expect(rig.cpu.runSlice(budget: 100).stop == .interrupt(3))
        #expect(rig.cpu.unicorn[.rax] == 2)
    }

    @Test func breakRequestStopsATightLoopFromAnotherThread() throws {
        let rig = try Rig(code: [0xEB, 0xFE])  // jmp $
        let breakSwitch = rig.cpu.breakSwitch
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            breakSwitch.request()
        }
        thread.start()
        let result = rig.cpu.runSlice(budget: UInt64.max / 2)
        #expect(result.stop == .breakRequest)
        #expect(result.executed > 0)
        #expect(breakSwitch.take())
    }
}
