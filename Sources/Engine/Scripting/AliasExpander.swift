/// Alias replacement in a command line, with CDB's rules (the debugger documentation's "Using
/// Aliases" and "${ } (Alias Interpreter)"):
///
/// * A line that begins with `as`, `aS`, `ad` or `al` is not replaced at all (so the alias
///   commands keep working); a `;` or blank before them lifts that.
/// * Fixed-name aliases `$u0`...`$u9` are replaced first, wherever they stand.
/// * `${Name}`, `${/d:Name}`, `${/f:Name}`, `${/n:Name}` are replaced wherever they stand;
///   `${/v:Name}` and `${Name}`/`${/n:Name}` of an undefined name stay as typed.
/// * A user-named alias (or a `.foreach` variable, or an automatic alias) is replaced where
///   it stands alone: after the line's start, a blank, `;` or `"`, and before the line's end,
///   a blank, `;` or `"`.
///
/// Replacement is one pass: replaced text is not scanned again. The session expands every
/// block when it is entered (a typed line, a script line, a `{ }` body), so an alias set
/// inside a block is seen by the blocks entered after that, as in CDB.
struct AliasExpander {
    let state: DebuggerState
    let flow: ScriptFlow

    /// A line longer than this after replacement is refused (a runaway alias, not a command).
    static let maximumLength = 4 << 20

    /// True when `line` starts with one of the alias commands, which suppresses replacement.
    static func isAliasCommandLine(_ line: Substring) -> Bool {
        ["as", "aS", "ad", "al"].contains { line.hasPrefix($0) }
    }

    func expand(_ line: String) throws(CommandError) -> String {
        guard !Self.isAliasCommandLine(line[...]) else { return line }
        let result = replacingWords(replacingFixedNames(line))
        guard result.utf8.count <= Self.maximumLength else {
            throw CommandError.message(
                "The line is longer than \(Self.maximumLength) bytes after alias replacement")
        }
        return result
    }

    /// The value of a user-named alias, `.foreach` variable or automatic alias.
    func value(of name: String) -> String? {
        if let scoped = flow.scopedValue(of: name) { return scoped }
        if let named = state.aliases.named[name] { return named }
        return AutomaticAliases.value(of: name, state: state)
    }

    private func replacingFixedNames(_ line: String) -> String {
        guard line.contains("$u") else { return line }
        var result = ""
        var rest = line[...]
        while let range = rest.firstRange(of: "$u") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            if let digit = after.first?.wholeNumberValue, digit < 10, after.first?.isASCII == true {
                result += state.aliases.fixed[digit]
                rest = after.dropFirst()
            } else {
                result += "$u"
                rest = after
            }
        }
        return result + rest
    }

    private func replacingBraceTokens(_ line: String) -> String {
        guard line.contains("${") else { return line }
        var result = ""
        var rest = line[...]
        while let open = rest.firstRange(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let token = rest[open.lowerBound...close]
            result += replacement(forBraceToken: rest[open.upperBound..<close]) ?? String(token)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// What `${inner}` becomes; nil to leave it as typed.
    private func replacement(forBraceToken inner: Substring) -> String? {
        var name = inner
        var option: Character?
        if inner.hasPrefix("/"), inner.count >= 3,
            inner[inner.index(inner.startIndex, offsetBy: 2)] == ":"
        {
            option = inner[inner.index(after: inner.startIndex)]
            name = inner.dropFirst(3)
        }
        let defined = value(of: String(name))
        switch option {
        case nil: return defined
        case "d": return defined == nil ? "0" : "1"
        case "f": return defined ?? ""
        case "n": return defined == nil ? nil : String(name)
        default: return nil  // `/v` and anything unknown stay as typed
        }
    }

    private static func isDelimiter(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == ";" || character == "\""
            || character.isNewline
    }

    private func replacingWords(_ line: String) -> String {
        var result = ""
        var index = line.startIndex
        while index < line.endIndex {
            if Self.isDelimiter(line[index]) {
                result.append(line[index])
                index = line.index(after: index)
                continue
            }
            let end = line[index...].firstIndex(where: Self.isDelimiter) ?? line.endIndex
            let word = String(line[index..<end])
            // A whole word that names an alias, else the `${ }` tokens inside it.
            result += value(of: word) ?? replacingBraceTokens(word)
            index = end
        }
        return result
    }
}
