/// A name pattern in the debugger's string wildcard syntax, as `x mod!pattern` and `lm m`
/// take it. Matching ignores case.
///
/// Syntax (Microsoft's "String wildcard syntax" page):
/// * `*` any run of characters, `?` any one character;
/// * `[abc]`, `[a-z]` one character from a set;
/// * `#` zero or more of the preceding element, `+` one or more of it;
/// * `\` makes the next character literal.
///
/// For symbol patterns (the default), a leading `_` matches any number of leading
/// underscores, including none: `_foo` matches `foo`, `_foo` and `__foo`.
///
/// Matching simulates the pattern as a small automaton, so the cost is at most
/// (name length × pattern length) however many stars a hostile pattern holds.
public struct SymbolPattern: Sendable, Hashable, CustomStringConvertible {
    enum Atom: Sendable, Hashable {
        case any
        case scalar(Unicode.Scalar)
        case set([ClosedRange<Unicode.Scalar>])
    }

    struct Element: Sendable, Hashable {
        var atom: Atom
        /// `true`: the atom may match zero or more times; `false`: exactly once.
        var repeats: Bool
    }

    /// The text the pattern was made from.
    public let text: String
    let elements: [Element]
    /// The plain name when the pattern has no wildcard and no leading-underscore rule in
    /// effect, so a source can answer it from an exact-name index.
    public let exactName: String?

    /// Compiles `text`. Throws on an unterminated `[` set or a trailing `\`.
    /// - Parameter leadingUnderscoreMatchesAny: apply the symbol rule for a leading `_`
    ///   (true for symbol names, false for module names and other strings).
    public init(_ text: String, leadingUnderscoreMatchesAny: Bool = true) throws(SymbolPatternError)
    {
        self.text = text
        var elements: [Element] = []
        var isLiteral = true
        var scalars = Array(text.unicodeScalars)[...]

        if leadingUnderscoreMatchesAny, scalars.first == "_" {
            while scalars.first == "_" { scalars = scalars.dropFirst() }
            elements.append(Element(atom: .scalar("_"), repeats: true))
            isLiteral = false
        }

        while let scalar = scalars.popFirst() {
            switch scalar {
            case "*":
                elements.append(Element(atom: .any, repeats: true))
                isLiteral = false
            case "?":
                elements.append(Element(atom: .any, repeats: false))
                isLiteral = false
            case "#", "+":
                guard let previous = elements.last else {
                    elements.append(Element(atom: .scalar(scalar), repeats: false))
                    continue
                }
                isLiteral = false
                if scalar == "#" {
                    elements[elements.count - 1].repeats = true
                } else if !previous.repeats {
                    // One or more: the element once, then zero or more of it.
                    elements.append(Element(atom: previous.atom, repeats: true))
                }
            case "[":
                var ranges: [ClosedRange<Unicode.Scalar>] = []
                var closed = false
                while let member = scalars.popFirst() {
                    if member == "]" {
                        closed = true
                        break
                    }
                    var low = member
                    if member == "\\" {
                        guard let escaped = scalars.popFirst() else { break }
                        low = escaped
                    }
                    if scalars.first == "-", scalars.dropFirst().first.map({ $0 != "]" }) == true {
                        scalars = scalars.dropFirst()
                        guard let high = scalars.popFirst() else { break }
                        ranges.append(low <= high ? low...high : high...low)
                    } else {
                        ranges.append(low...low)
                    }
                }
                guard closed else {
                    throw SymbolPatternError(
                        pattern: text, message: "a '[' character set is not closed with ']'")
                }
                elements.append(Element(atom: .set(ranges), repeats: false))
                isLiteral = false
            case "\\":
                guard let escaped = scalars.popFirst() else {
                    throw SymbolPatternError(pattern: text, message: "the pattern ends with '\\'")
                }
                elements.append(Element(atom: .scalar(Self.folded(escaped)), repeats: false))
            default:
                elements.append(Element(atom: .scalar(Self.folded(scalar)), repeats: false))
            }
        }
        self.elements = elements
        if isLiteral {
            var name = ""
            for element in elements {
                if case .scalar(let s) = element.atom { name.unicodeScalars.append(s) }
            }
            self.exactName = text.contains("\\") ? name : text
        } else {
            self.exactName = nil
        }
    }

    public var description: String { text }

    /// Runs of identifier characters (ASCII letters, digits, `_`) the pattern requires
    /// literally, lower-cased, in order: `*Class::get*` gives `class`, `get`. A name can only
    /// match if it contains them in this order, so scans can reject most names before
    /// decoding them.
    public var requiredIdentifierRuns: [[UInt8]] {
        var runs: [[UInt8]] = []
        var current: [UInt8] = []
        func close() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        for element in elements {
            guard !element.repeats, case .scalar(let scalar) = element.atom, scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
            else {
                close()
                continue
            }
            current.append(UInt8(scalar.value))
        }
        close()
        return runs
    }

    /// True when `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        let count = elements.count
        // active[i]: the automaton may be before element i; active[count] = accepted.
        var active = [Bool](repeating: false, count: count + 1)
        var next = active
        active[0] = true
        closeOverOptionalElements(&active)
        for scalar in name.unicodeScalars {
            let folded = Self.folded(scalar)
            for index in 0...count { next[index] = false }
            var anyActive = false
            for index in 0..<count where active[index] {
                let element = elements[index]
                guard Self.atom(element.atom, matches: scalar, folded: folded) else { continue }
                if element.repeats {
                    next[index] = true
                } else {
                    next[index + 1] = true
                }
                anyActive = true
            }
            guard anyActive else { return false }
            swap(&active, &next)
            closeOverOptionalElements(&active)
        }
        return active[count]
    }

    /// Compares two names ignoring case, the way CDB resolves `module!name`.
    public static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.unicodeScalars.makeIterator()
        var right = rhs.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let l?, let r?): if folded(l) != folded(r) { return false }
            default: return false
            }
        }
    }

    private func closeOverOptionalElements(_ states: inout [Bool]) {
        for index in 0..<elements.count where states[index] && elements[index].repeats {
            states[index + 1] = true
        }
    }

    private static func atom(_ atom: Atom, matches scalar: Unicode.Scalar, folded: Unicode.Scalar)
        -> Bool
    {
        switch atom {
        case .any: return true
        case .scalar(let expected): return expected == folded
        case .set(let ranges):
            let upper = upperASCII(scalar)
            return ranges.contains {
                $0.contains(scalar) || $0.contains(folded) || $0.contains(upper)
            }
        }
    }

    /// Lower-case form used for comparisons (simple one-scalar case mapping).
    static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            let value = scalar.value
            if value >= 0x41 && value <= 0x5A, let lower = Unicode.Scalar(value + 0x20) {
                return lower
            }
            return scalar
        }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        if mapping.count == 1, let lower = mapping.first { return lower }
        return scalar
    }

    private static func upperASCII(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        if value >= 0x61 && value <= 0x7A, let upper = Unicode.Scalar(value - 0x20) {
            return upper
        }
        return scalar
    }
}

/// A malformed wildcard pattern typed by the user.
public struct SymbolPatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var message: String

    public var description: String { "Invalid pattern '\(pattern)': \(message)" }
}

/// `module!symbol` as `x` takes it: both halves are patterns; without `!` the module part is
/// absent (the engine then searches every module, or the current one, as CDB does).
public struct QualifiedSymbolPattern: Sendable, Hashable {
    /// Pattern for the module name (no leading-underscore rule), or nil if none was written.
    public var module: SymbolPattern?
    public var symbol: SymbolPattern

    /// Splits `text` at its first `!`.
    public init(_ text: String) throws(SymbolPatternError) {
        if let bang = text.firstIndex(of: "!") {
            module = try SymbolPattern(
                String(text[..<bang]), leadingUnderscoreMatchesAny: false)
            symbol = try SymbolPattern(String(text[text.index(after: bang)...]))
        } else {
            module = nil
            symbol = try SymbolPattern(text)
        }
    }
}
