/// CDB's ways of printing numbers.
public enum Hex {
    /// Lower-case hex, zero-padded to `width` digits.
    public static func digits(_ value: UInt64, width: Int) -> String {
        String(value, radix: 16).leftPadded(to: width, with: "0")
    }

    /// An address or pointer-sized value: 8 digits for 32-bit targets, 16 digits split with a
    /// backtick for 64-bit ones (`00007ff6`1a2b0000`).
    public static func pointer(_ value: UInt64, size: Int) -> String {
        if size <= 4 { return digits(value & 0xffff_ffff, width: 8) }
        return split64(value)
    }

    /// 16 hex digits with a backtick between the halves.
    public static func split64(_ value: UInt64) -> String {
        digits(value >> 32, width: 8) + "`" + digits(value & 0xffff_ffff, width: 8)
    }

    /// Upper-case hex, zero-padded (`559DA7A0` in `lmv`'s timestamp).
    public static func upper(_ value: UInt64, width: Int) -> String {
        String(value, radix: 16, uppercase: true).leftPadded(to: width, with: "0")
    }

    /// `0x1a` style (offsets in `mod!func+0x1a`).
    public static func prefixed(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }
}
