/// Where registers can be read and written: the live CPU or a saved context.
protocol RegisterStore: AnyObject {
    func read(_ register: UnicornRegister, into buffer: UnsafeMutableRawPointer)
    func write(_ register: UnicornRegister, from buffer: UnsafeRawPointer)
}

extension Unicorn: RegisterStore {}
extension Unicorn.Context: RegisterStore {}

/// Moves a whole `ThreadContext` between Unicorn and Swift.
enum RegisterFile {
    /// Flags a program may set (CF PF AF ZF SF TF IF DF OF AC ID); bit 1 and IF are always on.
    static let userFlags: UInt32 = 0x24_0FD5

    static func read(_ store: some RegisterStore) -> ThreadContext {
        var context = ThreadContext()
        func value(_ register: UnicornRegister) -> UInt64 {
            var result: UInt64 = 0
            store.read(register, into: &result)
            return result
        }
        let integer: [UnicornRegister] = [
            .rax, .rcx, .rdx, .rbx, .rsp, .rbp, .rsi, .rdi, .r8, .r9, .r10, .r11, .r12, .r13,
            .r14, .r15,
        ]
        context.integerRegisters = integer.map(value)
        context.rip = value(.rip)
        context.eflags = UInt32(truncatingIfNeeded: value(.eflags))
        context.cs = UInt16(truncatingIfNeeded: value(.cs))
        context.ds = UInt16(truncatingIfNeeded: value(.ds))
        context.es = UInt16(truncatingIfNeeded: value(.es))
        context.fs = UInt16(truncatingIfNeeded: value(.fs))
        context.gs = UInt16(truncatingIfNeeded: value(.gs))
        context.ss = UInt16(truncatingIfNeeded: value(.ss))
        context.dr0 = value(.dr0)
        context.dr1 = value(.dr1)
        context.dr2 = value(.dr2)
        context.dr3 = value(.dr3)
        context.dr6 = value(.dr6)
        context.dr7 = value(.dr7)
        context.mxcsr = UInt32(truncatingIfNeeded: value(.mxcsr))
        context.fpControl = UInt16(truncatingIfNeeded: value(.fpcw))
        context.fpStatus = UInt16(truncatingIfNeeded: value(.fpsw))
        let fullTag = value(.fptag)
        var abridged: UInt8 = 0
        for index in 0..<8 where (fullTag >> UInt64(2 * index)) & 3 != 3 {
            abridged |= 1 << UInt8(index)
        }
        context.fpTag = abridged
        context.fpOpcode = UInt16(truncatingIfNeeded: value(.fop))
        context.fpInstructionOffset = value(.fip)
        context.fpDataOffset = value(.fdp)
        for index in 0..<8 {
            var register: UInt128 = 0
            if let id = UnicornRegister.st(index) { store.read(id, into: &register) }
            context.st[index] = register & ((1 << 80) - 1)
        }
        for index in 0..<16 {
            var register: UInt128 = 0
            if let id = UnicornRegister.xmm(index) { store.read(id, into: &register) }
            context.xmm[index] = register
        }
        return context
    }

    /// Writes everything but the segment selectors (constant in x64 user mode; writing FS or GS
    /// would also reload their bases).
    static func write(_ context: ThreadContext, to store: some RegisterStore) {
        func set(_ register: UnicornRegister, _ newValue: UInt64) {
            var copy = newValue
            store.write(register, from: &copy)
        }
        let integer: [UnicornRegister] = [
            .rax, .rcx, .rdx, .rbx, .rsp, .rbp, .rsi, .rdi, .r8, .r9, .r10, .r11, .r12, .r13,
            .r14, .r15,
        ]
        for (register, value) in zip(integer, context.integerRegisters) { set(register, value) }
        set(.rip, context.rip)
        set(.eflags, UInt64((context.eflags & userFlags) | 0x202))
        set(.dr0, context.dr0)
        set(.dr1, context.dr1)
        set(.dr2, context.dr2)
        set(.dr3, context.dr3)
        set(.dr6, context.dr6)
        set(.dr7, context.dr7)
        set(.mxcsr, UInt64(context.mxcsr & 0xFFFF))
        set(.fpcw, UInt64(context.fpControl))
        set(.fpsw, UInt64(context.fpStatus))
        var fullTag: UInt64 = 0
        for index in 0..<8 where context.fpTag & (1 << UInt8(index)) == 0 {
            fullTag |= 3 << UInt64(2 * index)
        }
        set(.fptag, fullTag)
        set(.fop, UInt64(context.fpOpcode))
        for index in 0..<8 {
            var register = context.st[index] & ((1 << 80) - 1)
            if let id = UnicornRegister.st(index) { store.write(id, from: &register) }
        }
        for index in 0..<16 {
            var register = context.xmm[index]
            if let id = UnicornRegister.xmm(index) { store.write(id, from: &register) }
        }
    }
}
