// The debugger's string wildcard syntax ("String Wildcard Syntax" in the debugger
// documentation), used by `$spat` and usable by commands that take patterns (`x`, `lm m`).

/// A compiled wildcard pattern: `*` any run, `?` any character, `[a-z7]` one character from a
/// set with ranges, `#` zero or more and `+` one or more of the preceding item, `\` makes the
/// next character literal. Matching is linear in pattern length times text length (no
/// backtracking), so hostile patterns cannot hang the debugger.
public struct WildcardPattern: Sendable, Equatable {
    enum Atom: Sendable, Equatable {
        case literal(UInt8)
        case anyCharacter
        case set([ClosedRange<UInt8>])

        func matches(_ byte: UInt8, caseInsensitive: Bool) -> Bool {
            switch self {
            case .anyCharacter:
                return true
            case .literal(let expected):
                return caseInsensitive
                    ? ASCII.lowercased(expected) == ASCII.lowercased(byte) : expected == byte
            case .set(let ranges):
                let candidates =
                    caseInsensitive
                    ? [byte, ASCII.lowercased(byte), Self.uppercased(byte)] : [byte]
                return ranges.contains { range in candidates.contains { range.contains($0) } }
            }
        }

        static func uppercased(_ byte: UInt8) -> UInt8 {
            byte >= 0x61 && byte <= 0x7A ? byte & ~0x20 : byte
        }
    }

    /// One pattern item: an atom matched once, or any number of times.
    struct Element: Sendable, Equatable {
        var atom: Atom
        var repeats: Bool
    }

    let elements: [Element]
    /// Whether letters match regardless of case (`$spat` is case-insensitive).
    public let caseInsensitive: Bool

    /// Compiles `pattern`.
    public init(_ pattern: String, caseInsensitive: Bool = true) {
        self.init(bytes: Array(pattern.utf8), caseInsensitive: caseInsensitive)
    }

    init(bytes pattern: [UInt8], caseInsensitive: Bool = true) {
        self.caseInsensitive = caseInsensitive
        var elements: [Element] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            index += 1
            switch byte {
            case ASCII.star:
                elements.append(Element(atom: .anyCharacter, repeats: true))
            case ASCII.question:
                elements.append(Element(atom: .anyCharacter, repeats: false))
            case 0x23, ASCII.plus:  // `#` or `+` repeat the previous item
                guard let previous = elements.last, !previous.repeats else {
                    elements.append(Element(atom: .literal(byte), repeats: false))
                    continue
                }
                if byte == 0x23 {
                    elements[elements.count - 1].repeats = true
                } else {
                    elements.append(Element(atom: previous.atom, repeats: true))
                }
            case ASCII.backslash where index < pattern.count:
                elements.append(Element(atom: .literal(pattern[index]), repeats: false))
                index += 1
            case 0x5B:  // `[`
                if let (set, next) = Self.parseSet(pattern, from: index) {
                    elements.append(Element(atom: set, repeats: false))
                    index = next
                } else {
                    elements.append(Element(atom: .literal(byte), repeats: false))
                }
            default:
                elements.append(Element(atom: .literal(byte), repeats: false))
            }
        }
        self.elements = elements
    }

    /// Parses the inside of `[...]` starting after `[`; nil when there is no `]`.
    private static func parseSet(_ pattern: [UInt8], from start: Int) -> (Atom, Int)? {
        var ranges: [ClosedRange<UInt8>] = []
        var index = start
        while index < pattern.count {
            let byte = pattern[index]
            if byte == 0x5D { return (.set(ranges), index + 1) }  // `]`
            if index + 2 < pattern.count, pattern[index + 1] == ASCII.minus,
                pattern[index + 2] != 0x5D
            {
                let low = min(byte, pattern[index + 2])
                let high = max(byte, pattern[index + 2])
                ranges.append(low...high)
                index += 3
            } else {
                ranges.append(byte...byte)
                index += 1
            }
        }
        return nil
    }

    /// Whether the whole of `text` matches the pattern.
    public func matches(_ text: String) -> Bool {
        matches(Array(text.utf8))
    }

    func matches(_ text: [UInt8]) -> Bool {
        // Set of pattern positions reachable after the text read so far.
        var states = [Bool](repeating: false, count: elements.count + 1)
        states[0] = true
        closeOverRepeats(&states)
        var next = states
        for byte in text {
            for index in next.indices { next[index] = false }
            var any = false
            for (index, element) in elements.enumerated() where states[index] {
                if element.atom.matches(byte, caseInsensitive: caseInsensitive) {
                    next[element.repeats ? index : index + 1] = true
                    any = true
                }
            }
            if !any { return false }
            closeOverRepeats(&next)
            swap(&states, &next)
        }
        return states[elements.count]
    }

    /// A repeated item may match nothing: reaching it also reaches the item after it.
    private func closeOverRepeats(_ states: inout [Bool]) {
        for (index, element) in elements.enumerated() where states[index] && element.repeats {
            states[index + 1] = true
        }
    }
}
