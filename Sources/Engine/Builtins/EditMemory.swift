extension Builtins {
    /// `e*`: edit memory.
    static var editMemory: [Command] {
        ["e", "eb", "ew", "ed", "eq", "ep", "ea", "eu", "eza", "ezu"].map { name in
            Command(
                name: name, summary: "enter values into memory", usage: "\(name) Address Values",
                requirements: [.target, .writableMemory], effect: .changesTarget,
                argument: .expression
            ) { invocation in
                try EditCommand.run(name, invocation, writer: invocation.memoryWriter())
            }
        }
    }
}

/// `e[b|w|d|q|p|a|u|za|zu] Address Values`.
enum EditCommand {
    static func run(_ name: String, _ invocation: CommandInvocation, writer: any MemoryWriting)
        throws
    {
        let (address, rest) = try invocation.evaluatePrefix(invocation.arguments)
        let text = rest.trimmingWhitespace()
        var bytes: [UInt8] = []
        switch name {
        case "ea", "eza", "eu", "ezu":
            let string = unquoted(text)
            guard text.hasPrefix("\"") else { throw CommandError.syntax(at: rest.startIndex) }
            if name.hasSuffix("u") {
                for unit in string.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                if name == "ezu" { bytes += [0, 0] }
            } else {
                bytes = Array(string.utf8)
                if name == "eza" { bytes.append(0) }
            }
        default:
            let size: Int
            switch name {
            case "ew": size = 2
            case "ed": size = 4
            case "eq": size = 8
            case "ep": size = invocation.state.pointerSize
            default: size = 1
            }
            var remaining = rest
            guard !remaining.trimmingWhitespace().isEmpty else {
                throw CommandError.syntax(at: rest.startIndex)
            }
            while !remaining.trimmingWhitespace().isEmpty {
                let (value, after) = try invocation.evaluatePrefix(remaining)
                for index in 0..<size {
                    bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
                }
                remaining = after
            }
        }
        let written = writer.writeMemory(at: address, bytes: bytes)
        if written < bytes.count {
            throw CommandError.message(
                "Memory access error at '\(Hex.pointer(address &+ UInt64(written), size: invocation.state.pointerSize))'"
            )
        }
    }
}
