/// The x87 and SSE state of an x86 or x64 context: what `rF`, `rX` and `rM` show. Dumps carry it
/// in the context's floating-point area (x86 `FloatSave` and the FXSAVE image in
/// `ExtendedRegisters`, x64 `FltSave`).
public struct FloatingPointState: Sendable, Equatable {
    public var controlWord: UInt16
    public var statusWord: UInt16
    /// The full tag word: two bits per physical register (00 valid, 01 zero, 10 special,
    /// 11 empty).
    public var tagWord: UInt16
    /// The last x87 instruction's opcode (its low 11 bits).
    public var opcode: UInt16
    public var instructionSelector: UInt16
    public var instructionOffset: UInt32
    public var dataSelector: UInt16
    public var dataOffset: UInt32
    /// ST0–ST7: 80-bit extended values in the low bits.
    public var stack: [UInt128]
    /// `MXCSR`, nil when the context has no SSE state.
    public var mxcsr: UInt32?
    /// XMM0–XMM7 (x86) or XMM0–XMM15 (x64); empty when the context has no SSE state.
    public var xmm: [UInt128]
    /// The upper halves of YMM0–YMMn (bits 128–255), one per XMM register; empty when the
    /// context has no AVX state (no XSAVE area).
    public var ymmHigh: [UInt128]

    public init(
        controlWord: UInt16, statusWord: UInt16, tagWord: UInt16, opcode: UInt16,
        instructionSelector: UInt16, instructionOffset: UInt32, dataSelector: UInt16,
        dataOffset: UInt32, stack: [UInt128], mxcsr: UInt32?, xmm: [UInt128],
        ymmHigh: [UInt128] = []
    ) {
        self.ymmHigh = ymmHigh
        self.controlWord = controlWord
        self.statusWord = statusWord
        self.tagWord = tagWord
        self.opcode = opcode
        self.instructionSelector = instructionSelector
        self.instructionOffset = instructionOffset
        self.dataSelector = dataSelector
        self.dataOffset = dataOffset
        self.stack = stack
        self.mxcsr = mxcsr
        self.xmm = xmm
    }

    /// The physical register that is ST0 (the status word's TOP field).
    public var top: Int { Self.top(of: statusWord) }

    static func top(of statusWord: UInt16) -> Int { Int(statusWord >> 11) & 7 }

    /// The full tag word from FXSAVE's abridged one (a bit per physical register, set when it
    /// holds a value), classifying each held value as the processor would.
    public static func fullTagWord(abridged: UInt8, statusWord: UInt16, stack: [UInt128]) -> UInt16
    {
        let top = top(of: statusWord)
        var tags: UInt16 = 0
        for physical in 0..<8 {
            let tag: UInt16
            if abridged & (1 << physical) == 0 {
                tag = 3
            } else {
                let index = (physical - top) & 7
                let raw = index < stack.count ? stack[index] : 0
                let exponent = UInt16(truncatingIfNeeded: raw >> 64) & 0x7FFF
                let mantissa = UInt64(truncatingIfNeeded: raw)
                if exponent == 0x7FFF {
                    tag = 2
                } else if exponent == 0 {
                    tag = mantissa == 0 ? 1 : 2
                } else {
                    tag = mantissa >> 63 == 1 ? 0 : 2
                }
            }
            tags |= tag << (2 * physical)
        }
        return tags
    }
}
