// The `.formats` command's output.

import FoundationEssentials

/// The lines `.formats <expression>` prints for a value.
///
/// Modelled on the documented sample and on real transcripts:
/// ```
/// Evaluate expression:
///   Hex:     1c407e62
///   Decimal: 473988706
///   Octal:   03420077142
///   Binary:  00011100 01000000 01111110 01100010
///   Chars:   .@~b
///   Time:    Mon Jan 07 15:31:46 1985
///   Float:   low 6.36908e-022 high 0
///   Double:  2.34182e-315
/// ```
/// * Width: the 32-bit form (8 hex digits, 11 octal digits, 32 binary digits, 4 chars, signed
///   32-bit decimal) is used exactly when `?` would print 8 hex digits (see
///   `EvaluateExpressionFormat.displaysAs32Bit`); otherwise 16 hex digits split by a backtick,
///   22 octal digits, 64 binary digits, 8 chars and a signed 64-bit decimal.
/// * Chars: bytes from the most significant, printable ASCII (0x20-0x7e) as itself, others `.`.
/// * Time: a value whose high 32 bits are zero (or any 32-bit form) is a C `time_t` shown in
///   local time (`***** Invalid` when bit 31 is set, as the C runtime's 32-bit time functions
///   reject it); any larger value is a FILETIME with milliseconds and the zone offset
///   (`Sat May 26 08:00:00.000 3618 (UTC + 8:00)`; `***** Invalid FILETIME` above
///   0x7fffffffffffffff). The day of the month is zero-padded as in the documented sample
///   (newer debuggers print ctime's space padding, `Jan  1`).
/// * Float: `%g` of the low and of the high 32 bits; Double: `%g` of all 64 bits; both from the
///   full 64-bit value, with the C runtime's three-digit exponent and `-1.#QNAN`-style NaNs.
/// * `showsUnsignedDecimal` adds the `  Decimal (unsigned) : N` line newer debuggers print.
public enum NumberFormats {
    /// The `.formats` lines for `value`; `timeZone` is the debugger's local zone.
    public static func lines(
        for value: UInt64, pointerSize: Int, timeZone: TimeZone = .current,
        showsUnsignedDecimal: Bool = false
    ) -> [String] {
        let narrow = EvaluateExpressionFormat.displaysAs32Bit(value, pointerSize: pointerSize)
        let shown = narrow ? value & 0xFFFF_FFFF : value
        let byteCount = narrow ? 4 : 8
        var lines = [
            "Evaluate expression:",
            "  Hex:     " + EvaluateExpressionFormat.hex(value, pointerSize: pointerSize),
            "  Decimal: "
                + EvaluateExpressionFormat.signedDecimal(value, pointerSize: pointerSize),
        ]
        if showsUnsignedDecimal {
            lines.append("  Decimal (unsigned) : \(shown)")
        }
        lines += [
            "  Octal:   "
                + EvaluateExpressionFormat.padded(
                    String(shown, radix: 8), to: narrow ? 11 : 22),
            "  Binary:  " + binary(shown, byteCount: byteCount),
            "  Chars:   " + characters(shown, byteCount: byteCount),
            "  Time:    " + time(shown, narrow: narrow, timeZone: timeZone),
            "  Float:   low \(CFloatFormat.g(floatBits: UInt32(truncatingIfNeeded: value)))"
                + " high \(CFloatFormat.g(floatBits: UInt32(truncatingIfNeeded: value >> 32)))",
            "  Double:  " + CFloatFormat.g(doubleBits: value),
        ]
        return lines
    }

    /// Bytes from the most significant, eight binary digits each, separated by spaces.
    static func binary(_ value: UInt64, byteCount: Int) -> String {
        bytesFromMostSignificant(value, byteCount: byteCount)
            .map { EvaluateExpressionFormat.padded(String($0, radix: 2), to: 8) }
            .joined(separator: " ")
    }

    /// Bytes from the most significant as printable ASCII, `.` for the rest.
    static func characters(_ value: UInt64, byteCount: Int) -> String {
        String(
            decoding: bytesFromMostSignificant(value, byteCount: byteCount).map {
                (0x20...0x7E).contains($0) ? $0 : ASCII.dot
            }, as: UTF8.self)
    }

    static func time(_ value: UInt64, narrow: Bool, timeZone: TimeZone) -> String {
        if narrow || value >> 32 == 0 {
            return CRTTimeFormat.crtTime(UInt32(truncatingIfNeeded: value), timeZone: timeZone)
        }
        return CRTTimeFormat.fileTime(value, timeZone: timeZone)
    }

    private static func bytesFromMostSignificant(_ value: UInt64, byteCount: Int) -> [UInt8] {
        (0..<byteCount).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
