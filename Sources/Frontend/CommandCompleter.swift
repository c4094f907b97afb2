import Engine
import LineEditor

/// Tab completion from the command table: command names at the start of a command, file paths
/// after commands that take a file (`$<`, `.logopen`, `.opendump`).
struct CommandCompleter: Sendable {
    let table: CommandTable
    let files = FilePathCompleter()

    func complete(line: String, cursor: Int) -> Completion {
        let scalars = Array(line.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        // The command being typed starts after the last `;` before the cursor.
        var start = end
        while start > 0, scalars[start - 1] != ";" { start -= 1 }
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        let typed = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !typed.contains(" ") else {
            return completeArgument(line: line, cursor: end, commandStart: start, typed: typed)
        }
        // Script commands take the file name right after the name, without a space.
        if let match = table.lookup(typed[...]), match.command.argument == .filePath,
            match.command.name.hasPrefix("$"), typed.count > match.typedName.count
        {
            return files.complete(
                line: line, cursor: end, pathStart: start + match.typedName.unicodeScalars.count)
        }
        let names = table.completions(forPrefix: typed)
        return Completion(
            replacing: start..<end,
            candidates: names.map { Completion.Candidate($0 + " ", display: $0) })
    }

    private func completeArgument(line: String, cursor: Int, commandStart: Int, typed: String)
        -> Completion
    {
        guard let match = table.lookup(typed[...]), match.command.argument == .filePath else {
            return .none
        }
        return files.complete(line: line, cursor: cursor)
    }
}
