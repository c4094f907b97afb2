import Emulation
import Engine

/// Converts between the emulator's thread context and the engine's register set.
enum LiveRegisters {
    static func registerSet(_ context: ThreadContext) -> RegisterSet {
        var registers: [Engine.Register] = []
        func add(_ name: String, _ value: UInt64, _ bits: Int = 64) {
            registers.append(Engine.Register(name, value, bits: bits))
        }
        add("rax", context.rax)
        add("rbx", context.rbx)
        add("rcx", context.rcx)
        add("rdx", context.rdx)
        add("rsi", context.rsi)
        add("rdi", context.rdi)
        add("rbp", context.rbp)
        add("rsp", context.rsp)
        add("r8", context.r8)
        add("r9", context.r9)
        add("r10", context.r10)
        add("r11", context.r11)
        add("r12", context.r12)
        add("r13", context.r13)
        add("r14", context.r14)
        add("r15", context.r15)
        add("rip", context.rip)
        add("efl", UInt64(context.eflags), 32)
        add("cs", UInt64(context.cs), 16)
        add("ss", UInt64(context.ss), 16)
        add("ds", UInt64(context.ds), 16)
        add("es", UInt64(context.es), 16)
        add("fs", UInt64(context.fs), 16)
        add("gs", UInt64(context.gs), 16)
        add("dr0", context.dr0)
        add("dr1", context.dr1)
        add("dr2", context.dr2)
        add("dr3", context.dr3)
        add("dr6", context.dr6)
        add("dr7", context.dr7)
        let floatingPoint = FloatingPointState(
            controlWord: context.fpControl, statusWord: context.fpStatus,
            tagWord: FloatingPointState.fullTagWord(
                abridged: context.fpTag, statusWord: context.fpStatus, stack: context.st),
            opcode: context.fpOpcode, instructionSelector: 0,
            instructionOffset: UInt32(truncatingIfNeeded: context.fpInstructionOffset),
            dataSelector: 0, dataOffset: UInt32(truncatingIfNeeded: context.fpDataOffset),
            stack: context.st, mxcsr: context.mxcsr, xmm: context.xmm)
        return RegisterSet(machine: .amd64, registers: registers, floatingPoint: floatingPoint)
    }

    /// `registers` written over `context` (what the register set does not hold stays).
    static func context(_ registers: RegisterSet, over context: ThreadContext) -> ThreadContext {
        var result = context
        func value(_ name: String) -> UInt64? { registers.stored(name) }
        result.rax = value("rax") ?? result.rax
        result.rbx = value("rbx") ?? result.rbx
        result.rcx = value("rcx") ?? result.rcx
        result.rdx = value("rdx") ?? result.rdx
        result.rsi = value("rsi") ?? result.rsi
        result.rdi = value("rdi") ?? result.rdi
        result.rbp = value("rbp") ?? result.rbp
        result.rsp = value("rsp") ?? result.rsp
        result.r8 = value("r8") ?? result.r8
        result.r9 = value("r9") ?? result.r9
        result.r10 = value("r10") ?? result.r10
        result.r11 = value("r11") ?? result.r11
        result.r12 = value("r12") ?? result.r12
        result.r13 = value("r13") ?? result.r13
        result.r14 = value("r14") ?? result.r14
        result.r15 = value("r15") ?? result.r15
        result.rip = value("rip") ?? result.rip
        result.eflags = value("efl").map { UInt32(truncatingIfNeeded: $0) } ?? result.eflags
        result.dr0 = value("dr0") ?? result.dr0
        result.dr1 = value("dr1") ?? result.dr1
        result.dr2 = value("dr2") ?? result.dr2
        result.dr3 = value("dr3") ?? result.dr3
        result.dr6 = value("dr6") ?? result.dr6
        result.dr7 = value("dr7") ?? result.dr7
        return result
    }

    /// The integer, control and segment registers of a CONTEXT record (Microsoft's x64 layout).
    static func registerSet(contextRecord bytes: [UInt8]) -> RegisterSet? {
        guard bytes.count >= 0x100 else { return nil }
        func u64(_ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
            return value
        }
        func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
        var context = ThreadContext()
        context.cs = u16(0x38)
        context.ds = u16(0x3A)
        context.es = u16(0x3C)
        context.fs = u16(0x3E)
        context.gs = u16(0x40)
        context.ss = u16(0x42)
        context.eflags = UInt32(truncatingIfNeeded: u64(0x44))
        context.integerRegisters = (0..<16).map { u64(0x78 + 8 * $0) }
        context.rip = u64(0xF8)
        return registerSet(context)
    }
}
