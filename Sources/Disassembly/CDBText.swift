/// Number and address text in the shapes CDB prints.
public enum CDBText {
    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// An address: 8 lowercase hex digits on 32-bit targets (`7255b29f`), 16 split by a
    /// backtick on 64-bit ones (`00007ffc`0f1d4961`).
    public static func address(_ value: UInt64, is64Bit: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(17)
        if is64Bit {
            appendHex(value >> 32, digits: 8, upper: false, to: &out)
            out.append(UInt8(ascii: "`"))
        }
        appendHex(value & 0xFFFF_FFFF, digits: 8, upper: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A number in CDB's MASM disassembly style: values below 10 in plain decimal (`8`),
    /// others in uppercase hex with a trailing `h` and a leading `0` when the first digit is a
    /// letter (`28h`, `0FFFFFFF0h`).
    public static func number(_ value: UInt64) -> String {
        if value < 10 { return String(value) }
        var out: [UInt8] = []
        out.reserveCapacity(19)
        let digits = hexDigitCount(value)
        if value >> UInt64((digits - 1) * 4) >= 10 { out.append(UInt8(ascii: "0")) }
        appendHex(value, digits: digits, upper: true, to: &out)
        out.append(UInt8(ascii: "h"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A signed displacement as CDB prints it inside brackets: `+8`, `-10h`, `+0A8h`.
    public static func signedDisplacement(_ value: Int64) -> String {
        value < 0 ? "-" + number(value.magnitude) : "+" + number(UInt64(value))
    }

    /// A zero-padded hex number with `h` suffix, as x86 CDB prints absolute memory operands
    /// (`fs:[00000018h]`, `ds:[0C0000000h]`).
    public static func paddedNumber(_ value: UInt64, digits: Int) -> String {
        var out: [UInt8] = []
        let count = max(digits, hexDigitCount(value))
        if value >> UInt64((count - 1) * 4) >= 10 { out.append(UInt8(ascii: "0")) }
        appendHex(value, digits: count, upper: true, to: &out)
        out.append(UInt8(ascii: "h"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase zero-padded hex without suffix (`0023`, `00000004`).
    public static func hex(_ value: UInt64, digits: Int) -> String {
        var out: [UInt8] = []
        appendHex(value, digits: max(digits, hexDigitCount(value)), upper: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes as consecutive lowercase hex pairs (`4881ec38010000`).
    public static func hexBytes(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(lowerDigits[Int(byte >> 4)])
            out.append(lowerDigits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDigitCount(_ value: UInt64) -> Int {
        value == 0 ? 1 : (64 - value.leadingZeroBitCount + 3) / 4
    }

    static func appendHex(_ value: UInt64, digits: Int, upper: Bool, to out: inout [UInt8]) {
        let table = upper ? upperDigits : lowerDigits
        var shift = (digits - 1) * 4
        while shift >= 0 {
            let nibble = shift < 64 ? Int((value >> UInt64(shift)) & 0xF) : 0
            out.append(table[nibble])
            shift -= 4
        }
    }
}
