import HostSystem

/// `rF` and `rX` in CDB's layout (the r command's documentation page, and its `rM1ff` example):
///
///     fpcw=027F: rn 53 puozdi  fpsw=4020: top=0 cc=1000 --p-----  fptw=FFFF
///     fopcode=0000  fpip=0023:74b785bc  fpdp=002b:00020a84
///     st0= 0.000000000000000000000e+0000  st1= 0.000000000000000000000e+0000
///     xmm0=1.79366e-043 0 6.02419e+036 6.02657e+036
///
/// Inferred rather than shown there: the rounding names other than `rn` (`rd`, `ru`, `rz`),
/// precision `24`/`64`, a `-` for a clear control-word mask bit (as the status word shows clear
/// flags), and the status letters `e` and `s` for its two top flag bits.
enum FloatingPointDisplay {
    static func x87Lines(_ state: FloatingPointState) -> [String] {
        let control = state.controlWord
        let rounding = ["rn", "rd", "ru", "rz"][Int(control >> 10) & 3]
        let precision = ["24", "??", "53", "64"][Int(control >> 8) & 3]
        let status = state.statusWord
        let conditions = [14, 10, 9, 8].map { (status >> $0) & 1 == 1 ? "1" : "0" }.joined()
        func word(_ value: UInt16) -> String { Hex.digits(UInt64(value), width: 4) }
        func offset(_ value: UInt32) -> String { Hex.digits(UInt64(value), width: 8) }
        var lines = [
            "fpcw=\(word(control).uppercased()): \(rounding) \(precision) "
                + flags(control, letters: "puozdi")
                + "  fpsw=\(word(status).uppercased()): top=\(state.top) cc=\(conditions) "
                + flags(status, letters: "espuozdi")
                + "  fptw=\(word(state.tagWord).uppercased())",
            "fopcode=\(word(state.opcode))  fpip=\(word(state.instructionSelector)):"
                + "\(offset(state.instructionOffset))  fpdp=\(word(state.dataSelector)):"
                + offset(state.dataOffset),
        ]
        for pair in stride(from: 0, to: 8, by: 2) {
            let stack = state.stack
            func value(_ index: Int) -> UInt128 { index < stack.count ? stack[index] : 0 }
            lines.append(
                "st\(pair)=\(extended(value(pair)))  st\(pair + 1)=\(extended(value(pair + 1)))")
        }
        return lines
    }

    /// `mm0=0000000000000000  mm1=0127b52000584c8e`: the MMX registers, the low 64 bits of the
    /// physical x87 registers (MMn is R n, which is ST((n - top) mod 8)), two to a line.
    static func mmxLines(_ state: FloatingPointState) -> [String] {
        let top = state.top
        func mm(_ index: Int) -> String {
            let slot = (index - top) & 7
            let value = slot < state.stack.count ? UInt64(truncatingIfNeeded: state.stack[slot]) : 0
            return "mm\(index)=" + Hex.digits(UInt64(value), width: 16)
        }
        return stride(from: 0, to: 8, by: 2).map { "\(mm($0))  \(mm($0 + 1))" }
    }

    /// `xmm0=1.79366e-043 0 6.02419e+036 6.02657e+036`: the four single-precision lanes, the
    /// highest first.
    static func sseLines(_ state: FloatingPointState) -> [String] {
        state.xmm.enumerated().map { index, value in
            "xmm\(index)=" + lanes(value).joined(separator: " ")
        }
    }

    /// `rY`: `ymm0=0 0 0 0 1 2 3 4`, the eight single-precision lanes of each YMM register
    /// (the upper half's, then the XMM half's), highest first, as `rX` prints XMM lanes
    /// (inferred: the r page names `rY` but shows no output).
    static func avxLines(_ state: FloatingPointState) -> [String] {
        zip(state.xmm, state.ymmHigh).enumerated().map { index, halves in
            "ymm\(index)=" + (lanes(halves.1) + lanes(halves.0)).joined(separator: " ")
        }
    }

    /// `rYI`: `ymm0=0000000000000000 0000000000000000 0000000000000001 0000000000000002`, each
    /// YMM register as four 64-bit integers, highest first (inferred, as `rY`).
    static func avxIntegerLines(_ state: FloatingPointState) -> [String] {
        zip(state.xmm, state.ymmHigh).enumerated().map { index, halves in
            let words = [halves.1 >> 64, halves.1, halves.0 >> 64, halves.0].map {
                Hex.digits(UInt64(truncatingIfNeeded: $0), width: 16)
            }
            return "ymm\(index)=" + words.joined(separator: " ")
        }
    }

    /// The four lanes of an XMM register as CDB prints them, highest first.
    static func lanes(_ value: UInt128) -> [String] {
        (0..<4).reversed().map { lane in
            CFloatFormat.g(floatBits: UInt32(truncatingIfNeeded: value >> (32 * UInt128(lane))))
        }
    }

    /// `r Name` for an x87 or SSE register: `xmm0=           0 1.05612e-038 ...` (each lane
    /// twelve wide, as the r page's `r xmm0` example shows), `st0= 1.000...e+0000`,
    /// `mxcsr=00001f80`, `fpcw=027f`; nil for other names.
    static func single(_ name: String, in state: FloatingPointState) -> String? {
        func number(_ prefix: String, count: Int) -> Int? {
            guard name.hasPrefix(prefix), let index = Int(name.dropFirst(prefix.count)),
                (0..<count).contains(index), String(index) == name.dropFirst(prefix.count)
            else { return nil }
            return index
        }
        if let index = number("xmm", count: state.xmm.count) {
            return "\(name)="
                + lanes(state.xmm[index]).map { $0.leftPadded(to: 12) }.joined(separator: " ")
        }
        if let index = number("ymm", count: state.ymmHigh.count), index < state.xmm.count {
            let all = lanes(state.ymmHigh[index]) + lanes(state.xmm[index])
            return "\(name)=" + all.map { $0.leftPadded(to: 12) }.joined(separator: " ")
        }
        if let index = number("st", count: state.stack.count) {
            return "\(name)=" + extended(state.stack[index])
        }
        let words: [String: (UInt64, Int)] = [
            "fpcw": (UInt64(state.controlWord), 4), "fpsw": (UInt64(state.statusWord), 4),
            "fptw": (UInt64(state.tagWord), 4), "fopcode": (UInt64(state.opcode), 4),
            "mxcsr": (UInt64(state.mxcsr ?? 0), 8),
        ]
        guard let (value, digits) = words[name], name != "mxcsr" || state.mxcsr != nil else {
            return nil
        }
        return "\(name)=" + Hex.digits(value, width: digits)
    }

    /// An 80-bit extended value: a sign column, then 22 significant digits and a four-digit
    /// exponent (` 0.000000000000000000000e+0000`).
    static func extended(_ raw: UInt128) -> String {
        let signAndExponent = UInt16(truncatingIfNeeded: raw >> 64)
        let negative = signAndExponent & 0x8000 != 0
        let exponent = signAndExponent & 0x7FFF
        let mantissa = UInt64(truncatingIfNeeded: raw)
        let sign = negative ? "-" : " "
        if exponent == 0x7FFF {
            let fraction = mantissa & 0x7FFF_FFFF_FFFF_FFFF
            let name = fraction == 0 ? "#INF" : (fraction >> 62 == 1 ? "#QNAN" : "#SNAN")
            let digits = name + String(repeating: "0", count: 21 - name.count)
            return sign + "1." + digits + "e+0000"
        }
        #if arch(x86_64) || arch(i386)
            let value = Float80(
                sign: .plus, exponentBitPattern: UInt(exponent),
                significandBitPattern: mantissa & 0x7FFF_FFFF_FFFF_FFFF)
            let text = CNumberFormat.string("%.21Le", value)
        #else
            // No extended type on this host: the nearest double, to its precision.
            let value = Double(
                sign: .plus, exponent: Int(exponent) - 16383 - 63, significand: Double(mantissa))
            let text = CNumberFormat.string("%.21e", value)
        #endif
        return sign + CFloatFormat.widenExponent(text, to: 4)
    }

    /// One letter per bit from the highest named bit down, `-` where the bit is clear.
    private static func flags(_ value: UInt16, letters: String) -> String {
        let count = letters.count
        return String(
            letters.enumerated().map { index, letter in
                (value >> (count - 1 - index)) & 1 == 1 ? letter : "-"
            })
    }
}
