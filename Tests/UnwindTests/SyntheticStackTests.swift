import Foundation
import PEFormat
import TestSupport
import Testing

@testable import Unwind

/// Hand-laid stacks for the heuristics: frame pointers, scans, ARM leaves, external CFI.
@Suite struct SyntheticStackTests {
    static let stackBase: UInt64 = 0x12_f000

    static func x86Context(eip: UInt64, esp: UInt64, ebp: UInt64?, ebx: UInt64? = nil)
        -> RegisterContext
    {
        var context = RegisterContext(architecture: .x86)
        context[X86Register.eip] = eip
        context[X86Register.esp] = esp
        context[X86Register.ebp] = ebp
        context[X86Register.ebx] = ebx
        return context
    }

    static let x86Modules = UnwindModuleList([
        UnwindModule(base: 0x40_0000, size: 0x1_0000, name: "app")
    ])

    @Test func x86FramePointerChain() {
        var memory = TestMemory([(Self.stackBase, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x12_fe20, [0x12_fe60, 0x40_1234], size: 4)
        memory.store(0x12_fe60, [0x12_fea0, 0x40_2345], size: 4)
        memory.store(0x12_fea0, [0, 0], size: 4)
        let walker = StackWalker(architecture: .x86, memory: memory, modules: Self.x86Modules)
        let walk = walker.walk(
            from: Self.x86Context(eip: 0x40_1010, esp: 0x12_fe00, ebp: 0x12_fe20))
        #expect(walk.frames.map(\.instructionPointer) == [0x40_1010, 0x40_1234, 0x40_2345])
        #expect(walk.frames.map(\.stackPointer) == [0x12_fe00, 0x12_fe28, 0x12_fe68])
        #expect(walk.frames.map(\.framePointer) == [0x12_fe20, 0x12_fe60, 0x12_fea0])
        #expect(walk.frames.map(\.trust) == [.context, .framePointer, .framePointer])
        #expect(walk.stopReason == .endOfStack)
        #expect(walk.frames.last?.returnAddress == 0)
        #expect(walk.frames[0].argumentsAddress == 0x12_fe28)
        #expect(walk.frames[1].lookupAddress == 0x40_1233)
    }

    @Test func x86ScanRecoversTheFramePointer() {
        var memory = TestMemory([(Self.stackBase, [UInt8](repeating: 0, count: 0x1000))])
        // Junk, then a saved ebp, then a return address into the module.
        memory.store(0x12_fe00, [0xdead_beef, 0x1234, 0x7fff_0000, 0x12_fe80, 0x40_1500], size: 4)
        memory.store(0x12_fe80, [0, 0], size: 4)
        let walker = StackWalker(architecture: .x86, memory: memory, modules: Self.x86Modules)
        let walk = walker.walk(from: Self.x86Context(eip: 0x40_1010, esp: 0x12_fe00, ebp: 0))
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].trust == .scan)
        #expect(walk.frames[1].instructionPointer == 0x40_1500)
        #expect(walk.frames[1].stackPointer == 0x12_fe14)
        #expect(walk.frames[1].framePointer == 0x12_fe80)
        // From the recovered ebp the chain ends cleanly.
        #expect(walk.stopReason == .endOfStack)
    }

    /// The built-in return-address test looks at the code before the address when it can.
    @Test func scanRequiresACallBeforeTheReturnAddress() {
        var code = [UInt8](repeating: 0x90, count: 0x1000)
        code[0x500 - 5] = 0xE8  // call rel32 ending at 0x401500
        code[0x600 - 2] = 0xFF  // call eax ending at 0x401600
        code[0x600 - 1] = 0xD0
        var memory = TestMemory([
            (Self.stackBase, [UInt8](repeating: 0, count: 0x1000)), (0x40_1000, code),
        ])
        memory.store(0x12_fe00, [0x40_1400, 0x40_1700, 0x40_1600, 0x40_1500], size: 4)
        let walker = StackWalker(architecture: .x86, memory: memory, modules: Self.x86Modules)
        let walk = walker.walk(from: Self.x86Context(eip: 0x40_1010, esp: 0x12_fe00, ebp: 0))
        #expect(walk.frames[1].instructionPointer == 0x40_1600)
        #expect(walk.frames[2].instructionPointer == 0x40_1500)
        #expect(ReturnAddressCheck.x86CallEndsAt([0, 0, 0, 0, 0, 0xFF, 0x15]) == false)
        #expect(ReturnAddressCheck.x86CallEndsAt([0, 0xFF, 0x15, 1, 2, 3, 4]))
        #expect(ReturnAddressCheck.x86CallEndsAt([0, 0, 0, 0xFF, 0x54, 0x24, 0x08]))
    }

    @Test func x64FramePointerWhenNoUnwindData() {
        let module = UnwindModule(base: 0x7ff6_0000_0000, size: 0x10000, name: "jit")
        var memory = TestMemory([(0x1000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x1000_0040, [0x1000_0100, 0x7ff6_0000_2000])
        memory.store(0x1000_0100, [0, 0])
        var context = RegisterContext(architecture: .amd64)
        context[AMD64Register.rip] = 0x7ff6_0000_1000
        context[AMD64Register.rsp] = 0x1000_0000
        context[AMD64Register.rbp] = 0x1000_0040
        context[AMD64Register.rbx] = 0x42
        let walk = StackWalker(
            architecture: .amd64, memory: memory, modules: UnwindModuleList([module])
        )
        .walk(from: context)
        #expect(walk.frames.map(\.instructionPointer) == [0x7ff6_0000_1000, 0x7ff6_0000_2000])
        #expect(walk.frames[1].trust == .framePointer)
        #expect(walk.frames[1].stackPointer == 0x1000_0050)
        #expect(walk.frames[1].framePointer == 0x1000_0100)
        // The frame pointer method cannot vouch for other callee-saved registers.
        #expect(walk.frames[1].registers[AMD64Register.rbx] == nil)
        #expect(walk.stopReason == .endOfStack)
    }

    /// A call through a null function pointer: RIP is 0 and the return address is at [RSP].
    /// The caller keeps its callee-saved registers, so unwinding continues exactly.
    @Test func callThroughANullPointer() {
        let module = UnwindModule(base: 0x7ff6_0000_0000, size: 0x10000, name: "app")
        var memory = TestMemory([(0x1000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x1000_0000, [0x7ff6_0000_2000])
        var context = RegisterContext(architecture: .amd64)
        context[AMD64Register.rip] = 0
        context[AMD64Register.rsp] = 0x1000_0000
        context[AMD64Register.rbx] = 0x42
        context[AMD64Register.rax] = 0x99
        // rbp holds a stale frame whose record would skip the real caller.
        memory.store(0x1000_0100, [0x1000_0200, 0x7ff6_0000_3000])
        context[AMD64Register.rbp] = 0x1000_0100
        let walk = StackWalker(
            architecture: .amd64, memory: memory, modules: UnwindModuleList([module])
        )
        .walk(from: context)
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].instructionPointer == 0x7ff6_0000_2000)
        #expect(walk.frames[1].stackPointer == 0x1000_0008)
        #expect(walk.frames[1].trust == .scan)
        #expect(walk.frames[1].registers[AMD64Register.rbx] == 0x42)
        #expect(walk.frames[1].registers[AMD64Register.rax] == nil)
    }

    static func arm64Context(pc: UInt64, sp: UInt64, fp: UInt64, lr: UInt64?) -> RegisterContext {
        var context = RegisterContext(architecture: .arm64)
        context[ARM64Register.pc] = pc
        context[ARM64Register.sp] = sp
        context[ARM64Register.fp] = fp
        context[ARM64Register.lr] = lr
        context[ARM64Register.x19] = 0x1919
        return context
    }

    static let arm64Modules = UnwindModuleList([
        UnwindModule(base: 0x1_0000_0000, size: 0x10_0000, name: "app")
    ])

    @Test func arm64FrameRecordChain() {
        var memory = TestMemory([(0x8000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x8000_0020, [0x8000_0080, 0x1_0000_2004])
        memory.store(0x8000_0080, [0x8000_0100, 0x1_0000_3008])
        memory.store(0x8000_0100, [0, 0])
        // A non-leaf that has just saved its record: lr equals [fp + 8].
        let context = Self.arm64Context(
            pc: 0x1_0000_1000, sp: 0x8000_0000, fp: 0x8000_0020, lr: 0x1_0000_2004)
        let walk = StackWalker(architecture: .arm64, memory: memory, modules: Self.arm64Modules)
            .walk(from: context)
        #expect(
            walk.frames.map(\.instructionPointer) == [0x1_0000_1000, 0x1_0000_2004, 0x1_0000_3008])
        #expect(walk.frames.map(\.stackPointer) == [0x8000_0000, 0x8000_0030, 0x8000_0090])
        #expect(walk.frames.map(\.framePointer) == [0x8000_0020, 0x8000_0080, 0x8000_0100])
        #expect(walk.stopReason == .endOfStack)
    }

    @Test func arm64LeafUsesTheLinkRegister() {
        var memory = TestMemory([(0x8000_0000, [UInt8](repeating: 0, count: 0x1000))])
        // fp is the caller's record; lr is the only trace of the leaf's caller.
        memory.store(0x8000_0020, [0x8000_0080, 0x1_0000_3008])
        memory.store(0x8000_0080, [0, 0])
        let context = Self.arm64Context(
            pc: 0x1_0000_1000, sp: 0x8000_0000, fp: 0x8000_0020, lr: 0x1_0000_2004)
        let walk = StackWalker(architecture: .arm64, memory: memory, modules: Self.arm64Modules)
            .walk(from: context)
        #expect(
            walk.frames.map(\.instructionPointer) == [0x1_0000_1000, 0x1_0000_2004, 0x1_0000_3008])
        #expect(walk.frames[1].stackPointer == 0x8000_0000)
        #expect(walk.frames[1].framePointer == 0x8000_0020)
        #expect(walk.frames[1].trust == .framePointer)
        #expect(walk.frames[1].registers[ARM64Register.x19] == 0x1919)
        #expect(walk.frames[2].trust == .framePointer)
    }

    /// With ARM64 `.pdata`, "no entry for pc" proves a leaf even when lr would not pass the
    /// return-address test.
    @Test func arm64PdataProvesALeaf() {
        // One packed entry covering 0x2000..0x2014; pc 0x1000 has none.
        let pdata: [UInt8] = [0x00, 0x20, 0, 0, 0x15, 0x00, 0xE0, 0x00]
        let table = ARMFunctionTable(
            machine: .arm64, source: ArrayByteSource(pdata), offset: 0, count: 1,
            image: ArrayByteSource([]))
        let module = UnwindModule(
            base: 0x1_0000_0000, size: 0x10_0000, name: "app", armFunctionTable: table)
        var memory = TestMemory([(0x8000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x8000_0020, [0, 0])
        let context = Self.arm64Context(
            pc: 0x1_0000_1000, sp: 0x8000_0000, fp: 0x8000_0020, lr: 0x1_0000_2004)
        let walk = StackWalker(
            architecture: .arm64, memory: memory, modules: UnwindModuleList([module]),
            isLikelyReturnAddress: { _ in false }
        ).walk(from: context)
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].instructionPointer == 0x1_0000_2004)
        #expect(walk.frames[1].trust == .unwindInfo)
        #expect(table.lookup(rva: 0x2010)?.functionLength == 20)
    }

    @Test func armR11ChainClearsTheThumbBit() {
        var memory = TestMemory([(0x7000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x7000_0010, [0x7000_0040, 0x40_2001], size: 4)
        memory.store(0x7000_0040, [0, 0], size: 4)
        var context = RegisterContext(architecture: .arm)
        context[ARMRegister.pc] = 0x40_1000
        context[ARMRegister.sp] = 0x7000_0000
        context[ARMRegister.r11] = 0x7000_0010
        let walk = StackWalker(architecture: .arm, memory: memory, modules: Self.x86Modules).walk(
            from: context)
        #expect(walk.frames.map(\.instructionPointer) == [0x40_1000, 0x40_2000])
        #expect(walk.frames[1].stackPointer == 0x7000_0018)
        #expect(walk.frames[1].framePointer == 0x7000_0040)
        #expect(walk.stopReason == .endOfStack)
    }

    /// Call-frame information from outside wins over the heuristics; callee-saved registers the
    /// rules leave out are carried over.
    @Test func callFrameInfoProvider() {
        struct PopReturnAddress: CallFrameInfoProvider {
            func callerRegisters(for query: CallFrameQuery, memory: any ByteSource)
                -> RegisterContext?
            {
                guard query.lookupAddress < 0x40_2000, let esp = query.registers[X86Register.esp],
                    let eip = memory.readUInt32(at: esp)
                else { return nil }
                var caller = RegisterContext(architecture: .x86)
                caller[X86Register.eip] = UInt64(eip)
                caller[X86Register.esp] = esp + 4
                return caller
            }
        }
        var memory = TestMemory([(Self.stackBase, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x12_fe00, [0x40_1800, 0x40_2800, 0], size: 4)
        let walker = StackWalker(
            architecture: .x86, memory: memory, modules: Self.x86Modules,
            callFrameInfo: PopReturnAddress())
        let walk = walker.walk(
            from: Self.x86Context(eip: 0x40_1010, esp: 0x12_fe00, ebp: 0, ebx: 0xb0b))
        #expect(
            walk.frames.map(\.instructionPointer).prefix(3) == [0x40_1010, 0x40_1800, 0x40_2800])
        #expect(walk.frames[1].trust == .callFrameInfo)
        #expect(walk.frames[1].registers[X86Register.ebx] == 0xb0b)
        #expect(walk.frames[1].registers[X86Register.eax] == nil)
        // Frame 2 is found by frame 1's rules; nothing covers frame 2 itself, and its stack
        // holds nothing more.
        #expect(walk.frames[2].trust == .callFrameInfo)
        #expect(walk.frames.count == 3)
        #expect(walk.stopReason == .noCaller)
    }
}

/// Corrupt or hostile stacks and unwind data end the walk cleanly.
@Suite struct HostileStackTests {
    @Test func cyclicFramePointerChainEnds() {
        var memory = TestMemory([(0x12_f000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x12_fe20, [0x12_fe60, 0x40_1234], size: 4)
        memory.store(0x12_fe60, [0x12_fe20, 0x40_1234], size: 4)  // points back down
        let walker = StackWalker(
            architecture: .x86, memory: memory, modules: SyntheticStackTests.x86Modules,
            isLikelyReturnAddress: { $0 == 0x40_1234 })
        let walk = walker.walk(
            from: SyntheticStackTests.x86Context(eip: 0x40_1010, esp: 0x12_fe00, ebp: 0x12_fe20))
        #expect(walk.frames.count < 10)
        #expect([.loop, .stackPointerNotIncreasing, .noCaller].contains(walk.stopReason))
        let selfLoop = TestMemory([(0x12_f000, [UInt8](repeating: 0x20, count: 0x1000))])
        let all = StackWalker(
            architecture: .x86, memory: selfLoop, modules: SyntheticStackTests.x86Modules,
            isLikelyReturnAddress: { _ in true })
        #expect(
            all.walk(
                from: SyntheticStackTests.x86Context(eip: 0x40_1010, esp: 0x12_f000, ebp: 0x12_f800)
            ).frames.count < 2000)
    }

    @Test func frameLimit() {
        var memory = TestMemory([(0x10_0000, [UInt8](repeating: 0, count: 0x10000))])
        for index in 0..<200 {
            let ebp = UInt64(0x10_0000 + index * 0x40)
            memory.store(ebp, [ebp + 0x40, 0x40_1000 + UInt64(index)], size: 4)
        }
        var walker = StackWalker(
            architecture: .x86, memory: memory, modules: SyntheticStackTests.x86Modules)
        walker.limits.maximumFrames = 10
        let walk = walker.walk(
            from: SyntheticStackTests.x86Context(eip: 0x40_1010, esp: 0x10_0000, ebp: 0x10_0000))
        #expect(walk.frames.count == 10)
        #expect(walk.stopReason == .frameLimit)
    }

    @Test func incompleteContext() {
        var context = RegisterContext(architecture: .amd64)
        context[AMD64Register.rip] = 0x1000
        let walker = StackWalker(
            architecture: .amd64, memory: TestMemory(), modules: UnwindModuleList([]))
        #expect(walker.walk(from: context).stopReason == .incompleteContext)
        #expect(
            walker.walk(from: RegisterContext(architecture: .x86)).stopReason == .incompleteContext)
    }

    /// A module whose function table points at the given UNWIND_INFO bytes (placed at RVA 0x800),
    /// with a function covering RVA 0x1000..0x1100, and a stack whose first slot is a return
    /// address into the module.
    static func x64Walk(unwindInfo: [UInt8], unwindRVA: UInt32 = 0x800) -> StackWalk {
        var image = [UInt8](repeating: 0, count: 0x2000)
        image.replaceSubrange(0x800..<0x800 + unwindInfo.count, with: unwindInfo)
        let table = X64FunctionTable(
            entries: [
                X64RuntimeFunction(
                    beginAddress: 0x1000, endAddress: 0x1100, unwindInfoAddress: unwindRVA)
            ])
        let base: UInt64 = 0x7ff6_0000_0000
        let module = UnwindModule(
            base: base, size: 0x2000, name: "hostile", x64FunctionTable: table,
            imageBytes: ArrayByteSource(image))
        var memory = TestMemory([(0x1000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x1000_0000, [base + 0x1800])
        var context = RegisterContext(architecture: .amd64)
        context[AMD64Register.rip] = base + 0x1050
        context[AMD64Register.rsp] = 0x1000_0000
        return StackWalker(
            architecture: .amd64, memory: memory, modules: UnwindModuleList([module]),
            isLikelyReturnAddress: { $0 == base + 0x1800 }
        ).walk(from: context)
    }

    @Test func hugeAllocationFallsBackToScan() {
        // ALLOC_LARGE (32-bit form) of 0xFFFFFFF8 bytes.
        let walk = Self.x64Walk(unwindInfo: [
            0x01, 0x07, 0x03, 0x00, 0x07, 0x11, 0xF8, 0xFF, 0xFF, 0xFF, 0, 0,
        ])
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].trust == .scan)
        #expect(walk.frames[1].instructionPointer == 0x7ff6_0000_1800)
    }

    @Test func unwindInfoOutsideTheImageFallsBack() {
        let walk = Self.x64Walk(unwindInfo: [], unwindRVA: 0xFFFF_FF00)
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].trust == .scan)
    }

    @Test func chainedInfoThatChainsToItselfFallsBack() {
        // CHAININFO, no codes, chained RUNTIME_FUNCTION = the same function and info.
        let info: [UInt8] = [
            0x21, 0x00, 0x00, 0x00, 0x00, 0x10, 0, 0, 0x00, 0x11, 0, 0, 0x00, 0x08, 0, 0,
        ]
        let walk = Self.x64Walk(unwindInfo: info)
        #expect(walk.frames.count >= 2)
        #expect(walk.frames[1].trust == .scan)
    }

    @Test func unknownUnwindOperationFallsBack() {
        let walk = Self.x64Walk(unwindInfo: [0x01, 0x02, 0x02, 0x00, 0x02, 0x07, 0, 0, 0, 0])
        #expect(walk.frames[1].trust == .scan)
    }

    /// A well-formed push works through the same harness, so the fallbacks above are real.
    @Test func wellFormedInfoUnwinds() {
        // PUSH_NONVOL rbx at offset 1; the stack's first slot becomes rbx, the return address
        // is then read from the second, which is zero: the end of the stack.
        let walk = Self.x64Walk(unwindInfo: [0x01, 0x01, 0x01, 0x00, 0x01, 0x30, 0, 0])
        #expect(walk.frames.count == 1)
        #expect(walk.stopReason == .endOfStack)
    }
}

/// ARM64 leaf detection with the real `.pdata` of Examples/bin/exports-arm64.dll.
@Suite struct ARM64PdataLeafTests {
    static let base: UInt64 = 0x1_8000_0000

    static func walk(lr: UInt64, recordReturn: UInt64) throws -> StackWalk {
        let path = Corpus.projectRoot.appendingPathComponent("Examples/bin/exports-arm64.dll").path
        let image = try PEImage(contentsOfFile: path)
        let module = UnwindModule(base: base, image: image, name: "exports")
        let packed = base + UInt64(try #require(try image.exports().export(named: "packed_fn")).rva)
        var memory = TestMemory([(0x8000_0000, [UInt8](repeating: 0, count: 0x1000))])
        memory.store(0x8000_0020, [0x8000_0080, recordReturn])
        memory.store(0x8000_0080, [0, 0])
        var context = RegisterContext(architecture: .arm64)
        context[ARM64Register.pc] = packed + 8
        context[ARM64Register.sp] = 0x8000_0000
        context[ARM64Register.fp] = 0x8000_0020
        context[ARM64Register.lr] = lr
        return StackWalker(
            architecture: .arm64, memory: memory, modules: UnwindModuleList([module]),
            isLikelyReturnAddress: { module.contains($0) }
        ).walk(from: context)
    }

    /// lr points back into the crashing function itself (it was set by an earlier call in its
    /// body), so the function is not a leaf: its frame record is used, not lr.
    @Test func staleLinkRegisterInsideTheFunctionIsIgnored() throws {
        let image = try PEImage(
            contentsOfFile: Corpus.projectRoot.appendingPathComponent(
                "Examples/bin/exports-arm64.dll"
            ).path)
        let packed =
            Self.base + UInt64(try #require(try image.exports().export(named: "packed_fn")).rva)
        let caller = Self.base + 0x1010
        let walk = try Self.walk(lr: packed + 12, recordReturn: caller)
        #expect(walk.frames.map(\.instructionPointer) == [packed + 8, caller])
        #expect(walk.frames[1].trust == .framePointer)
        #expect(walk.frames[1].stackPointer == 0x8000_0030)
    }

    /// lr outside the function and different from the record's return address: a leaf.
    @Test func linkRegisterOfALeaf() throws {
        let walk = try Self.walk(lr: Self.base + 0x1100, recordReturn: Self.base + 0x1010)
        #expect(
            walk.frames.map(\.instructionPointer).prefix(3) == [
                walk.frames[0].instructionPointer, Self.base + 0x1100, Self.base + 0x1010,
            ])
        #expect(walk.frames[1].stackPointer == 0x8000_0000)
    }
}
