/// Tab completion in a client: the command word being typed is completed from the command
/// names the server sent (`#xcdb:commands`), and, where the client offers them, from
/// remote.exe's `@` session commands at the start of the line. Matching ignores case, as the
/// debugger's own command lookup does.
public struct ClientCompletion: Sendable, Equatable {
    /// The server's command names.
    public var commandNames: [String]
    /// Session commands offered at the start of the line (`@H`, `@M`, ...); none for
    /// `xcdb -remote`.
    public var sessionCommands: [String]

    public init(commandNames: [String] = [], sessionCommands: [String] = []) {
        self.commandNames = commandNames
        self.sessionCommands = sessionCommands
    }

    /// What Tab offers at `cursor` (both counted in Unicode scalars of `line`): the range of the
    /// word to replace and the names that fit it, sorted. Nothing once the cursor is past the
    /// command word (arguments are the server's business).
    public func complete(line: String, cursor: Int) -> (replacing: Range<Int>, names: [String]) {
        let scalars = Array(line.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        // The command being typed starts after the last `;` before the cursor.
        var start = end
        while start > 0, scalars[start - 1] != ";" { start -= 1 }
        let isFirstCommand = start == 0
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        let typed = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !typed.contains(where: { $0 == " " || $0 == "\t" }) else { return (end..<end, []) }
        let lowered = typed.lowercased()
        var pool = commandNames
        // remote.exe takes a line as a session command only when it starts with `@`.
        if isFirstCommand { pool += sessionCommands }
        let names = Set(pool.filter { $0.lowercased().hasPrefix(lowered) })
        return (start..<end, names.sorted())
    }
}
