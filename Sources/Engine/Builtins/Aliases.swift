import FoundationEssentials
import HostSystem

extension Builtins {
    /// `as`/`aS` (one table entry: lookup ignores case, the handler tells them apart).
    static let setAlias = Command(
        name: "as",
        aliases: ["aS"],
        summary: "set an alias (aS: the phrase ends at ';' unless quoted)",
        usage: "as Name Text | aS Name \"Text\" | as /x Name Expression | as /e Name Variable "
            + "| as /ma|/mu|/msa|/msu Name Address | aS /f Name File | as /c Name Commands",
        effect: .changesSession,
        argument: .text,
        extent: { AliasSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try AliasSyntax(invocation.text)
        let value = try AliasCommand.value(of: syntax, invocation: invocation)
        try invocation.state.aliases.set(syntax.name, to: value)
    }

    /// `al`: the user-named aliases.
    static let listAliases = Command(
        name: "al",
        summary: "list the user-named aliases"
    ) { invocation in
        let aliases = invocation.state.aliases.sortedNamed
        // Inferred: the page shows no empty listing.
        guard !aliases.isEmpty else {
            invocation.out.line("No aliases")
            return
        }
        // The layout of the pages' examples (using-aliases.md, ---evaluate-expression-.md).
        invocation.out.line("  Alias            Value  ")
        invocation.out.line(" -------          ------- ")
        for alias in aliases {
            invocation.out.line(" " + alias.name.rightPadded(to: 16) + " " + alias.value)
        }
    }

    /// `ad [/q] Name`, `ad *`.
    static let deleteAlias = Command(
        name: "ad",
        summary: "delete an alias (ad * deletes them all)",
        usage: "ad [/q] Name | ad *",
        effect: .changesSession,
        argument: .text
    ) { invocation in
        var words = ArgumentWords(invocation.arguments)
        var quiet = false
        var names: [Substring] = []
        while let word = words.next() {
            if word == "/q" { quiet = true } else { names.append(word) }
        }
        guard names.count == 1, let word = names.first else { throw CommandError.syntax() }
        if word == "*" {
            invocation.state.aliases.removeAll()
            return
        }
        let name = AliasSyntax.unwrappedName(word)
        if !invocation.state.aliases.remove(name) && !quiet {
            // Inferred: the page names /q's message but not its text.
            throw CommandError.message("No alias named '\(name)'")
        }
    }
}

/// `as`/`aS` parsed: which command, the switch, the name and the text after it.
struct AliasSyntax {
    enum Switch: String {
        case environment = "/e"
        case ascii = "/ma"
        case unicode = "/mu"
        case ansiString = "/msa"
        case unicodeString = "/msu"
        case expression = "/x"
        case file = "/f"
        case commands = "/c"
    }

    /// `aS` (the phrase ends at `;`) rather than `as` (the rest of the line).
    var isPhrase: Bool
    var option: Switch?
    var name: String
    var value: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        isPhrase = text.hasPrefix("aS")
        var scanner = BlockSyntax(text)
        scanner.index = text.index(text.startIndex, offsetBy: min(2, text.count))
        scanner.skipBlanks()
        if scanner.current == "/" {
            let word = text[scanner.index...].prefix { !$0.isWhitespace }
            guard let option = Switch(rawValue: word.lowercased()) else {
                throw CommandError.syntax(at: scanner.index)
            }
            self.option = option
            scanner.index = word.endIndex
            scanner.skipBlanks()
        }
        let nameWord = text[scanner.index...].prefix { !$0.isWhitespace && $0 != ";" }
        guard !nameWord.isEmpty else { throw CommandError.syntax(at: scanner.index) }
        let name = Self.unwrappedName(nameWord)
        self.name = name
        if ["al", "as", "aS", "ad"].contains(where: { name.hasPrefix($0) }) {
            throw CommandError.syntax(at: nameWord.startIndex)
        }
        scanner.index = nameWord.endIndex
        // At least one blank separates the name from the text, which never starts with one.
        scanner.skipBlanks()
        let start = scanner.index
        switch option {
        case nil where !isPhrase, .commands:
            end = text.endIndex
            value = text[start...]
        case nil:
            if scanner.current == "\"" {
                let inside = text.index(after: start)
                guard let close = text[inside...].firstIndex(of: "\"") else {
                    throw CommandError.syntax(at: start)
                }
                value = text[inside..<close]
                end = text.index(after: close)
            } else {
                end = CommandLineSplitter.endOfCommand(text, from: start)
                value = text[start..<end]
            }
        case .file where !isPhrase:
            end = text.endIndex
            value = text[start...]
        default:
            end = CommandLineSplitter.endOfCommand(text, from: start)
            value = text[start..<end]
        }
    }

    /// `${/v:Name}` stands for `Name` as the name of `as`, `aS` and `ad`.
    static func unwrappedName(_ word: Substring) -> String {
        if word.hasPrefix("${/v:"), word.hasSuffix("}") {
            return String(word.dropFirst(5).dropLast())
        }
        return String(word)
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? AliasSyntax(text))?.end ?? text.endIndex
    }
}

enum AliasCommand {
    /// The longest string `/ma`, `/mu` read.
    static let maximumStringLength = 64 * 1024

    static func value(of syntax: AliasSyntax, invocation: CommandInvocation) throws -> String {
        let text = syntax.value
        switch syntax.option {
        case nil:
            return String(text)
        case .environment:
            let name = text.trimmingWhitespace()
            guard !name.isEmpty else { throw CommandError.syntax(at: text.startIndex) }
            guard let value = HostEnvironment.value(name) else {
                throw CommandError.message("Environment variable '\(name)' is not set")
            }
            return value
        case .expression:
            return "0x" + String(try invocation.evaluate(text), radix: 16)
        case .ascii, .unicode:
            let address = try invocation.evaluate(text)
            return try readString(
                at: address, wide: syntax.option == .unicode, limit: maximumStringLength,
                invocation: invocation)
        case .ansiString, .unicodeString:
            return try readCountedString(
                at: try invocation.evaluate(text), wide: syntax.option == .unicodeString,
                invocation: invocation)
        case .file:
            let path = text.trimmingWhitespace()
            let lines = try ScriptRunner.readLines(path)
            let value = lines.joined(separator: "\n")
            guard value.utf8.count <= AliasTable.maximumValueLength else {
                throw CommandError.message("File '\(path)' is too large for an alias")
            }
            return value
        case .commands:
            var succeeded = true
            let lines = try invocation.budget.flow.capturingOutput {
                succeeded = try invocation.runNested(String(text), echo: false)
            }
            guard succeeded else { throw ErrorAlreadyShown() }
            return lines.map { $0 + "\n" }.joined()
        }
    }

    /// A NUL-terminated string in target memory.
    static func readString(
        at address: UInt64, wide: Bool, limit: Int, invocation: CommandInvocation
    ) throws -> String {
        let target = try invocation.requireTarget()
        let unit = wide ? 2 : 1
        var bytes: [UInt8] = []
        var cursor = address
        while bytes.count < limit * unit {
            guard let chunk = target.readBytes(at: cursor, count: unit) else {
                if bytes.isEmpty {
                    throw CommandError.message(
                        "Memory access error at \(Hex.pointer(address, size: invocation.state.pointerSize))"
                    )
                }
                break
            }
            if chunk.allSatisfy({ $0 == 0 }) { break }
            bytes += chunk
            let (next, overflow) = cursor.addingReportingOverflow(UInt64(unit))
            if overflow { break }
            cursor = next
        }
        return decode(bytes, wide: wide)
    }

    /// An `ANSI_STRING`/`UNICODE_STRING`: a 16-bit byte length, a 16-bit maximum, then (aligned
    /// to the pointer size) a pointer to the characters.
    static func readCountedString(at address: UInt64, wide: Bool, invocation: CommandInvocation)
        throws -> String
    {
        let target = try invocation.requireTarget()
        let pointerSize = invocation.state.pointerSize
        guard let length = target.readInteger(at: address, size: 2),
            let buffer = target.readPointer(at: address &+ UInt64(pointerSize))
        else {
            throw CommandError.message(
                "Memory access error at \(Hex.pointer(address, size: pointerSize))")
        }
        guard length > 0 else { return "" }
        guard let bytes = target.readBytes(at: buffer, count: Int(length)) else {
            throw CommandError.message(
                "Memory access error at \(Hex.pointer(buffer, size: pointerSize))")
        }
        return decode(bytes, wide: wide)
    }

    static func decode(_ bytes: [UInt8], wide: Bool) -> String {
        guard wide else { return String(decoding: bytes, as: UTF8.self) }
        var units: [UInt16] = []
        var index = 0
        while index + 1 < bytes.count {
            units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}
