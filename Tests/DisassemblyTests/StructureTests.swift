import Disassembly
import Testing

/// The structured facts the engine uses: control flow, targets, memory operands, effective
/// addresses and CDB's annotation.
struct StructureTests {
    @Test func flowAndTargets() throws {
        let x64 = try Disassembler(architecture: .x64)
        let cases: [(String, ControlFlow, UInt64?)] = [
            ("e8fb0f0000", .call, 0x2000),
            ("ffd0", .call, nil),
            ("ff15fa0f0000", .call, nil),
            ("ebfe", .jump, 0x1000),
            ("e9fb0f0000", .jump, 0x2000),
            ("ff24c5 00100000", .jump, nil),
            ("7405", .conditionalJump, 0x1007),
            ("0f85fa0f0000", .conditionalJump, 0x2000),
            ("e2fe", .conditionalJump, 0x1000),  // loop
            ("e3fe", .conditionalJump, 0x1000),  // jrcxz
            ("c3", .return, nil),
            ("c20800", .return, nil),
            ("48cf", .return, nil),  // iretq
            ("cc", .interrupt, nil),
            ("cd29", .interrupt, nil),
            ("0f05", .interrupt, nil),
            ("4889c8", .sequential, nil),
        ]
        for (bytes, flow, target) in cases {
            let instruction = x64.decode(hex(bytes), at: 0x1000)
            #expect(instruction.flow == flow, "\(bytes)")
            #expect(instruction.branchTarget == target, "\(bytes)")
        }
        #expect(x64.decode(hex("e8fb0f0000"), at: 0x1000).isCall)
        #expect(x64.decode(hex("7405"), at: 0x1000).isConditionalBranch)
        #expect(x64.decode(hex("ebfe"), at: 0x1000).isBranch)
        #expect(!x64.decode(hex("ebfe"), at: 0x1000).isConditionalBranch)
        #expect(x64.decode(hex("c3"), at: 0x1000).isReturn)
    }

    @Test func memoryOperandStructure() throws {
        let x64 = try Disassembler(architecture: .x64)
        let sib = try #require(x64.decode(hex("4c8b84c8a8000000"), at: 0x1000).memoryOperand)
        #expect(sib.base == "rax")
        #expect(sib.index == "rcx")
        #expect(sib.scale == 8)
        #expect(sib.displacement == 0xA8)
        #expect(sib.size == 8)
        #expect(sib.sizeKeyword == "qword")
        #expect(sib.segment == "ds")
        #expect(sib.segmentOverride == nil)
        #expect(sib.accessesMemory)

        let stack = try #require(x64.decode(hex("488b45f0"), at: 0x1000).memoryOperand)
        #expect(stack.displacement == -0x10)
        #expect(stack.segment == "ss")

        let rip = try #require(x64.decode(hex("488b0525000000"), at: 0x1000).memoryOperand)
        #expect(rip.isRIPRelative)
        #expect(rip.absoluteAddress == 0x102C)

        let teb = try #require(x64.decode(hex("65488b042530000000"), at: 0x1000).memoryOperand)
        #expect(teb.segmentOverride == "gs")
        #expect(teb.segment == "gs")
        #expect(teb.absoluteAddress == 0x30)

        let lea = try #require(x64.decode(hex("488d0c01"), at: 0x1000).memoryOperand)
        #expect(!lea.accessesMemory)
        #expect(lea.sizeKeyword == nil)

        let x86 = try Disassembler(architecture: .x86)
        let stos = try #require(x86.decode(hex("f3ab"), at: 0x1000).memoryOperand)
        #expect(stos.segment == "es")
        #expect(stos.base == "edi")
        #expect(stos.addressSize == 4)
    }

    @Test func structuredOperands() throws {
        let x64 = try Disassembler(architecture: .x64)
        let instruction = x64.decode(hex("83c8ff"), at: 0x1000)
        #expect(
            instruction.operandList == [
                .register("eax"), .immediate(0xFFFF_FFFF, size: 4, encodedSize: 1),
            ])
        #expect(instruction.mnemonic == "or")
        #expect(instruction.operands == "eax,0FFFFFFFFh")
        #expect(instruction.length == 3)
        #expect(instruction.nextAddress == 0x1003)
        #expect(instruction.bytes == [0x83, 0xC8, 0xFF])
    }

    @Test func invalidAndEmptyInput() throws {
        let x64 = try Disassembler(architecture: .x64)
        let invalid = x64.decode(hex("ff ff"), at: 0x1000)
        #expect(invalid.status == .invalid)
        #expect(invalid.length == 1)
        #expect(invalid.mnemonic == "???")
        let truncated = x64.decode(hex("48 8b"), at: 0x1000)
        #expect(truncated.status == .invalid)
        let empty = x64.decode([], at: 0x1000)
        #expect(empty.status == .unreadable)
        #expect(empty.cdbLine == "00000000`00001000 ??              ???")
        // A stream of garbage never stops decoding early and advances a byte at a time.
        let garbage = x64.disassemble(bytes: [UInt8](repeating: 0xFF, count: 10), address: 0)
        #expect(garbage.count == 10)
        #expect(x64.disassemble(bytes: hex("90909090"), address: 0, count: 2).count == 2)
        #expect(x64.disassemble(bytes: hex("90909090"), address: 0, maxBytes: 3).count == 3)
        #expect(x64.disassemble(bytes: hex("90909090"), address: 0, count: -1).isEmpty)
    }

    /// The annotation shapes from cdb-console.md §6 and the observed .cxr transcript.
    @Test func effectiveAddressAnnotations() throws {
        let x86 = try Disassembler(architecture: .x86)
        let x64 = try Disassembler(architecture: .x64)
        let noMemory = FakeMemory([])
        let x86Registers: [String: UInt64] = [
            "eax": 0, "ds": 0x23, "ss": 0x23, "ebp": 0x12ff80, "fs": 0x3b,
            "fsbase": 0x7ffd_f000,
        ]
        let x86Memory = FakeMemory([(0x12ff88, hex("01000000")), (0x7ffd_f018, hex("00f0fd7f"))])

        let load = x86.decode(hex("8b4804"), at: 0x401000)  // mov ecx,dword ptr [eax+4]
        #expect(
            load.effectiveAddressAnnotation(
                readRegister: { x86Registers[$0] }, readMemory: noMemory.read)
                == "ds:0023:00000004=????????")
        #expect(
            load.cdbLine(appending: "ds:0023:00000004=????????")
                == "00401000 8b4804          mov     ecx,dword ptr [eax+4] ds:0023:00000004=????????"
        )

        let argument = x86.decode(hex("8b4508"), at: 0x401000)  // mov eax,dword ptr [ebp+8]
        #expect(
            argument.effectiveAddressAnnotation(
                readRegister: { x86Registers[$0] }, readMemory: x86Memory.read)
                == "ss:0023:0012ff88=00000001")

        let teb = x86.decode(hex("64a118000000"), at: 0x401000)
        #expect(
            teb.effectiveAddressAnnotation(
                readRegister: { x86Registers[$0] }, readMemory: x86Memory.read)
                == "fs:003b:00000018=7ffdf000")

        let x64Registers: [String: UInt64] = ["rax": 0, "rdi": 3, "ds": 0x2b, "rsp": 0x12ff60]
        let x64Memory = FakeMemory([(0x12ff80, hex("0100000000000000"))])
        let store = x64.decode(hex("c70001000000"), at: 0x1000)  // mov dword ptr [rax],1
        #expect(
            store.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: noMemory.read)
                == "ds:00000000`00000000=????????")
        let stmxcsr = x64.decode(hex("0fae1f"), at: 0x1000)
        #expect(
            stmxcsr.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: noMemory.read, showSelector: true)
                == "ds:002b:00000000`00000003=????????")
        let spill = x64.decode(hex("488b442420"), at: 0x1000)  // mov rax,qword ptr [rsp+20h]
        #expect(
            spill.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: x64Memory.read)
                == "ss:00000000`0012ff80=0000000000000001")
        let byteLoad = x64.decode(hex("8a00"), at: 0x1000)
        #expect(
            byteLoad.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: noMemory.read)
                == "ds:00000000`00000000=??")
        // 67h: 32-bit address registers in 64-bit mode come from the 64-bit registers.
        let narrow = x64.decode(hex("678b00"), at: 0x1000)  // mov eax,dword ptr [eax]
        #expect(
            narrow.effectiveAddress(readRegister: { ["rax": 0xFFFF_FFFF_0000_1234][$0] }) == 0x1234)
        // Unknown register: no address, no annotation.
        #expect(spill.effectiveAddress(readRegister: { _ in nil }) == nil)
        // No memory access: no annotation.
        let lea = x64.decode(hex("488d442420"), at: 0x1000)
        #expect(
            lea.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: noMemory.read) == nil)
        let move = x64.decode(hex("4889c8"), at: 0x1000)
        #expect(
            move.effectiveAddressAnnotation(
                readRegister: { x64Registers[$0] }, readMemory: noMemory.read) == nil)
    }

    @Test func numberFormatting() {
        #expect(CDBText.number(0) == "0")
        #expect(CDBText.number(9) == "9")
        #expect(CDBText.number(10) == "0Ah")
        #expect(CDBText.number(0x28) == "28h")
        #expect(CDBText.number(0xFFFF_FFF0) == "0FFFFFFF0h")
        #expect(CDBText.number(UInt64.max) == "0FFFFFFFFFFFFFFFFh")
        #expect(CDBText.signedDisplacement(-0x10) == "-10h")
        #expect(CDBText.signedDisplacement(Int64.min) == "-8000000000000000h")
        #expect(CDBText.signedDisplacement(8) == "+8")
        #expect(CDBText.paddedNumber(0x18, digits: 8) == "00000018h")
        #expect(CDBText.paddedNumber(0xC000_0000, digits: 8) == "0C0000000h")
        #expect(CDBText.address(0x7ffc_0f1d_4961, is64Bit: true) == "00007ffc`0f1d4961")
        #expect(CDBText.address(0x7255_b29f, is64Bit: false) == "7255b29f")
    }

    @Test func concurrentUseIsSafe() async throws {
        let disassembler = try Disassembler(architecture: .x64)
        let code = hex("4883ec28 488b0525000000 e800000000 4883c428 c3")
        let expected = disassembler.disassemble(bytes: code, address: 0x1000).map(\.cdbLine)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var last: [String] = []
                    for _ in 0..<200 {
                        last = disassembler.disassemble(bytes: code, address: 0x1000).map(\.cdbLine)
                    }
                    return last
                }
            }
            var all: [[String]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.allSatisfy { $0 == expected })
    }
}

extension StructureTests {
    /// Whether an instruction writes its memory operand, which decides READ_ADDRESS or
    /// WRITE_ADDRESS for a signal whose record does not say.
    @Test func memoryOperandWritesFromTheInstruction() throws {
        let x64 = try Disassembler(architecture: .x64)
        let cases: [(String, Bool)] = [
            ("8908", true),  // mov dword ptr [rax],ecx
            ("8b08", false),  // mov ecx,dword ptr [rax]
            ("ff00", true),  // inc dword ptr [rax]
            ("0108", true),  // add dword ptr [rax],ecx
            ("0308", false),  // add ecx,dword ptr [rax]
            ("833800", false),  // cmp dword ptr [rax],0
            ("c70001000000", true),  // mov dword ptr [rax],1
            ("0f1100", true),  // movups xmmword ptr [rax],xmm0
            ("ff30", false),  // push qword ptr [rax]
        ]
        for (bytes, written) in cases {
            let memory = try #require(x64.decode(hex(bytes), at: 0x1000).memoryOperand, "\(bytes)")
            #expect(memory.isWritten == written, "\(bytes)")
        }
        let arm64 = try Disassembler(architecture: .arm64)
        // str w1, [x0] / ldr w1, [x0]
        #expect(arm64.decode(hex("010000b9"), at: 0x1000).memoryOperand?.isWritten == true)
        #expect(arm64.decode(hex("010040b9"), at: 0x1000).memoryOperand?.isWritten == false)
    }
}
