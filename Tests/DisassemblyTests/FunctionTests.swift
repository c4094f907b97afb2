import Disassembly
import TestSupport
import Testing

/// `uf`: blocks found by following branches, printed in address order.
struct FunctionTests {
    static let base: UInt64 = 0x7ff6_1a2b_1000

    static func symbol(_ address: UInt64) -> String? {
        func named(_ name: String, _ start: UInt64) -> String {
            address == start ? name : name + "+0x" + String(address - start, radix: 16)
        }
        switch address {
        case base..<(base + 0x20): return named("app!F", base)
        case (base + 0x20)..<(base + 0x40): return named("app!Other", base + 0x20)
        default: return nil
        }
    }

    @Test func blocksWithLabelsBlankLinesAndBranchNotes() throws {
        let disassembler = try Disassembler(architecture: .x64)
        // F: test ecx,ecx / je +0xa / mov eax,1 / ret / xor eax,eax / ret
        let memory = FakeMemory([(Self.base, hex("85c9 7406 b801000000 c3 33c0 c3"))])
        let listing = disassembler.unassembleFunction(
            at: Self.base, read: memory.read, symbolizer: Self.symbol)
        #expect(
            listing.text == [
                "app!F:",
                "00007ff6`1a2b1000 85c9            test    ecx,ecx",
                "00007ff6`1a2b1002 7406            je      app!F+0xa (00007ff6`1a2b100a)  Branch",
                "",
                "app!F+0x4:",
                "00007ff6`1a2b1004 b801000000      mov     eax,1",
                "00007ff6`1a2b1009 c3              ret",
                "",
                "app!F+0xa:",
                "00007ff6`1a2b100a 33c0            xor     eax,eax",
                "00007ff6`1a2b100c c3              ret",
            ])
    }

    @Test func loopSplitsBlockAtItsTargetAndTailJumpIsNotFollowed() throws {
        let disassembler = try Disassembler(architecture: .x64)
        // F: xor eax,eax / inc eax / cmp eax,ecx / jne F+2 / jmp app!Other
        let code = hex("33c0 ffc0 39c8 75fa e913000000")
        let other = hex("c3")
        let memory = FakeMemory([(Self.base, code), (Self.base + 0x20, other)])
        let blocks = disassembler.functionBlocks(
            at: Self.base, read: memory.read, symbolizer: Self.symbol)
        #expect(blocks.map(\.start) == [Self.base, Self.base + 2, Self.base + 8])
        #expect(blocks.map { $0.instructions.count } == [1, 3, 1])
        #expect(blocks[1].instructions.last?.operands == "app!F+0x2 (00007ff6`1a2b1002)")
        let listing = disassembler.unassembleFunction(
            at: Self.base, read: memory.read, symbolizer: Self.symbol)
        #expect(
            listing.text.contains(
                "00007ff6`1a2b1008 e913000000      jmp     app!Other (00007ff6`1a2b1020)"))
        #expect(!listing.text.contains { $0.contains("1a2b1020 c3") })
        // With explicit bounds that include Other, the tail jump is followed.
        let wide = disassembler.functionBlocks(
            at: Self.base, read: memory.read, symbolizer: Self.symbol,
            bounds: Self.base..<(Self.base + 0x40))
        #expect(wide.last?.start == Self.base + 0x20)
    }

    @Test func unreadableAndRunawayCode() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let nothing = disassembler.functionBlocks(at: 0x1000, read: { _, _ in [] })
        #expect(nothing.count == 1)
        #expect(nothing.first?.instructions.first?.status == .unreadable)
        // An endless slide of nops stops at the instruction budget.
        let slide = disassembler.functionBlocks(
            at: 0x1000, read: { _, count in [UInt8](repeating: 0x90, count: count) },
            maxInstructions: 500)
        #expect(slide.flatMap(\.instructions).count == 500)
    }

    /// On compiled code, `uf` with the function's bounds reaches every instruction objdump
    /// lists for the function, except alignment padding and code only reached through jump
    /// tables; every branch target inside the function starts a block.
    @Test(.requires(Toolchain.peer)) func compiledFunctions() throws {
        // The assembly samples are instruction lists with deliberately unreachable code.
        for sample in try compiledSamples.get() where sample.name.hasPrefix("C ") {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let memory = FakeMemory([(sample.base, sample.text)])
            let starts = sample.functions.map { sample.base + UInt64($0.offset) }.sorted()
            for (position, start) in starts.enumerated() {
                let end =
                    position + 1 < starts.count
                    ? starts[position + 1] : sample.base + UInt64(sample.text.count)
                let blocks = disassembler.functionBlocks(
                    at: start, read: memory.read, bounds: start..<end)
                let ours = blocks.flatMap(\.instructions)
                let theirs = sample.objdump.filter { $0.address >= start && $0.address < end }
                let theirAddresses = Set(theirs.map(\.address))
                #expect(
                    ours.allSatisfy { theirAddresses.contains($0.address) },
                    "\(sample.name) \(start)")
                let hasIndirectJump = ours.contains { $0.flow == .jump && $0.branchTarget == nil }
                let missing = theirs.filter { instruction in
                    !ours.contains { $0.address == instruction.address }
                        && !["nop", "int3", "ud2", "xchg"].contains(instruction.mnemonic)
                }
                #expect(
                    missing.isEmpty || hasIndirectJump,
                    "\(sample.name) function at \(String(start, radix: 16)) misses \(missing.map { String($0.address, radix: 16) })"
                )
                let blockStarts = Set(blocks.map(\.start))
                for instruction in ours where instruction.isBranch {
                    if let target = instruction.branchTarget, target >= start, target < end {
                        #expect(blockStarts.contains(target))
                    }
                }
                #expect(blocks.map(\.start) == blocks.map(\.start).sorted())
            }
        }
    }
}
