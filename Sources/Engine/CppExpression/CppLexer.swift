/// Tokens of a C++ expression as `??` reads it.
enum CppToken: Equatable {
    case number(UInt64, isUnsigned: Bool, isLong: Bool)
    case float(Double)
    /// An identifier, possibly qualified: `node`, `geometry::Point`, `app!g_count`,
    /// `Pair<long long>` (template arguments kept whole).
    case identifier(String)
    /// `@rax`, `@$t0`, `@$ip`.
    case register(String)
    case punctuation(String)
    case end
}

struct CppLexer {
    let text: [Character]
    var position = 0

    init(_ text: String) {
        self.text = Array(text)
    }

    static let punctuators = [
        "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "::",
        "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "(", ")", "[", "]", ".",
        "?", ":", ",",
    ]

    mutating func tokens() throws -> [(CppToken, Int)] {
        var result: [(CppToken, Int)] = []
        while true {
            while position < text.count, text[position].isWhitespace { position += 1 }
            let start = position
            guard position < text.count else {
                result.append((.end, start))
                return result
            }
            let character = text[position]
            if character.isNumber {
                result.append((try number(), start))
            } else if character == "@" {
                position += 1
                var name = ""
                while position < text.count,
                    text[position].isLetter || text[position].isNumber || text[position] == "$"
                        || text[position] == "_"
                {
                    name.append(text[position])
                    position += 1
                }
                guard !name.isEmpty else { throw CppError.syntax(at: start) }
                result.append((.register(name.lowercased()), start))
            } else if character.isLetter || character == "_" || character == "$" || character == "`"
            {
                result.append((.identifier(identifier()), start))
            } else if let punctuator = Self.punctuators.first(where: { matches($0) }) {
                position += punctuator.count
                result.append((.punctuation(punctuator), start))
            } else {
                throw CppError.syntax(at: start)
            }
        }
    }

    private func matches(_ punctuator: String) -> Bool {
        let characters = Array(punctuator)
        guard text.count - position >= characters.count else { return false }
        return Array(text[position..<position + characters.count]) == characters
    }

    /// Letters, digits, `_`, `$`, `::` between parts, one `!` after a module name, and
    /// balanced `<...>` template arguments.
    private mutating func identifier() -> String {
        var name = ""
        var angle = 0
        while position < text.count {
            let character = text[position]
            if character.isLetter || character.isNumber || character == "_" || character == "$"
                || character == "`" || character == "'"
            {
                name.append(character)
                position += 1
            } else if character == "!", angle == 0, !name.contains("!"),
                position + 1 < text.count, text[position + 1] != "="
            {
                name.append(character)
                position += 1
            } else if character == ":", position + 1 < text.count, text[position + 1] == ":" {
                name += "::"
                position += 2
            } else if character == "<", looksLikeTemplate() {
                angle += 1
                name.append(character)
                position += 1
            } else if angle > 0 {
                if character == ">" { angle -= 1 }
                name.append(character)
                position += 1
            } else {
                break
            }
        }
        return name
    }

    /// A `<` right after a name starts template arguments when a matching `>` closes them
    /// before anything that cannot appear in a type.
    private func looksLikeTemplate() -> Bool {
        var depth = 0
        var index = position
        while index < text.count {
            switch text[index] {
            case "<": depth += 1
            case ">":
                depth -= 1
                if depth == 0 { return true }
            case "(", ")", ";", "=", "[", "]", "+", "-", "&", "|", "!": return false
            default: break
            }
            index += 1
        }
        return false
    }

    /// Decimal by default; `0x` hex, a leading `0` octal; suffixes `u`, `l`, `ll`, `i64`.
    private mutating func number() throws -> CppToken {
        let start = position
        var digits = ""
        while position < text.count,
            text[position].isLetter || text[position].isNumber || text[position] == "."
        {
            digits.append(text[position])
            position += 1
        }
        var lower = digits.lowercased()
        if lower.contains("."), !lower.hasPrefix("0x") {
            guard let value = Double(lower.hasSuffix("f") ? String(lower.dropLast()) : lower) else {
                throw CppError.syntax(at: start)
            }
            return .float(value)
        }
        var isUnsigned = false
        var isLong = false
        while let last = lower.last, "ul".contains(last) {
            if last == "u" { isUnsigned = true } else { isLong = true }
            lower.removeLast()
        }
        if lower.hasSuffix("i64") {
            lower.removeLast(3)
            isLong = true
        }
        let value: UInt64?
        if lower.hasPrefix("0x") {
            value = UInt64(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0"), lower.count > 1 {
            value = UInt64(lower.dropFirst(), radix: 8)
        } else {
            value = UInt64(lower, radix: 10)
        }
        guard let value else { throw CppError.syntax(at: start) }
        return .number(value, isUnsigned: isUnsigned, isLong: isLong)
    }
}

/// A C++ expression error, at a character offset of the expression.
struct CppError: Error {
    enum Kind { case syntax, couldNotResolve, memoryAccess, typeConflict, message(String) }
    var kind: Kind
    var offset: Int

    static func syntax(at offset: Int) -> CppError { CppError(kind: .syntax, offset: offset) }
}
