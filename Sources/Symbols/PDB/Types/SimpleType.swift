/// A built-in CodeView type (type index below 0x1000): a base kind in the low byte and, in bits
/// 8..11, whether it is used directly or through a pointer of some size.
public struct SimpleType: Sendable, Hashable {
    public enum Encoding: Sendable, Hashable {
        case void, signed, unsigned, float, boolean, character, unsignedCharacter, wideCharacter
        case hresult, none
    }

    public let kind: UInt32
    /// 0 direct; otherwise a pointer (4: 32-bit, 6: 64-bit, ...).
    public let mode: UInt32

    public init?(_ index: TypeIndex) {
        guard index < 0x1000 else { return nil }
        kind = index & 0xff
        mode = (index >> 8) & 0xf
    }

    /// The directly used type of a pointer-mode simple type.
    public var directIndex: TypeIndex { kind }
    public var isPointer: Bool { mode != 0 }
    /// Size of the pointer for pointer modes.
    public var pointerSize: Int {
        switch mode {
        case 1, 2, 3: 2
        case 4, 5: 4
        case 6: 8
        case 7: 16
        default: 0
        }
    }

    private var facts: (cName: String, dtName: String, size: Int, encoding: Encoding) {
        switch kind {
        case 0x00: ("<NoType>", "<NoType>", 0, .none)
        case 0x03: ("void", "Void", 0, .void)
        case 0x08: ("HRESULT", "Int4B", 4, .hresult)
        case 0x10, 0x68: ("char", "Char", 1, .character)
        case 0x70: ("char", "Char", 1, .character)
        case 0x20, 0x69: ("unsigned char", "UChar", 1, .unsignedCharacter)
        case 0x7c: ("char8_t", "UChar", 1, .unsignedCharacter)
        case 0x71: ("wchar_t", "Wchar", 2, .wideCharacter)
        case 0x7a: ("char16_t", "Wchar", 2, .wideCharacter)
        case 0x7b: ("char32_t", "Uint4B", 4, .unsigned)
        case 0x11, 0x72: ("short", "Int2B", 2, .signed)
        case 0x21, 0x73: ("unsigned short", "Uint2B", 2, .unsigned)
        case 0x12: ("long", "Int4B", 4, .signed)
        case 0x22: ("unsigned long", "Uint4B", 4, .unsigned)
        case 0x74: ("int", "Int4B", 4, .signed)
        case 0x75: ("unsigned int", "Uint4B", 4, .unsigned)
        case 0x13, 0x76: ("int64", "Int8B", 8, .signed)
        case 0x23, 0x77: ("unsigned int64", "Uint8B", 8, .unsigned)
        case 0x14, 0x78: ("int128", "Int16B", 16, .signed)
        case 0x24, 0x79: ("unsigned int128", "Uint16B", 16, .unsigned)
        case 0x46: ("half", "Float", 2, .float)
        case 0x40: ("float", "Float", 4, .float)
        case 0x41: ("double", "Float", 8, .float)
        case 0x42: ("long double", "Float", 10, .float)
        case 0x30: ("bool", "Bool", 1, .boolean)
        case 0x31: ("bool16", "Uint2B", 2, .boolean)
        case 0x32: ("bool32", "Uint4B", 4, .boolean)
        case 0x33: ("bool64", "Uint8B", 8, .boolean)
        default:
            ("<type \(String(kind, radix: 16))>", "<type \(String(kind, radix: 16))>", 0, .none)
        }
    }

    /// The name C++ expressions and parameter lists use (`int`, `unsigned int64`, `wchar_t`).
    public var cName: String { facts.cName }
    /// The name `dt` uses (`Int4B`, `Uint8B`, `Wchar`).
    public var dtName: String { facts.dtName }
    /// Size of the directly used type.
    public var size: Int { facts.size }
    public var encoding: Encoding { facts.encoding }
}
