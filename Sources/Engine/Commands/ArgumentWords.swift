/// Splits command arguments into words separated by spaces (or commas, as CDB allows), with
/// double-quoted words kept whole. Words are substrings of the command line, so their
/// positions can be reported in errors.
public struct ArgumentWords: Sequence, IteratorProtocol {
    private let text: Substring
    private var index: Substring.Index

    public init(_ text: Substring) {
        self.text = text
        self.index = text.startIndex
    }

    /// The next word (quotes included), or nil at the end.
    public mutating func next() -> Substring? {
        while index < text.endIndex, text[index] == " " || text[index] == "\t" || text[index] == ","
        {
            index = text.index(after: index)
        }
        guard index < text.endIndex else { return nil }
        let start = index
        if text[index] == "\"" {
            index = text.index(after: index)
            while index < text.endIndex, text[index] != "\"" {
                index = text.index(after: index)
            }
            if index < text.endIndex { index = text.index(after: index) }
            return text[start..<index]
        }
        while index < text.endIndex, text[index] != " ", text[index] != "\t", text[index] != "," {
            index = text.index(after: index)
        }
        return text[start..<index]
    }

    /// Everything from the start of `word` to the end, trimmed, with one level of quotes removed.
    public func restOfLine(from word: Substring) -> String {
        unquoted(text[word.startIndex...].trimmingWhitespace())
    }

    /// The unread rest, trimmed (nil when nothing is left).
    public func remainder() -> Substring? {
        let rest = text[index...].drop { $0 == " " || $0 == "\t" }
        return rest.isEmpty ? nil : rest
    }

    /// Marks everything as read.
    public mutating func finish() { index = text.endIndex }
}

/// `"text"` → `text`; anything else unchanged.
public func unquoted<S: StringProtocol>(_ text: S) -> String {
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
        return String(text.dropFirst().dropLast())
    }
    return String(text)
}
