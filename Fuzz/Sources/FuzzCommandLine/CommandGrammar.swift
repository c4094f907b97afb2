/// Reads fuzzer bytes as a sequence of choices (zeros once they run out).
struct Choices {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isExhausted: Bool { bytes.isEmpty }

    mutating func byte() -> Int {
        guard let first = bytes.popFirst() else { return 0 }
        return Int(first)
    }

    /// A number below `bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { byte() % bound }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    mutating func chance(_ outOf: Int) -> Bool { below(outOf) == 0 }
}

/// Builds command lines the way people (and careless or hostile participants) type them: table
/// command names with numbers near the edges (0, 2^32, 2^63, 2^64), ranges and `L?` counts,
/// `~*` prefixes, `;`, quotes, comments and the generated scripts.
struct CommandGrammar {
    let names: [String]
    let scriptPaths: [String]

    static let edgeValues: [UInt64] = [
        0, 1, 2, 7, 8, 0x10, 0x7F, 0x80, 0xFF, 0x100, 0xFFF, 0x1000, 0xFFFF, 0x1_0000,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1_0000_0001,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFF0,
        0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF,
    ]

    static let registers = [
        "@rsp", "@rip", "@esp", "@eip", "@$ip", "@$csp", "@$teb", "@$peb", "@$ra", "@$t0",
        "@$tid", "@$exentry", "@$retreg", "rax", "@x0", "@pc",
    ]

    func number(_ choices: inout Choices) -> String {
        let value = choices.pick(Self.edgeValues) &+ UInt64(choices.below(3)) &- 1
        switch choices.below(9) {
        case 0: return String(value, radix: 16)
        case 1: return "0x" + String(value, radix: 16)
        case 2: return "0n" + String(value)
        case 3:
            let high = String(value >> 32, radix: 16)
            let low = String(value & 0xFFFF_FFFF, radix: 16)
            return high + "`" + String(repeating: "0", count: 8 - low.count) + low
        case 4: return "-" + String(value & 0xFFFF, radix: 16)
        case 5: return choices.pick(Self.registers)
        case 6: return "poi(\(choices.pick(Self.registers)))"
        case 7:
            let op = choices.pick([
                "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "==", " mod ",
            ])
            return "(\(String(value, radix: 16))\(op)\(choices.pick(Self.registers)))"
        default: return String(choices.below(32))
        }
    }

    func range(_ choices: inout Choices) -> String {
        let start = number(&choices)
        switch choices.below(6) {
        case 0: return start
        case 1: return start + " " + number(&choices)
        case 2: return start + " L" + number(&choices)
        case 3: return start + " L?" + number(&choices)
        case 4: return start + " L-" + number(&choices)
        default: return "L" + number(&choices)
        }
    }

    func words(_ choices: inout Choices) -> String {
        let pieces = [
            "a", "b", "/r", "/f", "/v", "-v", "-e", "-d", "-t", "-1", "-summary", "m", "*", "!",
            "kernel32!*", "ntdll!Rtl*", "\"quoted ; text\"", "\"", "$$", "\\", "%p", "%s", "=",
            ",", "s", "f", "u", "e", "1", "all", "maps", "-sa", "-su", "-d", "-[1]b", "-[l2]sa",
        ]
        return (0...choices.below(3)).map { _ in choices.pick(pieces) }.joined(separator: " ")
    }

    func arguments(_ choices: inout Choices) -> String {
        switch choices.below(8) {
        case 0: return ""
        case 1: return " " + number(&choices)
        case 2, 3: return " " + range(&choices)
        case 4: return " " + number(&choices) + " " + number(&choices)
        case 5: return " " + words(&choices)
        case 6: return " " + words(&choices) + " " + range(&choices)
        default: return " \"%\(number(&choices))d %p\\n\", " + number(&choices)
        }
    }

    func script(_ choices: inout Choices) -> String {
        let path = choices.pick(scriptPaths)
        let verb = choices.pick(["$<", "$><", "$$<", "$$><", "$$>a<"])
        let args = verb == "$$>a<" ? " " + words(&choices) : ""
        return verb + path + args
    }

    func command(_ choices: inout Choices, depth: Int = 0) -> String {
        switch choices.below(10) {
        case 0 where depth < 4:
            let prefix = choices.pick([
                "~* ", "~0 ", "~1 ", "~. ", "~# ", "~*e ", "~\(number(&choices)) ",
                "~[\(number(&choices))] ", "~~[\(number(&choices))] ",
            ])
            return prefix + command(&choices, depth: depth + 1)
        case 1:
            return script(&choices)
        case 2:
            return "~" + choices.pick(["", "1s", "#s", "*s", "1f", "1u", "\(number(&choices))s"])
        default:
            var name = choices.pick(names)
            if choices.chance(8) { name += choices.pick(["b", "v", "n", "c", "f", "m", "vm"]) }
            return name + arguments(&choices)
        }
    }

    func line(_ choices: inout Choices) -> String {
        let count = 1 + choices.below(3)
        let commands = (0..<count).map { _ in command(&choices) }
        return commands.joined(separator: choices.pick([";", "; ", " ; "]))
    }
}
