import Disassembly
import TestSupport
import Testing

/// Hostile input: random bytes and odd memory layouts never trap, hang or return nonsense.
struct RobustnessTests {
    @Test(arguments: Architecture.allCases)
    func randomBytesEverywhere(_ architecture: Architecture) throws {
        let disassembler = try Disassembler(architecture: architecture)
        var generator = SplitMix64(seed: 0x5EED)
        for round in 0..<150 {
            let bytes = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let base =
                round % 3 == 0
                ? UInt64.max - 31 : UInt64.random(in: 0...UInt64.max, using: &generator)
            let memory = FakeMemory([(base, bytes)])
            let symbolizer: Symbolizer = {
                $0 % 7 == 0 ? "m!f+0x\(String($0 % 16, radix: 16))" : nil
            }

            let all = disassembler.disassemble(bytes: bytes, address: base, symbolizer: symbolizer)
            #expect(all.reduce(0) { $0 + $1.bytes.count } == bytes.count)
            #expect(all.allSatisfy { !$0.cdbLine.isEmpty })

            let listing = disassembler.unassemble(
                at: base, count: 40, read: memory.read, symbolizer: symbolizer)
            #expect(listing.instructions.count == 40)
            let back = disassembler.unassembleBackward(
                from: base &+ 40, count: 8, read: memory.read, symbolizer: symbolizer)
            #expect(back.instructions.count <= 8)
            if let last = back.instructions.last {
                #expect(last.nextAddress == (base &+ 40) & maskFor(architecture))
            }
            let function = disassembler.unassembleFunction(
                at: base, read: memory.read, symbolizer: symbolizer, maxInstructions: 200)
            #expect(function.instructions.count <= 200)
            _ = disassembler.callInstruction(endingAt: base &+ 20, read: memory.read)
            for instruction in listing.instructions {
                _ = instruction.effectiveAddressAnnotation(
                    readRegister: { _ in 0x1234 }, readMemory: memory.read)
            }
        }
    }

    func maskFor(_ architecture: Architecture) -> UInt64 {
        architecture.is64Bit ? .max : 0xFFFF_FFFF
    }

    /// `ub` where memory before the address starts part-way through the window (dump memory
    /// ranges need not be page-aligned): it uses what is readable.
    @Test func backwardWithPartlyReadableWindow() throws {
        let x64 = try Disassembler(architecture: .x64)
        // Readable from 0x1003: push rbx / sub rsp,20h / mov rbx,rcx / call rel32
        let memory = FakeMemory([(0x1003, hex("4053 4883ec20 488bd9 e800000000"))])
        let back = x64.instructions(before: 0x1011, count: 8, read: memory.read)
        #expect(back.map(\.address) == [0x1003, 0x1005, 0x1009, 0x100C].map { UInt64($0) })
        #expect(back.map(\.operands) == ["rbx", "rsp,20h", "rbx,rcx", "00000000`00001011"])
        #expect(x64.instructions(before: 0x1003, count: 8, read: memory.read).isEmpty)
        #expect(x64.instructions(before: 0x9000, count: 8, read: memory.read).isEmpty)
    }
}
