/// Splits a command line into commands the way CDB does: `;` separates commands except inside
/// double-quoted strings; commands that take the rest of the line (`$<file`, `* comment`,
/// `as`) end it, and commands with their own syntax (`.if`, `aS`) say where they end.
public struct CommandLineSplitter {
    let table: CommandTable

    public init(table: CommandTable) {
        self.table = table
    }

    /// The commands of `line`, each with surrounding whitespace trimmed off (empty pieces
    /// dropped). They are substrings of `line`, so error positions map back to columns.
    public func split(_ line: String) -> [Substring] {
        var pieces: [Substring] = []
        var index = line.startIndex
        while index < line.endIndex {
            index = skipSpaces(line, from: index)
            guard index < line.endIndex else { break }
            let start = index
            let command = table.lookup(line[start...])?.command
            if command?.takesRestOfLine == true {
                pieces.append(trimmed(line[start...]))
                break
            }
            let end = command?.extent?(line[start...]) ?? Self.endOfCommand(line, from: start)
            let piece = trimmed(line[start..<end])
            if !piece.isEmpty { pieces.append(piece) }
            index = end < line.endIndex ? line.index(after: end) : end
        }
        return pieces
    }

    /// The index of the `;` ending the command that starts at `start`, or the end of the line.
    static func endOfCommand<Text: StringProtocol>(_ line: Text, from start: Text.Index)
        -> Text.Index
    {
        var inQuotes = false
        var index = start
        while index < line.endIndex {
            let character = line[index]
            if inQuotes {
                if character == "\\" {
                    let next = line.index(after: index)
                    if next < line.endIndex {
                        index = line.index(after: next)
                        continue
                    }
                } else if character == "\"" {
                    inQuotes = false
                }
            } else if character == "\"" {
                inQuotes = true
            } else if character == ";" {
                return index
            }
            index = line.index(after: index)
        }
        return line.endIndex
    }

    private func skipSpaces(_ line: String, from start: String.Index) -> String.Index {
        var index = start
        while index < line.endIndex, line[index] == " " || line[index] == "\t" {
            index = line.index(after: index)
        }
        return index
    }

    private func trimmed(_ text: Substring) -> Substring {
        var start = text.startIndex
        var end = text.endIndex
        while start < end, text[start].isWhitespace { start = text.index(after: start) }
        while end > start, text[text.index(before: end)].isWhitespace {
            end = text.index(before: end)
        }
        return text[start..<end]
    }
}
