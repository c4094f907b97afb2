import Disassembly
import Testing

/// ARM64 and Thumb: Capstone's syntax with CDB's columns, `fp`/`lr` names, symbolized targets.
struct ARMTests {
    static func symbol(_ address: UInt64) -> String? {
        address == 0x7ffb_7c9c_127c ? "ntdll!RtlpFoo" : nil
    }

    @Test func arm64Lines() throws {
        let disassembler = try Disassembler(architecture: .arm64)
        let base: UInt64 = 0x7ffb_7c9c_1234
        let code = hex("fd7bbfa9 fd030091 10000094 c0035fd6 00003ed4 680e40f9 1f2003d5")
        let lines = disassembler.disassemble(bytes: code, address: base, symbolizer: Self.symbol)
            .map(\.cdbLine)
        #expect(
            lines == [
                "00007ffb`7c9c1234 a9bf7bfd stp         fp,lr,[sp,#-0x10]!",
                "00007ffb`7c9c1238 910003fd mov         fp,sp",
                "00007ffb`7c9c123c 94000010 bl          ntdll!RtlpFoo (00007ffb`7c9c127c)",
                "00007ffb`7c9c1240 d65f03c0 ret",
                "00007ffb`7c9c1244 d43e0000 brk         #0xf000",
                "00007ffb`7c9c1248 f9400e68 ldr         x8,[x19,#0x18]",
                "00007ffb`7c9c124c d503201f nop",
            ])
    }

    @Test func arm64Flow() throws {
        let disassembler = try Disassembler(architecture: .arm64)
        let base: UInt64 = 0x1000
        // bl, ret, b, b.eq, cbz x0, tbz w0, blr x8, br x16, brk
        let code = hex(
            "10000094 c0035fd6 00000014 40000054 e00000b4 00010036 00013fd6 00021fd6 00003ed4")
        let instructions = disassembler.disassemble(bytes: code, address: base)
        #expect(
            instructions.map(\.flow) == [
                .call, .return, .jump, .conditionalJump, .conditionalJump, .conditionalJump, .call,
                .jump, .interrupt,
            ])
        #expect(
            instructions.map(\.branchTarget) == [
                0x1040, nil, 0x1008, 0x1014, 0x102c, 0x1034, nil, nil, nil,
            ])
        let load = disassembler.decode(hex("680e40f9"), at: base)
        #expect(load.memoryOperand?.base == "x19")
        #expect(load.memoryOperand?.displacement == 0x18)
        #expect(load.memoryOperand?.accessesMemory == true)
    }

    @Test func arm64InvalidWord() throws {
        let disassembler = try Disassembler(architecture: .arm64)
        let instruction = disassembler.decode(hex("00000000"), at: 0x7ffb_0000_0000)
        #expect(instruction.status == .invalid)
        #expect(instruction.length == 4)
        #expect(instruction.cdbLine == "00007ffb`00000000 00000000 ???")
    }

    @Test func thumbLines() throws {
        let disassembler = try Disassembler(architecture: .thumb)
        let code = hex("80b5 fff79abf 00f000f8 1cb1 80bd 7047 fede")
        let instructions = disassembler.disassemble(bytes: code, address: 0x77c4_f0a0)
        #expect(
            instructions.map(\.cdbLine) == [
                "77c4f0a0 b580     push        {r7,lr}",
                "77c4f0a2 f7ffbf9a b.w         77c4efda",
                "77c4f0a6 f000f800 bl          77c4f0aa",
                "77c4f0aa b11c     cbz         r4,77c4f0b4",
                "77c4f0ac bd80     pop         {r7,pc}",
                "77c4f0ae 4770     bx          lr",
                "77c4f0b0 defe     trap",  // udf #0xfe, Windows' __debugbreak
            ])
        #expect(
            instructions.map(\.flow) == [
                .sequential, .jump, .call, .conditionalJump, .return, .return, .interrupt,
            ])
    }

    @Test func armCallBeforeReturnAddress() throws {
        let arm64 = try Disassembler(architecture: .arm64)
        let memory = FakeMemory([(0x1000, hex("fd7bbfa9 10000094 fd030091"))])
        #expect(arm64.callInstruction(endingAt: 0x1008, read: memory.read)?.address == 0x1004)
        #expect(arm64.callInstruction(endingAt: 0x1004, read: memory.read) == nil)
        let thumb = try Disassembler(architecture: .thumb)
        let thumbMemory = FakeMemory([(0x2000, hex("00f000f8 8047 0020"))])  // bl; blx r0; movs
        #expect(thumb.callInstruction(endingAt: 0x2005, read: thumbMemory.read)?.address == 0x2000)
        #expect(thumb.callInstruction(endingAt: 0x2006, read: thumbMemory.read)?.address == 0x2004)
        #expect(thumb.callInstruction(endingAt: 0x2008, read: thumbMemory.read) == nil)
    }
}
