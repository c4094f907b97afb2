import Disassembly
import TestSupport
import Testing

/// The stack walker's "is the instruction before this address a call" check.
struct CallSiteTests {
    @Test func callFormsOfEveryLength() throws {
        let x64 = try Disassembler(architecture: .x64)
        let forms = [
            "ffd0",  // call rax
            "41ffd3",  // call r11
            "ff542408",  // call qword ptr [rsp+8]
            "e8fb0f0000",  // call rel32
            "ff15fa0f0000",  // call qword ptr [rip+disp32]
            "ff9424a0000000",  // call qword ptr [rsp+0A0h]
        ]
        for form in forms {
            let bytes = hex("4889c8") + hex(form)
            let memory = FakeMemory([(0x1000, bytes)])
            let call = x64.callInstruction(
                endingAt: 0x1000 + UInt64(bytes.count), read: memory.read)
            #expect(call?.address == 0x1003, "\(form)")
            #expect(call?.isCall == true)
        }
    }

    @Test func notACall() throws {
        let x64 = try Disassembler(architecture: .x64)
        let memory = FakeMemory([(0x1000, hex("4889c8 488b45f0 c3"))])
        #expect(x64.callInstruction(endingAt: 0x100A, read: memory.read) == nil)
        #expect(x64.callInstruction(endingAt: 0x1007, read: memory.read) == nil)
        #expect(x64.callInstruction(endingAt: 0x1001, read: memory.read) == nil)
        #expect(x64.callInstruction(endingAt: 0x5000, read: memory.read) == nil)
    }

    @Test func directCallWinsOverAShorterOverlap() throws {
        let x64 = try Disassembler(architecture: .x64)
        // e8 .. .. ff d0: a call rel32 whose last two bytes also read as `call rax`.
        let memory = FakeMemory([(0x1000, hex("e80000ffd0"))])
        let call = x64.callInstruction(endingAt: 0x1005, read: memory.read)
        #expect(call?.address == 0x1000)
    }

    /// Every call in compiled code is recognised from its return address.
    @Test(.requires(Toolchain.peer)) func everyCompiledCallIsFound() throws {
        for sample in try compiledSamples.get() {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let memory = FakeMemory([(sample.base, sample.text)])
            var calls = 0
            for instruction in sample.objdump where instruction.mnemonic == "call" {
                calls += 1
                let end = instruction.address + UInt64(instruction.bytes.count)
                let found = disassembler.callInstruction(endingAt: end, read: memory.read)
                #expect(
                    found?.address == instruction.address,
                    "\(sample.name) \(String(end, radix: 16))")
            }
            #expect(calls > 0, "\(sample.name) has calls")
        }
    }
}
