/// One instruction as llvm-objdump (Intel syntax) prints it.
struct ObjdumpInstruction: Sendable {
    var address: UInt64
    var bytes: [UInt8]
    /// Prefix words objdump prints separately (`rep`, `lock`, `cs`, `data16`, `notrack`).
    var prefixes: [String]
    var mnemonic: String
    /// Operand text, without the `<symbol+off>` decorations and `#` comments.
    var operands: String
    /// The value in a `# 0x...` comment (objdump's absolute address of a RIP-relative
    /// operand, relative to the unadjusted section), if any.
    var commentValue: UInt64?

    static let prefixWords: Set<String> = [
        "rep", "repe", "repz", "repne", "repnz", "lock", "cs", "ds", "es", "ss", "fs", "gs",
        "data16", "data32", "addr32", "notrack", "bnd", "xacquire", "xrelease", "rex", "rex64",
        "rex.W",
    ]

    /// Parses `llvm-objdump -d` output: instructions and function labels.
    static func parse(_ listing: String) -> (
        instructions: [ObjdumpInstruction], functions: [(name: String, address: UInt64)]
    ) {
        var instructions: [ObjdumpInstruction] = []
        var functions: [(name: String, address: UInt64)] = []
        for rawLine in listing.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            // Function label: "0000000000000010 <name>:"
            if line.hasSuffix(">:"), let open = line.firstIndex(of: "<") {
                let addressText = line[..<open].trimmingCharacters(in: " ")
                if let address = UInt64(addressText, radix: 16) {
                    let name = line[
                        line.index(after: open)..<line.index(line.endIndex, offsetBy: -2)]
                    functions.append((String(name), address))
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":"),
                let address = UInt64(line[..<colon].trimmingCharacters(in: " "), radix: 16)
            else { continue }
            let fields = line[line.index(after: colon)...].split(separator: "\t").map {
                $0.trimmingCharacters(in: " ")
            }
            guard let byteField = fields.first else { continue }
            // x86 prints bytes; ARM prints little-endian halfwords (Thumb) or words.
            var bytes: [UInt8] = []
            for token in byteField.split(separator: " ") {
                guard let value = UInt32(token, radix: 16), [2, 4, 8].contains(token.count) else {
                    continue
                }
                for index in 0..<(token.count / 2) {
                    bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))))
                }
            }
            var words = fields.dropFirst().joined(separator: " ")
            var commentValue: UInt64?
            if let hash = words.firstIndex(of: "#") {
                let comment = words[words.index(after: hash)...].trimmingCharacters(in: " ")
                if comment.hasPrefix("0x") {
                    let digits = comment.dropFirst(2).prefix { $0.isHexDigit }
                    commentValue = UInt64(digits, radix: 16)
                }
                words = String(words[..<hash])
            }
            // Drop "<symbol+0x10>" decorations.
            while let open = words.firstIndex(of: "<"),
                let close = words[open...].firstIndex(of: ">")
            {
                words.removeSubrange(open...close)
            }
            var tokens = words.split(separator: " ", maxSplits: 1_000).map(String.init)
            var prefixes: [String] = []
            while let first = tokens.first, prefixWords.contains(first), tokens.count > 1 {
                prefixes.append(first)
                tokens.removeFirst()
            }
            guard let mnemonic = tokens.first else { continue }
            // objdump prints a lone prefix (`f0 lock`) on its own line before the instruction.
            if let previous = instructions.last, previous.operands.isEmpty,
                prefixWords.contains(previous.mnemonic),
                previous.address + UInt64(previous.bytes.count) == address
            {
                instructions.removeLast()
                prefixes = previous.prefixes + [previous.mnemonic] + prefixes
                instructions.append(
                    ObjdumpInstruction(
                        address: previous.address, bytes: previous.bytes + bytes,
                        prefixes: prefixes, mnemonic: mnemonic,
                        operands: tokens.dropFirst().joined(separator: " ").trimmingCharacters(
                            in: " "),
                        commentValue: commentValue))
                continue
            }
            instructions.append(
                ObjdumpInstruction(
                    address: address, bytes: bytes, prefixes: prefixes, mnemonic: mnemonic,
                    operands: tokens.dropFirst().joined(separator: " ").trimmingCharacters(in: " "),
                    commentValue: commentValue))
        }
        return (instructions, functions)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
