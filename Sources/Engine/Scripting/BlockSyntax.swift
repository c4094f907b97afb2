/// A scanner for the syntax of CDB's control-flow tokens (the debugger documentation's `.if`,
/// `.for`, `.while`, `.do`, `.foreach`, `.block`, `.catch` pages): conditions in parentheses,
/// command blocks in braces, and the `;` and blanks that may stand between them (a script run
/// with `$><` has its line breaks turned into `;`, so `.if (c)` and `{` on the next line arrive
/// as `.if (c);{`). Quoted text inside groups is skipped, so `.echo "}"` does not end a block.
struct BlockSyntax {
    let text: Substring
    var index: Substring.Index

    /// Starts after the command word at the start of `text` (`.if`, `.foreach`).
    init(command text: Substring) {
        self.text = text
        var index = text.startIndex
        if index < text.endIndex, text[index] == "." { index = text.index(after: index) }
        while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
        self.index = index
    }

    /// Starts at the start of `text`.
    init(_ text: Substring) {
        self.text = text
        index = text.startIndex
    }

    var atEnd: Bool { index >= text.endIndex }
    var current: Character? { atEnd ? nil : text[index] }

    mutating func skipBlanks() {
        while let character = current, character.isWhitespace { advance() }
    }

    /// Skips blanks and `;`.
    mutating func skipSeparators() {
        while let character = current, character.isWhitespace || character == ";" { advance() }
    }

    mutating func advance() {
        index = text.index(after: index)
    }

    /// The text inside the group that opens here (`(` ... `)` or `{` ... `}`), after which the
    /// scanner stands past the closing character.
    mutating func group(_ open: Character, _ close: Character) throws(CommandError) -> Substring {
        skipBlanks()
        guard current == open else { throw CommandError.syntax(at: index) }
        let start = text.index(after: index)
        var depth = 0
        var inQuotes = false
        while let character = current {
            if inQuotes {
                if character == "\\" {
                    advance()
                    if atEnd { break }
                } else if character == "\"" {
                    inQuotes = false
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == open {
                depth += 1
            } else if character == close {
                depth -= 1
                if depth == 0 {
                    let inside = text[start..<index]
                    advance()
                    return inside
                }
            }
            advance()
        }
        throw CommandError.syntax(at: index)
    }

    /// A block of commands in braces, which may follow `;` and blanks.
    mutating func block() throws(CommandError) -> Substring {
        skipSeparators()
        return try group("{", "}")
    }

    /// A condition: the text in parentheses, or (parentheses being optional) everything up to
    /// the `{` of the block that follows.
    mutating func condition() throws(CommandError) -> Substring {
        skipBlanks()
        if current == "(" { return try group("(", ")") }
        let start = index
        while let character = current, character != "{", character != ";" { advance() }
        let condition = text[start..<index].trimmingWhitespace()
        guard !condition.isEmpty else { throw CommandError.syntax(at: start) }
        return text[start..<index]
    }

    /// A block in braces, or (as in `.if (c) .continue`) a single command up to the next `;`.
    mutating func blockOrCommand() throws(CommandError) -> Substring {
        let afterCondition = index
        skipSeparators()
        if current == "{" { return try group("{", "}") }
        index = afterCondition
        skipBlanks()
        let start = index
        index = CommandLineSplitter.endOfCommand(text, from: start)
        let command = text[start..<index]
        guard !command.isEmpty else { throw CommandError.syntax(at: start) }
        return command
    }

    /// True when the next token (after `;` and blanks) is the control-flow word `word`
    /// (`.else`, `.elsif`); the scanner then stands after it. Otherwise nothing moves.
    mutating func consumeWord(_ word: String) -> Bool {
        let saved = index
        skipSeparators()
        let rest = text[index...]
        let candidate = rest.prefix(word.count)
        let after = rest.dropFirst(word.count).first
        if candidate.lowercased() == word, after.map({ !$0.isLetter }) ?? true {
            index = candidate.endIndex
            return true
        }
        index = saved
        return false
    }

    /// Splits `text` at top-level `;` (outside quotes, braces and parentheses).
    static func splitAtSemicolons(_ text: Substring) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        var depth = 0
        var inQuotes = false
        while index < text.endIndex {
            let character = text[index]
            if inQuotes {
                if character == "\\", text.index(after: index) < text.endIndex {
                    index = text.index(after: index)
                } else if character == "\"" {
                    inQuotes = false
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == "{" || character == "(" {
                depth += 1
            } else if character == "}" || character == ")" {
                depth = max(0, depth - 1)
            } else if character == ";" && depth == 0 {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start..<index])
        return pieces
    }
}
