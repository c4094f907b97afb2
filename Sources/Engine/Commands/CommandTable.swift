/// The command table: every command the debugger knows, looked up the way CDB parses a command
/// word. `.help`, `?`, Tab completion, the read-only check and the requirement errors all read
/// this one table.
public struct CommandTable: Sendable {
    /// A successful lookup: the command, the name as typed and any option letters after it.
    public struct Match: Sendable {
        public var command: Command
        /// The command word as typed (`kvn`, `.LogOpen`).
        public var typedName: Substring
        /// Option letters after the table name (`vn` for `kvn`), case kept.
        public var suffix: Substring
        /// The text after the command word.
        public var arguments: Substring
    }

    public private(set) var commands: [Command] = []
    /// Lower-cased name → index into `commands`, for names made of letters or starting with
    /// `.` or `!`.
    private var byName: [String: Int] = [:]
    /// Names that start with a symbol (`?`, `??`, `$<`, `~`, `*`), longest first.
    private var symbolNames: [(name: String, index: Int)] = []

    public init(_ commands: [Command] = []) {
        // Sized once: growing the dictionary a name at a time was most of building the table.
        byName.reserveCapacity(commands.reduce(0) { $0 + $1.allNames.count })
        self.commands.reserveCapacity(commands.count)
        for command in commands { add(command) }
        sortSymbolNames()
    }

    /// Adds a command. A later registration of the same name replaces the earlier one, so a
    /// target-specific module can refine a generic command.
    public mutating func register(_ command: Command) {
        add(command)
        sortSymbolNames()
    }

    private mutating func add(_ command: Command) {
        let index: Int
        if let existing = byName[command.name.lowercased()] {
            index = existing
            commands[index] = command
        } else {
            index = commands.count
            commands.append(command)
        }
        for name in command.allNames {
            let key = name.lowercased()
            if let first = key.utf8.first, Self.startsAWord(first) {
                byName[key] = index
            } else {
                symbolNames.removeAll { $0.name == key }
                symbolNames.append((key, index))
            }
        }
    }

    /// Whether a name starting with `byte` is looked up whole (`k`, `.reload`, `!analyze`)
    /// rather than as a symbol prefix (`??`, `$<`). A byte test: asking each of several hundred
    /// names' first Character `isLetter` was a visible part of start-up.
    private static func startsAWord(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte >= 0x80
    }

    /// Longest first, so `??` is tried before `?`.
    private mutating func sortSymbolNames() {
        symbolNames.sort { $0.name.count > $1.name.count }
    }

    /// The command registered under `name` (any of its names), case-insensitively.
    public func command(named name: String) -> Command? {
        let key = name.lowercased()
        if let index = byName[key] { return commands[index] }
        return symbolNames.first { $0.name == key }.map { commands[$0.index] }
    }

    /// Finds the command at the start of `text` (which must not start with whitespace).
    public func lookup(_ text: Substring) -> Match? {
        guard let first = text.first else { return nil }
        if first == "." || first == "!" {
            return lookupPrefixed(text)
        }
        if first.isASCII && first.isLetter {
            return lookupLetters(text)
        }
        let lowered = text.lowercased()
        for entry in symbolNames where lowered.hasPrefix(entry.name) {
            let end = text.index(text.startIndex, offsetBy: entry.name.count)
            return Match(
                command: commands[entry.index], typedName: text[..<end],
                suffix: text[end..<end], arguments: text[end...])
        }
        return nil
    }

    /// The command word at the start of `text`, for error messages when lookup fails.
    public func commandWord(_ text: Substring) -> Substring {
        guard let first = text.first else { return text }
        if first == "." || first == "!" {
            return text.prefix { !$0.isWhitespace && !";{(".contains($0) }
        }
        if first.isLetter { return text.prefix { $0.isASCII && $0.isLetter } }
        return text.prefix(1)
    }

    private func lookupPrefixed(_ text: Substring) -> Match? {
        // `{` and `(` end a word too: `.block{...}`, `.if(...)`.
        let word = text.prefix { !$0.isWhitespace && !";\"{(".contains($0) }
        let rest = text[word.endIndex...]
        if let index = byName[word.lowercased()] {
            return Match(
                command: commands[index], typedName: word, suffix: word[word.endIndex...],
                arguments: rest)
        }
        // `!ext.command` names the extension that holds the command; we have one namespace.
        if word.first == "!", let dot = word.lastIndex(of: ".") {
            let bare = "!" + word[word.index(after: dot)...].lowercased()
            if let index = byName[bare] {
                return Match(
                    command: commands[index], typedName: word, suffix: word[word.endIndex...],
                    arguments: rest)
            }
        }
        return nil
    }

    private func lookupLetters(_ text: Substring) -> Match? {
        let word = text.prefix { $0.isASCII && $0.isLetter }
        let rest = text[word.endIndex...]
        if let index = byName[word.lowercased()] {
            return Match(
                command: commands[index], typedName: word, suffix: word[word.endIndex...],
                arguments: rest)
        }
        // Longest table name that prefixes the word with only allowed option letters after it.
        var best: (index: Int, length: Int)?
        for length in stride(from: word.count - 1, through: 1, by: -1) {
            let nameEnd = word.index(word.startIndex, offsetBy: length)
            guard let index = byName[word[..<nameEnd].lowercased()] else { continue }
            let allowed = commands[index].suffixLetters
            if !allowed.isEmpty && word[nameEnd...].allSatisfy({ allowed.contains($0) }) {
                best = (index, length)
                break
            }
        }
        guard let best else { return nil }
        let nameEnd = word.index(word.startIndex, offsetBy: best.length)
        return Match(
            command: commands[best.index], typedName: word, suffix: word[nameEnd...],
            arguments: rest)
    }

    /// Names for Tab completion that start with `prefix` (case-insensitive), sorted.
    public func completions(forPrefix prefix: String) -> [String] {
        let lowered = prefix.lowercased()
        var names: [String] = []
        for command in commands {
            for name in command.allNames where name.lowercased().hasPrefix(lowered) {
                names.append(name)
            }
        }
        return Array(Set(names)).sorted()
    }
}
