/// The error for a line whose command word is not in the table: CDB's `No export` for an
/// unknown `!` command, a plain "not in xcdb" for a command CDB has and xcdb does not, and a
/// syntax error for anything else (issue 11).
enum UnknownCommand {
    static func error(for text: Substring, table: CommandTable, programName: String)
        -> CommandError
    {
        let word = table.commandWord(text)
        if CDBCommandNames.contains(word) {
            return .message(
                "'\(word)' is a CDB command that \(programName) does not have (see .help for "
                    + "the commands it has)")
        }
        if word.first == "!" { return .message("No export \(word.dropFirst()) found") }
        return .syntax(at: text.startIndex)
    }
}
