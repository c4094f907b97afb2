import FoundationEssentials
import HostSystem

extension Builtins {
    /// The `d*` family: one table entry per command name, one shared implementation.
    static var displayMemory: [Command] {
        let entries: [(String, String)] = [
            ("d", "display memory in the last d* format (db if none)"),
            ("db", "display bytes and ASCII"),
            ("dw", "display words (dW: with ASCII)"),
            ("dd", "display double words (dD: doubles)"),
            ("dc", "display double words and ASCII"),
            ("dq", "display quad words"),
            ("dp", "display pointer-sized values"),
            ("df", "display floats"),
            ("da", "display an ASCII string"),
            ("du", "display a Unicode string"),
            ("dds", "display double words with symbols"),
            ("dqs", "display quad words with symbols"),
            ("dps", "display pointers with symbols"),
            ("dyb", "display bytes in binary"),
            ("dyd", "display double words in binary"),
        ]
        return entries.map { name, summary in
            Command(
                name: name,
                summary: summary,
                usage: "\(name) [Range]",
                details: [
                    "Range: Start End, Start L Count (objects), Start L? Count (beyond 256 MB),",
                    "Start L- Count (ending at Start). Without a range, continues where the last",
                    "display ended. Unavailable memory shows as ??.",
                ],
                requirements: .target,
                repeatBehavior: .continuation,
                argument: .expression
            ) { invocation in
                try MemoryDisplay.run(invocation)
            }
        }
    }
}

/// Formats memory the way CDB's `d*` commands do.
enum MemoryDisplay {
    enum Format: Equatable {
        case bytes
        case words(ascii: Bool)
        case dwords(ascii: Bool)
        case qwords
        case floats
        case doubles
        case ascii
        case unicode
        case symbols(size: Int)
        case binaryBytes
        case binaryDwords

        /// Object size in bytes (the unit of `L` counts).
        var objectSize: Int {
            switch self {
            case .bytes, .ascii, .binaryBytes: 1
            case .words, .unicode: 2
            case .dwords, .floats, .binaryDwords: 4
            case .qwords, .doubles: 8
            case .symbols(let size): size
            }
        }

        /// Objects shown when no length is given.
        var defaultCount: UInt64 {
            switch self {
            case .bytes: 128
            case .words: 64
            case .dwords: 32
            case .qwords: 16
            case .floats: 16
            case .doubles: 15
            case .ascii, .unicode: 256
            case .symbols(let size): UInt64(128 / size)
            case .binaryBytes: 32
            case .binaryDwords: 8
            }
        }
    }

    static func format(for typedName: Substring, pointerSize: Int, lastCommand: String?) -> Format {
        let name = String(typedName)
        switch name {
        case "d":
            return format(
                for: Substring(lastCommand ?? "db"), pointerSize: pointerSize, lastCommand: nil)
        case "dW": return .words(ascii: true)
        case "dD": return .doubles
        default: break
        }
        switch name.lowercased() {
        case "dw": return .words(ascii: false)
        case "dd": return .dwords(ascii: false)
        case "dc": return .dwords(ascii: true)
        case "dq": return .qwords
        case "dp": return pointerSize == 8 ? .qwords : .dwords(ascii: false)
        case "df": return .floats
        case "da": return .ascii
        case "du": return .unicode
        case "dds": return .symbols(size: 4)
        case "dqs": return .symbols(size: 8)
        case "dps": return .symbols(size: pointerSize)
        case "dyb": return .binaryBytes
        case "dyd": return .binaryDwords
        default: return .bytes
        }
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let pointerSize = target.machine.pointerSize
        let typed = invocation.typedName
        let format = format(
            for: typed, pointerSize: pointerSize, lastCommand: state.lastDisplayCommand)
        let range = try AddressRangeArgument.parse(invocation.arguments, in: invocation)
        if let extra = range.rest.first {
            _ = extra
            throw CommandError.syntax(at: range.rest.startIndex)
        }
        let defaultStart = state.nextDisplayAddress ?? state.currentRegisters?.instructionPointer
        // A bare continuation (Enter, or `dd` alone) shows as much as the last display did.
        let continuing =
            range.start == nil && range.length == nil && typed == (state.lastDisplayCommand ?? "")
        let defaultCount =
            continuing && state.lastDisplayByteCount > 0
            ? max(1, state.lastDisplayByteCount / UInt64(format.objectSize)) : format.defaultCount
        let (start, byteCount) = try range.resolve(
            defaultStart: defaultStart, objectSize: format.objectSize,
            defaultCount: defaultCount, at: nil)
        let end: UInt64
        switch format {
        case .ascii, .unicode:
            end = try strings(
                format, start: start, byteCount: byteCount, target: target, invocation: invocation)
        default:
            end = try table(
                format, start: start, byteCount: byteCount, target: target, invocation: invocation)
        }
        state.nextDisplayAddress = end
        state.lastDisplayByteCount = byteCount
        if typed != "d" { state.lastDisplayCommand = String(typed) }
    }

    /// Fixed-width rows; returns the address after the last byte shown.
    static func table(
        _ format: Format, start: UInt64, byteCount: UInt64, target: any Target,
        invocation: CommandInvocation
    ) throws -> UInt64 {
        let pointerSize = target.machine.pointerSize
        let size = format.objectSize
        let perLine: Int
        switch format {
        case .bytes: perLine = 16
        case .words: perLine = 8
        case .dwords, .floats: perLine = 4
        case .qwords, .doubles: perLine = 2
        case .symbols: perLine = 1
        case .binaryBytes: perLine = 4
        case .binaryDwords: perLine = 2
        case .ascii, .unicode: perLine = 1
        }
        let lineBytes = perLine * size
        var offset: UInt64 = 0
        // Read in chunks so a large `L?` display never holds more than a chunk in memory.
        let chunkLines = 4096
        while offset < byteCount {
            try invocation.checkInterrupt()
            let chunk = Int(min(byteCount - offset, UInt64(chunkLines * lineBytes)))
            let window = MemoryWindow(target: target, address: start &+ offset, count: chunk)
            var lineStart = 0
            while lineStart < chunk {
                let length = min(lineBytes, chunk - lineStart)
                let address = start &+ offset &+ UInt64(lineStart)
                invocation.out.line(
                    row(
                        format, window: window, offset: lineStart, length: length,
                        perLine: perLine, address: address, pointerSize: pointerSize,
                        state: invocation.state))
                lineStart += lineBytes
            }
            offset += UInt64(chunk)
        }
        return start &+ byteCount
    }

    static func row(
        _ format: Format, window: MemoryWindow, offset: Int, length: Int, perLine: Int,
        address: UInt64, pointerSize: Int, state: DebuggerState
    ) -> String {
        let size = format.objectSize
        let count = (length + size - 1) / size
        var text = Hex.pointer(address, size: pointerSize) + "  "
        func ascii(_ bytes: Int) -> String {
            var chars = ""
            for i in 0..<bytes {
                let index = offset + i
                if index >= offset + length {
                    chars += " "
                } else if !window.isAvailable(index..<index + 1) {
                    chars += "?"
                } else {
                    let byte = window.bytes[index]
                    chars += byte >= 0x20 && byte < 0x7f ? String(UnicodeScalar(byte)) : "."
                }
            }
            return chars
        }
        switch format {
        case .bytes:
            var cells: [String] = []
            for i in 0..<16 {
                if i < length {
                    let index = offset + i
                    cells.append(
                        window.isAvailable(index..<index + 1)
                            ? Hex.digits(UInt64(window.bytes[index]), width: 2) : "??")
                } else {
                    cells.append("  ")
                }
            }
            let left = cells[0..<8].joined(separator: " ")
            let right = cells[8..<16].joined(separator: " ")
            let separator = length > 8 ? "-" : " "
            text += left + separator + right + "  " + ascii(min(length, 16))
        case .words(let withASCII), .dwords(let withASCII):
            let cells = (0..<count).map { i -> String in
                window.integer(at: offset + i * size, size: size).map {
                    Hex.digits($0, width: size * 2)
                } ?? String(repeating: "?", count: size * 2)
            }
            text += cells.joined(separator: " ")
            if withASCII {
                let pad = (perLine - count) * (size * 2 + 1)
                text += String(repeating: " ", count: pad) + "  " + ascii(perLine * size)
            }
        case .qwords:
            let cells = (0..<count).map { i -> String in
                window.integer(at: offset + i * 8, size: 8).map(Hex.split64)
                    ?? "????????`????????"
            }
            text += cells.joined(separator: " ")
        case .floats:
            let cells = (0..<count).map { i -> String in
                guard let raw = window.integer(at: offset + i * 4, size: 4) else {
                    return "????????".leftPadded(to: 15)
                }
                return CNumberText.float(Float(bitPattern: UInt32(raw))).leftPadded(to: 15)
            }
            text += cells.joined(separator: " ")
        case .doubles:
            let cells = (0..<count).map { i -> String in
                guard let raw = window.integer(at: offset + i * 8, size: 8) else {
                    return "????????".leftPadded(to: 22)
                }
                return CNumberText.double(Double(bitPattern: raw)).leftPadded(to: 22)
            }
            text += cells.joined(separator: " ")
        case .symbols(let valueSize):
            guard let value = window.integer(at: offset, size: valueSize) else {
                return text + String(repeating: "?", count: valueSize == 8 ? 17 : 8)
            }
            text += Hex.pointer(value, size: valueSize)
            if let symbol = state.symbols.nearestSymbol(to: value, in: state) {
                text += " " + SymbolText.format(symbol.name, offset: symbol.offset)
            }
        case .binaryBytes:
            let bits = (0..<count).map { i -> String in
                window.integer(at: offset + i, size: 1).map {
                    String($0, radix: 2).leftPadded(to: 8, with: "0")
                } ?? "????????"
            }
            let hex = (0..<count).map { i -> String in
                window.integer(at: offset + i, size: 1).map { Hex.digits($0, width: 2) } ?? "??"
            }
            text += bits.joined(separator: " ") + "  " + hex.joined(separator: " ")
        case .binaryDwords:
            let cells = (0..<count).map { i -> String in
                guard let value = window.integer(at: offset + i * 4, size: 4) else {
                    return String(repeating: "?", count: 35)
                }
                let bits = String(value, radix: 2).leftPadded(to: 32, with: "0")
                return stride(from: 0, to: 32, by: 8).map {
                    let from = bits.index(bits.startIndex, offsetBy: $0)
                    return String(bits[from..<bits.index(from, offsetBy: 8)])
                }.joined(separator: " ")
            }
            let hex = (0..<count).map { i -> String in
                window.integer(at: offset + i * 4, size: 4).map { Hex.digits($0, width: 8) }
                    ?? "????????"
            }
            text += cells.joined(separator: "  ") + "  " + hex.joined(separator: " ")
        case .ascii, .unicode:
            break
        }
        return text
    }

    /// `da`/`du`: up to 48 characters per line, stopping at the terminating NUL.
    static func strings(
        _ format: Format, start: UInt64, byteCount: UInt64, target: any Target,
        invocation: CommandInvocation
    ) throws -> UInt64 {
        let pointerSize = target.machine.pointerSize
        let unit = format.objectSize
        let perLine = 48
        var address = start
        var remaining = byteCount / UInt64(unit)
        while remaining > 0 {
            try invocation.checkInterrupt()
            let count = Int(min(remaining, UInt64(perLine)))
            let window = MemoryWindow(target: target, address: address, count: count * unit)
            var text = ""
            var ended = false
            var shown = 0
            for i in 0..<count {
                guard let code = window.integer(at: i * unit, size: unit) else {
                    if shown == 0 {
                        invocation.out.line(
                            Hex.pointer(address, size: pointerSize) + "  "
                                + String(repeating: "?", count: perLine))
                        return address &+ UInt64(count * unit)
                    }
                    ended = true
                    break
                }
                if code == 0 {
                    ended = true
                    shown += 1
                    break
                }
                text += printable(code)
                shown += 1
            }
            invocation.out.line(Hex.pointer(address, size: pointerSize) + "  \"\(text)\"")
            address = address &+ UInt64(shown * unit)
            remaining -= UInt64(shown)
            if ended { break }
        }
        return address
    }

    static func printable(_ code: UInt64) -> String {
        if code >= 0x20, code < 0x7f { return String(UnicodeScalar(UInt8(code))) }
        if code >= 0xa0, let scalar = UnicodeScalar(UInt32(truncatingIfNeeded: code)) {
            return String(scalar)
        }
        return "."
    }
}

/// `mod!name+0x1a` / `mod!name`.
public enum SymbolText {
    public static func format(_ name: String, offset: UInt64) -> String {
        offset == 0 ? name : "\(name)+\(Hex.prefixed(offset))"
    }
}

/// C's `%g` style numbers, as `df`/`dD` and `.formats` print them.
public enum CNumberText {
    public static func float(_ value: Float) -> String {
        CNumberFormat.string("%.7g", Double(value))
    }

    public static func double(_ value: Double) -> String {
        CNumberFormat.string("%.15g", value)
    }
}
