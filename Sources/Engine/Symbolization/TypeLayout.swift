import Symbols

/// Renders a type the way `dt` prints it: one `+0x000 Name : Type` line per member (with the
/// member's value when an address is given), nested types expanded to a depth, enums as their
/// enumerators.
struct TypeLayout {
    let types: TypeCatalog
    let text: ValueText
    let pointerSize: Int
    /// Resolves static members (`Class::member`) to addresses, when possible.
    let staticAddress: (String) -> UInt64?
    var verbose = false
    /// How many levels of embedded structures to expand (`-r N`).
    var depth = 0
    /// Only these members (`dt Type Field`); empty for all. A trailing `*` matches a prefix.
    var fieldFilter: [String] = []

    static let nameWidth = 16

    /// `struct _FOO, 3 elements, 0x18 bytes` (the `-v` description of a type).
    func verboseDescription(_ index: TypeIndex) -> String {
        switch types.shape(of: index) {
        case .userDefined(let type, let resolved):
            let keyword = text.userDefinedKeyword(type)
            let count = types.members(of: resolved).count
            return
                "\(keyword) \(type.name), \(count) elements, 0x\(String(type.size, radix: 16)) bytes"
        case .enumeration(let type, _):
            return "Enum \(type.name),  \(types.enumerators(of: type).count) total enums"
        case .pointer(let target, let size, _):
            return "Ptr\(size * 8) to " + verboseDescription(target)
        case .array(let element, let count, _):
            return "[\(count)] " + verboseDescription(element)
        default:
            return types.dtName(of: index, pointerSize: pointerSize)
        }
    }

    /// Lines for `index`, its members indented by `indent` spaces; with `value`, each member's
    /// value.
    func lines(_ index: TypeIndex, value: TypedValue?, indent: Int = 3, level: Int = 0) -> [String]
    {
        switch types.shape(of: index) {
        case .enumeration(let type, _) where value == nil:
            return types.enumerators(of: type).map { enumerator in
                let number: String
                switch enumerator.value {
                case .signed(let v): number = "0n\(v)"
                case .unsigned(let v): number = "0n\(v)"
                }
                return String(repeating: " ", count: indent) + "\(enumerator.name) = \(number)"
            }
        case .userDefined(let type, let resolved):
            return memberLines(
                resolved, owner: type.name, value: value, indent: indent, level: level)
        default:
            guard let value else { return [] }
            return [String(repeating: " ", count: indent) + text.dtField(value, member: nil)]
        }
    }

    private func memberLines(
        _ index: TypeIndex, owner: String, value: TypedValue?, indent: Int, level: Int
    ) -> [String] {
        var result: [String] = []
        let pad = String(repeating: " ", count: indent)
        for member in types.members(of: index) where selected(member.name) {
            let name = member.name.rightPadded(to: Self.nameWidth)
            if member.isStatic {
                let address = staticAddress(
                    (member.declaringType.isEmpty ? owner : member.declaringType) + "::"
                        + member.name)
                let where_ = address.map { "=" + Hex.pointer($0, size: pointerSize) } ?? "=????????"
                var line = pad + "\(where_) \(name) : "
                if let address, value != nil {
                    line += text.dtField(
                        TypedValue(type: member.type, storage: .memory(address)), member: nil)
                } else {
                    line += typeText(member)
                }
                result.append(line)
                continue
            }
            var line = pad + "+0x" + Hex.digits(member.offset, width: 3) + " " + name + " : "
            let memberValue = value.map { text.reader.member($0, member) }
            if let memberValue {
                line += text.dtField(memberValue, member: member)
            } else {
                line += typeText(member)
            }
            result.append(line)
            if level < depth, member.bitLength == nil,
                case .userDefined(let nestedType, let nested) = types.shape(of: member.type)
            {
                result += memberLines(
                    nested, owner: nestedType.name, value: memberValue, indent: indent + 3,
                    level: level + 1)
            }
        }
        return result
    }

    private func typeText(_ member: TypeMember) -> String {
        if let length = member.bitLength, let position = member.bitPosition {
            return "Pos \(position), \(length) Bit" + (length == 1 ? "" : "s")
        }
        return verbose
            ? verboseDescription(member.type)
            : types.dtName(of: member.type, pointerSize: pointerSize)
    }

    private func selected(_ name: String) -> Bool {
        guard !fieldFilter.isEmpty else { return true }
        return fieldFilter.contains { filter in
            if filter.hasSuffix("*") {
                return name.lowercased().hasPrefix(filter.dropLast().lowercased())
            }
            return name == filter
        }
    }
}
