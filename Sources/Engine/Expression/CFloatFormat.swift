// C's `%g` as the Microsoft C runtime that CDB uses prints it: six significant digits, a
// three-digit exponent (`6.36908e-022`), and `1.#QNAN`/`1.#INF`-style text for special values.

import FoundationEssentials
import HostSystem

enum CFloatFormat {
    /// `%g` of a 32-bit float given by its bits (promoted to double, as varargs do in C).
    static func g(floatBits bits: UInt32) -> String {
        let exponent = (bits >> 23) & 0xFF
        let mantissa = bits & 0x7F_FFFF
        let negative = bits >> 31 != 0
        if exponent == 0xFF {
            return special(
                negative: negative, isInfinity: mantissa == 0, isQuiet: mantissa & 0x40_0000 != 0,
                isIndefinite: negative && mantissa == 0x40_0000)
        }
        return g(Double(Float(bitPattern: bits)))
    }

    /// `%g` of a 64-bit double given by its bits.
    static func g(doubleBits bits: UInt64) -> String {
        let exponent = (bits >> 52) & 0x7FF
        let mantissa = bits & 0xF_FFFF_FFFF_FFFF
        let negative = bits >> 63 != 0
        if exponent == 0x7FF {
            return special(
                negative: negative, isInfinity: mantissa == 0,
                isQuiet: mantissa & 0x8_0000_0000_0000 != 0,
                isIndefinite: negative && mantissa == 0x8_0000_0000_0000)
        }
        return g(Double(bitPattern: bits))
    }

    /// The legacy Microsoft spellings of infinities and NaNs.
    private static func special(
        negative: Bool, isInfinity: Bool, isQuiet: Bool, isIndefinite: Bool
    ) -> String {
        let sign = negative ? "-" : ""
        if isInfinity { return sign + "1.#INF" }
        if isIndefinite { return "-1.#IND" }
        return sign + (isQuiet ? "1.#QNAN" : "1.#SNAN")
    }

    /// `%g` of a finite double with the exponent widened to three digits.
    static func g(_ value: Double) -> String {
        widenExponent(CNumberFormat.string("%g", value), to: 3)
    }

    /// Pads the exponent of C's `1.5e+07` to `width` digits (`1.5e+007`), as Microsoft's C
    /// runtime prints it (`%g`: three; CDB's x87 display: four). Text without one stays.
    static func widenExponent(_ text: String, to width: Int) -> String {
        guard let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let signIndex = text.index(after: marker)
        guard signIndex < text.endIndex else { return text }
        let digits = text[text.index(after: signIndex)...]
        guard digits.count < width else { return text }
        return String(text[...signIndex]) + String(repeating: "0", count: width - digits.count)
            + digits
    }
}
