/// A thread's registers: everything an x64 `CONTEXT` holds (integer, segment, flags, debug,
/// x87, MXCSR and XMM0-15). `contextRecord`/`init(contextRecord:)` read and write Microsoft's
/// documented 0x4D0-byte layout, which the guest's exception dispatch and `NtContinue` use.
public struct ThreadContext: Sendable, Equatable {
    public var rax: UInt64 = 0
    public var rcx: UInt64 = 0
    public var rdx: UInt64 = 0
    public var rbx: UInt64 = 0
    public var rsp: UInt64 = 0
    public var rbp: UInt64 = 0
    public var rsi: UInt64 = 0
    public var rdi: UInt64 = 0
    public var r8: UInt64 = 0
    public var r9: UInt64 = 0
    public var r10: UInt64 = 0
    public var r11: UInt64 = 0
    public var r12: UInt64 = 0
    public var r13: UInt64 = 0
    public var r14: UInt64 = 0
    public var r15: UInt64 = 0
    public var rip: UInt64 = 0
    public var eflags: UInt32 = 0x202
    public var cs: UInt16 = 0x33
    public var ds: UInt16 = 0x2B
    public var es: UInt16 = 0x2B
    public var fs: UInt16 = 0x53
    public var gs: UInt16 = 0x2B
    public var ss: UInt16 = 0x2B
    public var dr0: UInt64 = 0
    public var dr1: UInt64 = 0
    public var dr2: UInt64 = 0
    public var dr3: UInt64 = 0
    public var dr6: UInt64 = 0
    public var dr7: UInt64 = 0
    public var mxcsr: UInt32 = 0x1F80
    /// x87 control, status and abridged tag words (FXSAVE form), last opcode and pointers.
    public var fpControl: UInt16 = 0x27F
    public var fpStatus: UInt16 = 0
    public var fpTag: UInt8 = 0
    public var fpOpcode: UInt16 = 0
    public var fpInstructionOffset: UInt64 = 0
    public var fpDataOffset: UInt64 = 0
    /// ST0-ST7 as 80-bit values (low 80 bits of each).
    public var st: [UInt128] = Array(repeating: 0, count: 8)
    public var xmm: [UInt128] = Array(repeating: 0, count: 16)

    public init() {}

    /// `CONTEXT` size and flags.
    public static let recordSize = 0x4D0
    public static let flagsAMD64: UInt32 = 0x10_0000
    public static let flagsControl: UInt32 = 0x10_0001
    public static let flagsInteger: UInt32 = 0x10_0002
    public static let flagsSegments: UInt32 = 0x10_0004
    public static let flagsFloatingPoint: UInt32 = 0x10_0008
    public static let flagsDebugRegisters: UInt32 = 0x10_0010
    public static let flagsFull: UInt32 = 0x10_000B
    public static let flagsAll: UInt32 = 0x10_001F

    /// The integer registers in `CONTEXT` order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi,
    /// r8-r15), which is also the x86 register numbering.
    public var integerRegisters: [UInt64] {
        get { [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15] }
        set {
            guard newValue.count == 16 else { return }
            (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi) = (
                newValue[0], newValue[1], newValue[2], newValue[3], newValue[4], newValue[5],
                newValue[6], newValue[7]
            )
            (r8, r9, r10, r11, r12, r13, r14, r15) = (
                newValue[8], newValue[9], newValue[10], newValue[11], newValue[12], newValue[13],
                newValue[14], newValue[15]
            )
        }
    }

    /// Register `number` in x86 numbering (0 = rax ... 15 = r15).
    func register(_ number: Int) -> UInt64 {
        let all = integerRegisters
        return number >= 0 && number < all.count ? all[number] : 0
    }

    /// The `CONTEXT` record with `ContextFlags` = `flags`; groups not in the flags are left 0.
    public func contextRecord(flags: UInt32 = flagsFull | flagsSegments) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.recordSize)
        func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { raw in
                for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
            }
        }
        put(flags, 0x30)
        put(mxcsr, 0x34)
        if flags & Self.flagsControl == Self.flagsControl {
            put(cs, 0x38)
            put(ss, 0x42)
            put(eflags, 0x44)
            put(rsp, 0x98)
            put(rip, 0xF8)
        }
        if flags & Self.flagsSegments == Self.flagsSegments {
            put(ds, 0x3A)
            put(es, 0x3C)
            put(fs, 0x3E)
            put(gs, 0x40)
        }
        if flags & Self.flagsDebugRegisters == Self.flagsDebugRegisters {
            put(dr0, 0x48)
            put(dr1, 0x50)
            put(dr2, 0x58)
            put(dr3, 0x60)
            put(dr6, 0x68)
            put(dr7, 0x70)
        }
        if flags & Self.flagsInteger == Self.flagsInteger {
            put(rax, 0x78)
            put(rcx, 0x80)
            put(rdx, 0x88)
            put(rbx, 0x90)
            put(rbp, 0xA0)
            put(rsi, 0xA8)
            put(rdi, 0xB0)
            for (index, value) in [r8, r9, r10, r11, r12, r13, r14, r15].enumerated() {
                put(value, 0xB8 + 8 * index)
            }
        }
        if flags & Self.flagsFloatingPoint == Self.flagsFloatingPoint {
            // FltSave: the FXSAVE area at 0x100.
            put(fpControl, 0x100)
            put(fpStatus, 0x102)
            put(fpTag, 0x104)
            put(fpOpcode, 0x106)
            put(fpInstructionOffset, 0x108)
            put(fpDataOffset, 0x110)
            put(mxcsr, 0x118)
            put(UInt32(0xFFFF), 0x11C)
            for index in 0..<8 { put(st[index] & ((1 << 80) - 1), 0x120 + 16 * index) }
            for index in 0..<16 { put(xmm[index], 0x1A0 + 16 * index) }
        }
        return bytes
    }

    /// Reads a `CONTEXT` record; groups its `ContextFlags` leave out keep `base`'s values.
    public init?(contextRecord bytes: [UInt8], base: ThreadContext = ThreadContext()) {
        guard bytes.count >= Self.recordSize else { return nil }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { raw in
                for index in 0..<MemoryLayout<T>.size { raw[index] = bytes[offset + index] }
            }
            return T(littleEndian: value)
        }
        self = base
        let flags = get(0x30, UInt32.self)
        if flags & Self.flagsControl == Self.flagsControl {
            cs = get(0x38, UInt16.self)
            ss = get(0x42, UInt16.self)
            eflags = get(0x44, UInt32.self)
            rsp = get(0x98, UInt64.self)
            rip = get(0xF8, UInt64.self)
        }
        if flags & Self.flagsSegments == Self.flagsSegments {
            ds = get(0x3A, UInt16.self)
            es = get(0x3C, UInt16.self)
            fs = get(0x3E, UInt16.self)
            gs = get(0x40, UInt16.self)
        }
        if flags & Self.flagsDebugRegisters == Self.flagsDebugRegisters {
            dr0 = get(0x48, UInt64.self)
            dr1 = get(0x50, UInt64.self)
            dr2 = get(0x58, UInt64.self)
            dr3 = get(0x60, UInt64.self)
            dr6 = get(0x68, UInt64.self)
            dr7 = get(0x70, UInt64.self)
        }
        if flags & Self.flagsInteger == Self.flagsInteger {
            rax = get(0x78, UInt64.self)
            rcx = get(0x80, UInt64.self)
            rdx = get(0x88, UInt64.self)
            rbx = get(0x90, UInt64.self)
            rbp = get(0xA0, UInt64.self)
            rsi = get(0xA8, UInt64.self)
            rdi = get(0xB0, UInt64.self)
            var high: [UInt64] = []
            for index in 0..<8 { high.append(get(0xB8 + 8 * index, UInt64.self)) }
            (r8, r9, r10, r11, r12, r13, r14, r15) = (
                high[0], high[1], high[2], high[3], high[4], high[5], high[6], high[7]
            )
        }
        if flags & Self.flagsFloatingPoint == Self.flagsFloatingPoint {
            fpControl = get(0x100, UInt16.self)
            fpStatus = get(0x102, UInt16.self)
            fpTag = get(0x104, UInt8.self)
            fpOpcode = get(0x106, UInt16.self)
            fpInstructionOffset = get(0x108, UInt64.self)
            fpDataOffset = get(0x110, UInt64.self)
            mxcsr = get(0x118, UInt32.self)
            for index in 0..<8 {
                st[index] = get(0x120 + 16 * index, UInt128.self) & ((1 << 80) - 1)
            }
            for index in 0..<16 { xmm[index] = get(0x1A0 + 16 * index, UInt128.self) }
        } else {
            mxcsr = get(0x34, UInt32.self)
        }
    }
}
