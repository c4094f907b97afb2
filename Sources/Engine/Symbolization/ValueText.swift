import Symbols

/// How values are written: `dv`, `kp`, `x` and `??` use C-like text (`0n5`, `0x00000000`00401000
/// "text"`, `TWO (0n2)`); `dt` uses its own forms (`0n5`, `0x1a`, `(null)`, `0n2 ( TWO )`,
/// `0y1` for bitfields).
struct ValueText {
    let reader: ValueReader
    var types: TypeCatalog { reader.types }
    var pointerSize: Int { reader.pointerSize }

    static let unavailable = "<value unavailable>"
    static let memoryError = "<Memory access error>"

    /// Hex as CDB writes pointers: 8 digits, or 16 with a backtick.
    func pointerText(_ value: UInt64, size: Int? = nil) -> String {
        "0x" + Hex.pointer(value, size: size ?? pointerSize)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacing("\n", with: "\\n") + "\""
    }

    static func character(_ code: UInt64) -> String {
        guard code >= 0x20, code < 0x7f, let scalar = Unicode.Scalar(UInt32(code)) else {
            return "''"
        }
        return "'" + String(Character(scalar)) + "'"
    }

    /// The value as `dv` and `kp` print it.
    func short(_ value: TypedValue) -> String {
        if case .unavailable = value.storage { return Self.unavailable }
        switch types.shape(of: value.type) {
        case .void: return "void"
        case .base(let simple): return base(value, simple)
        case .pointer(let target, let size, _):
            guard let raw = reader.integer(value) else { return Self.memoryError }
            var text = pointerText(raw, size: size)
            if raw != 0, let string = pointedString(raw, target: target) { text += " " + string }
            return text
        case .enumeration(let type, _):
            guard let raw = reader.integer(value) else { return Self.memoryError }
            let signed = reader.signedInteger(value) ?? Int64(bitPattern: raw)
            if let name = enumeratorName(type, raw) { return "\(name) (0n\(signed))" }
            return "0n\(signed)"
        case .userDefined(let type, _):
            return userDefinedKeyword(type) + " " + type.name
        case .array:
            return types.name(of: value.type)
        case .function:
            return types.name(of: value.type)
        case .bitfield(let underlying, let length, let position):
            guard let raw = reader.integer(TypedValue(type: underlying, storage: value.storage))
            else {
                return Self.memoryError
            }
            return "0x" + String((raw >> UInt64(position)) & mask(length), radix: 16)
        case .unknown:
            return "<unknown type>"
        }
    }

    func userDefinedKeyword(_ type: UserDefinedType) -> String {
        switch type.kind {
        case .classType: "class"
        case .structure: "struct"
        case .union: "union"
        case .interface: "interface"
        }
    }

    private func mask(_ bits: Int) -> UInt64 {
        bits >= 64 ? UInt64.max : (1 << UInt64(bits)) - 1
    }

    func enumeratorName(_ type: EnumerationType, _ raw: UInt64) -> String? {
        let size = types.size(of: type.underlyingType) ?? 4
        let wanted = size >= 8 ? raw : raw & mask(Int(size) * 8)
        return types.enumerators(of: type).first { enumerator in
            let bits = enumerator.value.bits
            return (size >= 8 ? bits : bits & mask(Int(size) * 8)) == wanted
        }?.name
    }

    /// `"text"` after a `char *` or `wchar_t *`.
    func pointedString(_ address: UInt64, target: TypeIndex) -> String? {
        guard case .base(let simple) = types.shape(of: target) else { return nil }
        switch simple.encoding {
        case .character, .unsignedCharacter:
            return reader.string(at: address, wide: false).map(Self.quoted)
        case .wideCharacter:
            return reader.string(at: address, wide: true).map(Self.quoted)
        default:
            return nil
        }
    }

    private func base(_ value: TypedValue, _ simple: SimpleType) -> String {
        guard let raw = reader.integer(value) else { return Self.memoryError }
        switch simple.encoding {
        case .signed, .hresult:
            return "0n\(reader.signedInteger(value) ?? 0)"
        case .unsigned:
            return "0x" + String(raw, radix: 16)
        case .character:
            return "0n\(reader.signedInteger(value) ?? 0) \(Self.character(raw))"
        case .unsignedCharacter, .wideCharacter:
            return "0x" + String(raw, radix: 16) + " " + Self.character(raw)
        case .boolean:
            return raw == 0 ? "false" : "true"
        case .float:
            return floatText(raw, size: simple.size)
        case .void, .none:
            return "0x" + String(raw, radix: 16)
        }
    }

    func floatText(_ raw: UInt64, size: Int) -> String {
        switch size {
        case 4: return "\(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))"
        case 8: return "\(Double(bitPattern: raw))"
        default: return "0x" + String(raw, radix: 16)
        }
    }

    // MARK: dt

    /// The value part of a `dt` field line (after `Name : `).
    func dtField(_ value: TypedValue, member: TypeMember?, depth: Int = 0) -> String {
        if case .unavailable = value.storage { return Self.unavailable }
        guard depth < 16 else { return "..." }
        if let member, let length = member.bitLength, let position = member.bitPosition {
            guard let raw = reader.integer(value) else { return Self.memoryError }
            let bits = (raw >> UInt64(position)) & mask(length)
            return "0y" + String(bits, radix: 2).leftPadded(to: length, with: "0")
        }
        switch types.shape(of: value.type) {
        case .void: return "Void"
        case .base(let simple):
            guard let raw = reader.integer(value) else { return Self.memoryError }
            switch simple.encoding {
            case .signed, .hresult: return "0n\(reader.signedInteger(value) ?? 0)"
            case .character: return "\(dtUnsigned(raw)) \(Self.character(raw))"
            case .unsignedCharacter, .wideCharacter:
                return "\(dtUnsigned(raw)) \(Self.character(raw))"
            case .boolean: return raw == 0 ? "False" : "True"
            case .float: return floatText(raw, size: simple.size)
            default: return dtUnsigned(raw)
            }
        case .pointer(let target, let size, _):
            guard let raw = reader.integer(value) else { return Self.memoryError }
            if raw == 0 { return "(null) " }
            var text = pointerText(raw, size: size)
            if let string = pointedString(raw, target: target) {
                text += "  " + string
            } else {
                text += " " + types.dtName(of: target, pointerSize: pointerSize)
            }
            return text
        case .enumeration(let type, _):
            guard let raw = reader.integer(value) else { return Self.memoryError }
            let signed = reader.signedInteger(value) ?? Int64(bitPattern: raw)
            return "0n\(signed)" + (enumeratorName(type, raw).map { " ( \($0) )" } ?? "")
        case .userDefined(let type, _):
            return type.name
        case .array(let element, let count, _):
            if case .base(let simple) = types.shape(of: element),
                simple.encoding == .character || simple.encoding == .unsignedCharacter
                    || simple.encoding == .wideCharacter,
                let address = value.address,
                let text = reader.string(at: address, wide: simple.encoding == .wideCharacter)
            {
                return "[\(count)]  " + Self.quoted(String(text.prefix(Int(clamping: count))))
            }
            guard let first = reader.element(value, index: 0, elementType: element) else {
                return "[\(count)] " + Self.memoryError
            }
            return "[\(count)] " + dtField(first, member: nil, depth: depth + 1)
        case .function:
            return types.dtName(of: value.type, pointerSize: pointerSize)
        case .bitfield(let underlying, let length, let position):
            guard let raw = reader.integer(TypedValue(type: underlying, storage: value.storage))
            else {
                return Self.memoryError
            }
            let bits = (raw >> UInt64(position)) & mask(length)
            return "0y" + String(bits, radix: 2).leftPadded(to: length, with: "0")
        case .unknown:
            return "<unknown type>"
        }
    }

    /// Unsigned numbers in `dt`: small ones plain, others in hex.
    func dtUnsigned(_ raw: UInt64) -> String {
        raw < 10 ? String(raw) : "0x" + String(raw, radix: 16)
    }
}
