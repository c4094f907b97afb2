/// Undecorates Microsoft C++ names (`?Method@Class@@UEAAHXZ`) to the qualified name the
/// debugger shows (`Class::Method`), the way dbghelp does with name-only undecoration: scope,
/// name and template arguments, no parameter list, return type or calling convention.
///
/// Names that are not decorated come back unchanged; so does a decorated name this subset of
/// the grammar cannot read (every step is bounded, so hostile input cannot make it loop).
public enum MicrosoftDemangler {
    public static func undecoratedName(_ name: String) -> String {
        guard name.hasPrefix("?"), name.utf8.count < 4096 else { return name }
        var parser = Parser(Array(name.utf8))
        guard let result = parser.qualifiedSymbolName() else { return name }
        return result
    }

    struct Parser {
        let bytes: [UInt8]
        var position = 0
        /// Name back-references (`0`..`9`).
        var names: [String] = []
        /// Type back-references inside template argument lists.
        var types: [String] = []
        var depth = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func next() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func consume(_ text: String) -> Bool {
            let utf8 = Array(text.utf8)
            guard bytes.count - position >= utf8.count,
                Array(bytes[position..<position + utf8.count]) == utf8
            else { return false }
            position += utf8.count
            return true
        }

        /// `?` name scope* `@`: the whole symbol name.
        mutating func qualifiedSymbolName() -> String? {
            guard consume("?") else { return nil }
            if consume("?_C@") { return "`string'" }
            if peek == UInt8(ascii: "?"), bytes.count > position + 1,
                bytes[position + 1] == UInt8(ascii: "?")
            {
                // `??$` / `??0` etc. are handled by unqualifiedName; `???` nests a symbol.
            }
            guard let (first, isConstructorLike) = unqualifiedName(isFirst: true) else {
                return nil
            }
            var scopes: [String] = []
            while let byte = peek, byte != UInt8(ascii: "@") {
                guard scopes.count < 64, let scope = scopeName() else { return nil }
                scopes.append(scope)
            }
            _ = next()
            var name = first
            switch isConstructorLike {
            case .constructor: name = scopes.first ?? "ctor"
            case .destructor:
                name = "~" + (scopes.first ?? "dtor")
            case .none: break
            }
            return (scopes.reversed() + [name]).joined(separator: "::")
        }

        enum Special { case none, constructor, destructor }

        /// The symbol's own name: an identifier, an operator, a template or a back-reference.
        mutating func unqualifiedName(isFirst: Bool) -> (String, Special)? {
            guard let byte = peek else { return nil }
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                let index = Int(byte - UInt8(ascii: "0"))
                return index < names.count ? (names[index], .none) : nil
            }
            if consume("?$") {
                guard let template = templateName() else { return nil }
                remember(template)
                return (template, .none)
            }
            if isFirst, consume("?") {
                return operatorName()
            }
            guard let identifier = identifier() else { return nil }
            remember(identifier)
            return (identifier, .none)
        }

        /// A scope component after the name.
        mutating func scopeName() -> String? {
            guard let byte = peek else { return nil }
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                let index = Int(byte - UInt8(ascii: "0"))
                return index < names.count ? names[index] : nil
            }
            if consume("?$") {
                guard let template = templateName() else { return nil }
                remember(template)
                return template
            }
            if consume("?A") {
                // Anonymous namespace: `?A0x1234abcd@`.
                while let byte = next(), byte != UInt8(ascii: "@") {}
                let text = "`anonymous namespace'"
                remember(text)
                return text
            }
            if consume("?") {
                // A numbered local scope (`?1??name@...`) or a nested symbol: give up on the
                // nested symbol form, keep the number form.
                guard let number = number() else { return nil }
                return "`\(number)'"
            }
            guard let identifier = identifier() else { return nil }
            remember(identifier)
            return identifier
        }

        mutating func remember(_ name: String) {
            if names.count < 10, !names.contains(name) { names.append(name) }
        }

        /// Characters up to `@`.
        mutating func identifier() -> String? {
            let start = position
            while let byte = peek, byte != UInt8(ascii: "@") {
                position += 1
            }
            guard position > start, next() == UInt8(ascii: "@") else { return nil }
            return String(decoding: bytes[start..<position - 1], as: UTF8.self)
        }

        /// `name@ args @` after `?$`: `name<args>`.
        mutating func templateName() -> String? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 16 else { return nil }
            let savedNames = names
            let savedTypes = types
            names = []
            types = []
            defer {
                names = savedNames
                types = savedTypes
            }
            let name: String
            if consume("?") {
                guard let (operatorText, _) = operatorName() else { return nil }
                name = operatorText
            } else {
                guard let identifier = identifier() else { return nil }
                name = identifier
            }
            remember(name)
            var arguments: [String] = []
            while let byte = peek, byte != UInt8(ascii: "@") {
                guard arguments.count < 64, let argument = templateArgument() else { return nil }
                arguments.append(argument)
            }
            _ = next()
            let joined = arguments.joined(separator: ",")
            return name + "<" + joined + (joined.hasSuffix(">") ? " >" : ">")
        }

        mutating func templateArgument() -> String? {
            if consume("$0") { return number().map(String.init) }
            if consume("$$V") || consume("$$Z") { return "" }
            if consume("$1") {
                // A pointer to a symbol: `&name`.
                guard let symbol = qualifiedSymbolName() else { return nil }
                skipToEndOfSymbolEncoding()
                return "&" + symbol
            }
            return type()
        }

        /// Skips a symbol's type encoding inside a template argument (not needed for names).
        mutating func skipToEndOfSymbolEncoding() {
            // Encodings end where the enclosing argument list continues; without a full
            // grammar, stop at the next `@` that closes the list.
            while let byte = peek, byte != UInt8(ascii: "@") { position += 1 }
        }

        /// An encoded number: `0`..`9` mean 1..10; hex digits `A`..`P` end with `@`; `?` negates.
        mutating func number() -> Int64? {
            let negative = consume("?")
            guard let first = next() else { return nil }
            var value: Int64
            if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
                value = Int64(first - UInt8(ascii: "0")) + 1
            } else {
                value = 0
                var byte: UInt8? = first
                var digits = 0
                while let current = byte, current != UInt8(ascii: "@") {
                    guard current >= UInt8(ascii: "A"), current <= UInt8(ascii: "P"), digits < 16
                    else { return nil }
                    value = value &* 16 &+ Int64(current - UInt8(ascii: "A"))
                    digits += 1
                    byte = next()
                }
                guard byte == UInt8(ascii: "@") else { return nil }
            }
            return negative ? -value : value
        }

        /// A type in a template argument list, as dbghelp prints it.
        mutating func type() -> String? {
            depth += 1
            defer { depth -= 1 }
            guard depth < 32, let byte = peek else { return nil }
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                position += 1
                let index = Int(byte - UInt8(ascii: "0"))
                return index < types.count ? types[index] : nil
            }
            position += 1
            let simple: [UInt8: String] = [
                UInt8(ascii: "C"): "signed char", UInt8(ascii: "D"): "char",
                UInt8(ascii: "E"): "unsigned char", UInt8(ascii: "F"): "short",
                UInt8(ascii: "G"): "unsigned short", UInt8(ascii: "H"): "int",
                UInt8(ascii: "I"): "unsigned int", UInt8(ascii: "J"): "long",
                UInt8(ascii: "K"): "unsigned long", UInt8(ascii: "M"): "float",
                UInt8(ascii: "N"): "double", UInt8(ascii: "O"): "long double",
                UInt8(ascii: "X"): "void",
            ]
            if let name = simple[byte] { return name }
            switch byte {
            case UInt8(ascii: "_"):
                let extended: [UInt8: String] = [
                    UInt8(ascii: "J"): "__int64", UInt8(ascii: "K"): "unsigned __int64",
                    UInt8(ascii: "N"): "bool", UInt8(ascii: "W"): "wchar_t",
                    UInt8(ascii: "S"): "char16_t", UInt8(ascii: "U"): "char32_t",
                    UInt8(ascii: "Q"): "char8_t",
                ]
                guard let code = next(), let name = extended[code] else { return nil }
                return name
            case UInt8(ascii: "U"), UInt8(ascii: "V"), UInt8(ascii: "T"):
                guard let name = className() else { return nil }
                let keyword =
                    byte == UInt8(ascii: "U")
                    ? "struct" : byte == UInt8(ascii: "V") ? "class" : "union"
                return rememberType("\(keyword) \(name)")
            case UInt8(ascii: "W"):
                guard next() != nil, let name = className() else { return nil }
                return rememberType("enum \(name)")
            case UInt8(ascii: "P"), UInt8(ascii: "Q"), UInt8(ascii: "R"), UInt8(ascii: "S"),
                UInt8(ascii: "A"):
                // Pointer or reference: optional `E` (__ptr64), `I` etc., then cv and pointee.
                while let modifier = peek,
                    modifier == UInt8(ascii: "E") || modifier == UInt8(ascii: "I")
                        || modifier == UInt8(ascii: "F")
                {
                    position += 1
                }
                guard let qualifier = next() else { return nil }
                let isConst = qualifier == UInt8(ascii: "B") || qualifier == UInt8(ascii: "D")
                guard let pointee = type() else { return nil }
                let mark = byte == UInt8(ascii: "A") ? " &" : " *"
                return rememberType((isConst ? pointee + " const" : pointee) + mark)
            default:
                return nil
            }
        }

        mutating func rememberType(_ text: String) -> String {
            if types.count < 10, !types.contains(text) { types.append(text) }
            return text
        }

        /// A class name inside a type: name scope* `@`.
        mutating func className() -> String? {
            guard let (first, _) = unqualifiedName(isFirst: false) else { return nil }
            var scopes: [String] = []
            while let byte = peek, byte != UInt8(ascii: "@") {
                guard scopes.count < 64, let scope = scopeName() else { return nil }
                scopes.append(scope)
            }
            _ = next()
            return (scopes.reversed() + [first]).joined(separator: "::")
        }

        /// After `?`: an operator or special name.
        mutating func operatorName() -> (String, Special)? {
            guard let code = next() else { return nil }
            let operators: [UInt8: String] = [
                UInt8(ascii: "2"): "operator new", UInt8(ascii: "3"): "operator delete",
                UInt8(ascii: "4"): "operator=", UInt8(ascii: "5"): "operator>>",
                UInt8(ascii: "6"): "operator<<", UInt8(ascii: "7"): "operator!",
                UInt8(ascii: "8"): "operator==", UInt8(ascii: "9"): "operator!=",
                UInt8(ascii: "A"): "operator[]", UInt8(ascii: "B"): "operator cast",
                UInt8(ascii: "C"): "operator->", UInt8(ascii: "D"): "operator*",
                UInt8(ascii: "E"): "operator++", UInt8(ascii: "F"): "operator--",
                UInt8(ascii: "G"): "operator-", UInt8(ascii: "H"): "operator+",
                UInt8(ascii: "I"): "operator&", UInt8(ascii: "J"): "operator->*",
                UInt8(ascii: "K"): "operator/", UInt8(ascii: "L"): "operator%",
                UInt8(ascii: "M"): "operator<", UInt8(ascii: "N"): "operator<=",
                UInt8(ascii: "O"): "operator>", UInt8(ascii: "P"): "operator>=",
                UInt8(ascii: "Q"): "operator,", UInt8(ascii: "R"): "operator()",
                UInt8(ascii: "S"): "operator~", UInt8(ascii: "T"): "operator^",
                UInt8(ascii: "U"): "operator|", UInt8(ascii: "V"): "operator&&",
                UInt8(ascii: "W"): "operator||", UInt8(ascii: "X"): "operator*=",
                UInt8(ascii: "Y"): "operator+=", UInt8(ascii: "Z"): "operator-=",
            ]
            switch code {
            case UInt8(ascii: "0"): return ("", .constructor)
            case UInt8(ascii: "1"): return ("", .destructor)
            case UInt8(ascii: "_"):
                guard let second = next() else { return nil }
                let more: [UInt8: String] = [
                    UInt8(ascii: "0"): "operator/=", UInt8(ascii: "1"): "operator%=",
                    UInt8(ascii: "2"): "operator>>=", UInt8(ascii: "3"): "operator<<=",
                    UInt8(ascii: "4"): "operator&=", UInt8(ascii: "5"): "operator|=",
                    UInt8(ascii: "6"): "operator^=", UInt8(ascii: "7"): "`vftable'",
                    UInt8(ascii: "8"): "`vbtable'", UInt8(ascii: "9"): "`vcall'",
                    UInt8(ascii: "B"): "`local static guard'",
                    UInt8(ascii: "D"): "`vbase destructor'",
                    UInt8(ascii: "E"): "`vector deleting destructor'",
                    UInt8(ascii: "F"): "`default constructor closure'",
                    UInt8(ascii: "G"): "`scalar deleting destructor'",
                    UInt8(ascii: "H"): "`vector constructor iterator'",
                    UInt8(ascii: "I"): "`vector destructor iterator'",
                    UInt8(ascii: "L"): "`eh vector constructor iterator'",
                    UInt8(ascii: "M"): "`eh vector destructor iterator'",
                    UInt8(ascii: "O"): "`copy constructor closure'",
                    UInt8(ascii: "S"): "`local vftable'",
                    UInt8(ascii: "U"): "operator new[]", UInt8(ascii: "V"): "operator delete[]",
                ]
                if let name = more[second] { return (name, .none) }
                if second == UInt8(ascii: "R") { return rttiName() }
                if second == UInt8(ascii: "_") {
                    guard let third = next() else { return nil }
                    switch third {
                    case UInt8(ascii: "E"): return dynamicName("`dynamic initializer for '")
                    case UInt8(ascii: "F"): return dynamicName("`dynamic atexit destructor for '")
                    default: return nil
                    }
                }
                return nil
            default:
                guard let name = operators[code] else { return nil }
                return (name, .none)
            }
        }

        /// RTTI data: `??_R0` type descriptor, `??_R1` base class descriptor (four numbers),
        /// `??_R2` base class array, `??_R3` class hierarchy, `??_R4` complete object locator.
        mutating func rttiName() -> (String, Special)? {
            guard let code = next() else { return nil }
            switch code {
            case UInt8(ascii: "0"):
                // `??_R0?AVname@@@8`: the type follows (`?A` + a class type).
                guard consume("?A"), let type = type() else { return nil }
                position = bytes.count
                return (type + " `RTTI Type Descriptor'", .none)
            case UInt8(ascii: "1"):
                var numbers: [String] = []
                for _ in 0..<4 {
                    guard let value = number() else { return nil }
                    numbers.append(String(value))
                }
                return (
                    "`RTTI Base Class Descriptor at (\(numbers.joined(separator: ",")))'", .none
                )
            case UInt8(ascii: "2"): return ("`RTTI Base Class Array'", .none)
            case UInt8(ascii: "3"): return ("`RTTI Class Hierarchy Descriptor'", .none)
            case UInt8(ascii: "4"): return ("`RTTI Complete Object Locator'", .none)
            default: return nil
            }
        }

        /// `` `dynamic initializer for 'name'' `` (`??__E` + a nested name).
        mutating func dynamicName(_ prefix: String) -> (String, Special)? {
            if peek == UInt8(ascii: "?"), depth < 8 {
                var nested = Parser(Array(bytes[position...]))
                nested.depth = depth + 4
                guard let inner = nested.qualifiedSymbolName() else { return nil }
                // The nested symbol's type encoding follows; skip to the last `@@` we can trust.
                position = bytes.count
                return (prefix + inner + "''", .none)
            }
            guard let identifier = identifier() else { return nil }
            return (prefix + identifier + "''", .none)
        }
    }
}
