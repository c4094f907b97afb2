// The `?` command's output line, and the hex forms CDB uses for numbers.

/// How `?` prints a value: `Evaluate expression: <signed decimal> = <hex>`.
///
/// CDB stores numbers as 64 bits and shows a 32-bit form on 32-bit targets when the value is a
/// zero-extended or sign-extended 32-bit number (debugger documentation, "Sign Extension":
/// high half all zeros, or all ones with bit 31 set). Then the hex has 8 digits and the decimal
/// is the low 32 bits read as a signed 32-bit number (`80000000` → `-2147483648 = 80000000`).
/// Otherwise — always on 64-bit targets and with no target — the hex has 16 digits split by a
/// backtick and the decimal is the value read as a signed 64-bit number
/// (`? -1` → `Evaluate expression: -1 = ffffffff`ffffffff`).
public enum EvaluateExpressionFormat {
    /// Whether `value` is shown in its 32-bit form on a target with this pointer size.
    public static func displaysAs32Bit(_ value: UInt64, pointerSize: Int) -> Bool {
        guard pointerSize == 4 else { return false }
        let high = value >> 32
        return high == 0 || (high == 0xFFFF_FFFF && value & 0x8000_0000 != 0)
    }

    /// The `?` output line for `value`.
    public static func line(for value: UInt64, pointerSize: Int) -> String {
        "Evaluate expression: \(signedDecimal(value, pointerSize: pointerSize)) = "
            + hex(value, pointerSize: pointerSize)
    }

    /// The signed decimal `?` and `.formats` show.
    public static func signedDecimal(_ value: UInt64, pointerSize: Int) -> String {
        if displaysAs32Bit(value, pointerSize: pointerSize) {
            return String(Int32(truncatingIfNeeded: value))
        }
        return String(Int64(bitPattern: value))
    }

    /// `0000008f` (32-bit form) or `00000000`0000008f`.
    public static func hex(_ value: UInt64, pointerSize: Int) -> String {
        if displaysAs32Bit(value, pointerSize: pointerSize) {
            return paddedHex(value & 0xFFFF_FFFF, digits: 8)
        }
        return backtickHex(value)
    }

    /// Sixteen hex digits with a backtick after the eighth: `00007ff6`1a2b0000`.
    public static func backtickHex(_ value: UInt64) -> String {
        paddedHex(value >> 32, digits: 8) + "`" + paddedHex(value & 0xFFFF_FFFF, digits: 8)
    }

    /// Lowercase hex, zero-padded on the left to `digits`.
    public static func paddedHex(_ value: UInt64, digits: Int) -> String {
        padded(String(value, radix: 16), to: digits)
    }

    static func padded(_ text: String, to width: Int) -> String {
        let count = text.utf8.count
        return count >= width ? text : String(repeating: "0", count: width - count) + text
    }
}
