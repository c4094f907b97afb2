extension Builtins {
    /// `.printf [/D] "Format", Arguments...`.
    static let printf = Command(
        name: ".printf",
        summary: "print formatted text",
        usage: ".printf \"Format\" [, Argument ...]",
        details: [
            "%p pointer, %x/%X/%d/%u/%i 32-bit (%I64x, %llx 64-bit), %c character, %ma/%mu",
            "ASCII/Unicode string at an address, %msa/%msu ANSI_STRING/UNICODE_STRING,",
            "%s a quoted string argument (or an ASCII string at an address), %y symbol,",
            "%N host pointer, %% percent. Escapes: \\n \\t \\\\ \\\".",
        ],
        argument: .text
    ) { invocation in
        try PrintfCommand.run(invocation)
    }
}

enum PrintfCommand {
    enum Argument {
        case number(UInt64)
        case string(String)
    }

    static func run(_ invocation: CommandInvocation) throws {
        var text = invocation.arguments.drop { $0 == " " }
        if text.lowercased().hasPrefix("/d") { text = text.dropFirst(2).drop { $0 == " " } }
        guard text.first == "\"", let close = closingQuote(text) else {
            throw CommandError.syntax(at: text.startIndex)
        }
        let format = unescape(text[text.index(after: text.startIndex)..<close])
        var rest = text[text.index(after: close)...]
        var arguments: [Argument] = []
        while true {
            rest = rest.drop { $0 == " " }
            guard let first = rest.first else { break }
            guard first == "," else { throw CommandError.syntax(at: rest.startIndex) }
            rest = rest.dropFirst().drop { $0 == " " }
            if rest.first == "\"", let end = closingQuote(rest) {
                arguments.append(.string(unescape(rest[rest.index(after: rest.startIndex)..<end])))
                rest = rest[rest.index(after: end)...]
            } else {
                let (value, after) = try invocation.evaluatePrefix(rest)
                arguments.append(.number(value))
                rest = after
            }
        }
        invocation.out.write(try render(format, arguments: arguments, invocation: invocation))
    }

    static func closingQuote(_ text: Substring) -> Substring.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            if text[index] == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if text[index] == "\"" { return index }
            index = text.index(after: index)
        }
        return nil
    }

    static func unescape(_ text: Substring) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\", let next = iterator.next() else {
                result.append(character)
                continue
            }
            switch next {
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "r": break
            case "0": break
            default: result.append(next)
            }
        }
        return result
    }

    static func render(_ format: String, arguments: [Argument], invocation: CommandInvocation)
        throws
        -> String
    {
        let state = invocation.state
        var output = ""
        var next = 0
        func take() throws -> Argument {
            guard next < arguments.count else {
                throw CommandError.message("Too few arguments for the format string")
            }
            defer { next += 1 }
            return arguments[next]
        }
        func number() throws -> UInt64 {
            guard case .number(let value) = try take() else {
                throw CommandError.message("A number was expected for a numeric format")
            }
            return value
        }
        var characters = Array(format)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            guard character == "%" else {
                output.append(character)
                continue
            }
            // Flags, width, precision, size prefix, conversion.
            var flags = ""
            while index < characters.count, "-+ 0#".contains(characters[index]) {
                flags.append(characters[index])
                index += 1
            }
            var width = 0
            while index < characters.count, let digit = characters[index].wholeNumberValue {
                width = min(width * 10 + digit, 512)
                index += 1
            }
            var wide = false
            if index + 2 < characters.count, String(characters[index..<index + 3]) == "I64" {
                wide = true
                index += 3
            }
            while index < characters.count, characters[index] == "l" || characters[index] == "h" {
                if index + 1 < characters.count, characters[index] == "l",
                    characters[index + 1] == "l"
                {
                    wide = true
                }
                index += 1
            }
            guard index < characters.count else {
                output.append("%")
                break
            }
            let conversion = characters[index]
            index += 1
            var piece: String
            switch conversion {
            case "%": piece = "%"
            case "p": piece = Hex.pointer(try number(), size: state.pointerSize)
            case "N": piece = Hex.digits(try number(), width: 16)
            case "x", "X":
                let value = try number()
                piece = String(
                    wide ? value : value & 0xffff_ffff, radix: 16, uppercase: conversion == "X")
            case "o": piece = String(try number() & (wide ? .max : 0xffff_ffff), radix: 8)
            case "d", "i":
                let value = try number()
                piece =
                    wide
                    ? String(Int64(bitPattern: value)) : String(Int32(truncatingIfNeeded: value))
            case "u": piece = String(wide ? try number() : try number() & 0xffff_ffff)
            case "c": piece = String(UnicodeScalar(UInt8(truncatingIfNeeded: try number())))
            case "s":
                switch try take() {
                case .string(let text): piece = text
                case .number(let address):
                    piece = readString(at: address, unicode: false, invocation: invocation)
                }
            case "y":
                let address = try number()
                if let symbol = state.symbols.nearestSymbol(to: address, in: state) {
                    piece = SymbolText.format(symbol.name, offset: symbol.offset)
                } else {
                    piece = Hex.pointer(address, size: state.pointerSize)
                }
            case "m":
                guard index < characters.count else { throw CommandError.message("Bad %m format") }
                var kind = String(characters[index])
                index += 1
                if kind == "s", index < characters.count {
                    kind += String(characters[index])
                    index += 1
                }
                let address = try number()
                switch kind {
                case "a": piece = readString(at: address, unicode: false, invocation: invocation)
                case "u": piece = readString(at: address, unicode: true, invocation: invocation)
                case "sa", "su":
                    piece = countedString(
                        at: address, unicode: kind == "su", invocation: invocation)
                default: throw CommandError.message("Bad %m format")
                }
            default:
                throw CommandError.message("Unknown format specifier %\(conversion)")
            }
            if piece.count < width {
                let pad = String(
                    repeating: flags.contains("0") && !flags.contains("-") ? "0" : " ",
                    count: width - piece.count)
                piece =
                    flags.contains("-")
                    ? piece + pad.replacing("0", with: " ") : pad + piece
            }
            output += piece
        }
        characters.removeAll()
        return output
    }

    /// A NUL-terminated string at `address` (at most 4096 characters).
    static func readString(at address: UInt64, unicode: Bool, invocation: CommandInvocation)
        -> String
    {
        guard let target = invocation.state.target else { return "<no target>" }
        let unit = unicode ? 2 : 1
        var units: [UInt16] = []
        var position = address
        while units.count < 4096, let value = target.readInteger(at: position, size: unit),
            value != 0
        {
            units.append(UInt16(truncatingIfNeeded: value))
            position &+= UInt64(unit)
        }
        if units.isEmpty && target.readInteger(at: address, size: unit) == nil {
            return "<Memory access error>"
        }
        return unicode
            ? String(decoding: units, as: UTF16.self)
            : String(decoding: units.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
    }

    /// ANSI_STRING / UNICODE_STRING at `address`.
    static func countedString(at address: UInt64, unicode: Bool, invocation: CommandInvocation)
        -> String
    {
        guard let target = invocation.state.target else { return "<no target>" }
        let layout = WindowsLayout(pointerSize: target.machine.pointerSize)
        let reader = StructReader(target: target, base: address)
        if unicode { return reader.unicodeString(0, layout: layout) ?? "<Memory access error>" }
        guard let length = target.readInteger(at: address, size: 2),
            let buffer = reader.pointer(layout.unicodeBufferOffset, layout: layout),
            let bytes = target.readBytes(at: buffer, count: Int(length))
        else { return "<Memory access error>" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
