// MASM number literals: `1234` in the current radix, `0x`/`0n`/`0t`/`0y` prefixes, a trailing
// `h` for hex, and backticks between digits (`00007ff6`1a2b0000`).

/// The result of reading a word as a MASM number.
enum NumberLiteral: Equatable {
    /// A valid number; `hasBacktick` disables kernel-mode sign extension.
    case value(UInt64, hasBacktick: Bool)
    /// The word is not a number in this radix.
    case notANumber
    /// The word is a number but exceeds 64 bits.
    case overflow

    /// Reads `word` (the bytes of one scanner word) as a number.
    ///
    /// Rules: a `0x` `0n` `0t` `0y` prefix (any case) picks base 16/10/8/2 and may be followed
    /// by no digits at all (then the value is 0). Otherwise a word that starts with a decimal
    /// digit and ends in `h`/`H` is hex (`4ab3h`); the leading digit is required so the x86
    /// registers `ah` `bh` `ch` `dh` stay registers. Otherwise the digits are read in `radix`.
    /// Backticks may separate digits anywhere but not start or end the digits.
    static func parse(_ word: ArraySlice<UInt8>, radix: Radix) -> NumberLiteral {
        guard let first = word.first else { return .notANumber }
        var digits = word
        var base = UInt64(radix.rawValue)
        if first == ASCII.zero, word.count >= 2 {
            let marker = ASCII.lowercased(word[word.startIndex + 1])
            let prefixBase: UInt64? =
                switch marker {
                case 0x78: 16  // x
                case 0x6E: 10  // n
                case 0x74: 8  // t
                case 0x79: 2  // y
                default: nil
                }
            if let prefixBase {
                base = prefixBase
                digits = word.dropFirst(2)
                if digits.isEmpty { return .value(0, hasBacktick: false) }
                return accumulate(digits, base: base)
            }
        }
        if ASCII.isDigit(first), word.count >= 2, let last = word.last,
            ASCII.lowercased(last) == 0x68
        {
            return accumulate(word.dropLast(), base: 16)
        }
        return accumulate(digits, base: base)
    }

    private static func accumulate(_ digits: ArraySlice<UInt8>, base: UInt64) -> NumberLiteral {
        guard let first = digits.first, let last = digits.last,
            first != ASCII.backtick, last != ASCII.backtick
        else { return .notANumber }
        var value: UInt64 = 0
        var hasBacktick = false
        var overflowed = false
        for byte in digits {
            if byte == ASCII.backtick {
                hasBacktick = true
                continue
            }
            guard let digit = ASCII.digitValue(byte), digit < base else { return .notANumber }
            let (shifted, mulOverflow) = value.multipliedReportingOverflow(by: base)
            let (sum, addOverflow) = shifted.addingReportingOverflow(digit)
            if mulOverflow || addOverflow { overflowed = true }
            value = sum
        }
        // Every character is checked before overflow is reported, so `1ffffffffffffffffg`
        // is "not a number" (a syntax error) rather than an overflow.
        return overflowed ? .overflow : .value(value, hasBacktick: hasBacktick)
    }
}
