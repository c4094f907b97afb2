import Disassembly

/// Compares our decoding of an instruction with llvm-objdump's. The texts differ by design
/// (CDB vs LLVM Intel syntax); what must agree is the address, the length, the mnemonic (up
/// to known naming differences), the registers, the size keywords and every number.
enum CrossCheck {
    /// Registers one side may show and the other leave implicit (`stos dword ptr es:[edi],eax`
    /// vs CDB's `stos dword ptr es:[edi]`; CDB's `ds:[00401000h]`; `eiz` pseudo-register).
    static let implicitRegisters: Set<String> = [
        "es", "ds", "al", "ax", "eax", "rax", "eiz", "riz",
    ]
    static let sizeWords: Set<String> = [
        "byte", "word", "dword", "fword", "qword", "mmword", "tbyte", "xword", "xmmword",
        "ymmword", "zmmword",
    ]

    /// Nil when the two agree, else a description of the difference.
    static func compare(_ ours: Instruction, _ theirs: ObjdumpInstruction, base: UInt64) -> String?
    {
        let label =
            "\(String(ours.address, radix: 16)): ours `\(ours.mnemonic) \(ours.operands)`"
            + " objdump `\((theirs.prefixes + [theirs.mnemonic]).joined(separator: " ")) \(theirs.operands)`"
        guard ours.address == theirs.address else { return label + ": address differs" }
        guard ours.bytes == theirs.bytes else { return label + ": bytes/length differ" }

        var ourWords = ours.mnemonic.split(separator: " ").map(String.init)
        let ourBase = ourWords.popLast() ?? ""
        var theirBase = theirs.mnemonic
        var theirNumbers: [UInt64] = []
        switch theirBase {
        case "int3":
            theirBase = "int"
            theirNumbers.append(3)
        case "int1":
            theirBase = "int"
            theirNumbers.append(1)
        case "movabs": theirBase = "mov"
        case "pushal": theirBase = "pushad"
        case "popal": theirBase = "popad"
        default: break
        }
        let stringBases: Set<String> = ["movs", "cmps", "stos", "lods", "scas", "ins", "outs"]
        let mnemonicMatches =
            ourBase == theirBase
            || (stringBases.contains(ourBase) && theirBase.count == ourBase.count + 1
                && theirBase.hasPrefix(ourBase) && "bwdq".contains(theirBase.last ?? " "))
        guard mnemonicMatches else { return label + ": mnemonic differs" }
        func normalizedPrefixes(_ words: [String]) -> Set<String> {
            Set(
                words.compactMap { word in
                    switch word {
                    case "rep", "repe", "repz": "rep"
                    case "repne", "repnz": "repne"
                    case "lock": "lock"
                    default: nil
                    }
                })
        }
        guard normalizedPrefixes(ourWords) == normalizedPrefixes(theirs.prefixes) else {
            return label + ": prefixes differ"
        }

        let ourTokens = tokens(ours.operands)
        var theirTokens = tokens(theirs.operands)
        // objdump shows RIP-relative operands as rip + displacement with the absolute address
        // (relative to the unadjusted section) in a comment; CDB shows the absolute address.
        if let ripIndex = theirTokens.firstIndex(where: { $0.text == "rip" }) {
            theirTokens.remove(at: ripIndex)
            if ripIndex < theirTokens.count, theirTokens[ripIndex].isNumber,
                theirTokens[ripIndex].precededBySign
            {
                theirTokens.remove(at: ripIndex)
            }
            if let comment = theirs.commentValue { theirNumbers.append(comment &+ base) }
        }
        var ourNumbers: [UInt64] = []
        var ourRegisters: [String] = []
        var ourSizes: [String] = []
        for token in ourTokens {
            if let value = cdbNumber(token) {
                ourNumbers.append(value)
            } else if sizeWords.contains(token.text) {
                ourSizes.append(token.text == "mmword" ? "qword" : token.text)
            } else if token.text != "ptr", token.text != "offset" {
                ourRegisters.append(token.text)
            }
        }
        var theirRegisters: [String] = []
        var theirSizes: [String] = []
        for (position, token) in theirTokens.enumerated() {
            if let value = objdumpNumber(token) {
                let isScaleOne =
                    value == 1 && position + 1 < theirTokens.count
                    && theirTokens[position + 1].followsStar
                if !isScaleOne { theirNumbers.append(value) }
            } else if sizeWords.contains(token.text) {
                theirSizes.append(token.text == "xword" ? "tbyte" : token.text)
            } else if token.text != "ptr" {
                theirRegisters.append(token.text)
            }
        }
        // CDB spells out the count of one-bit shifts (`d1 e0` is `shl eax,1`); objdump omits it.
        let shifts: Set<String> = ["shl", "shr", "sal", "sar", "rol", "ror", "rcl", "rcr"]
        if shifts.contains(ourBase), ourNumbers == [1], theirNumbers.isEmpty,
            theirs.bytes.contains(where: { $0 == 0xD0 || $0 == 0xD1 })
        {
            theirNumbers.append(1)
        }
        let extraOurs = Set(ourRegisters).subtracting(theirRegisters)
        let extraTheirs = Set(theirRegisters).subtracting(ourRegisters)
        guard extraOurs.isSubset(of: implicitRegisters), extraTheirs.isSubset(of: implicitRegisters)
        else { return label + ": registers differ \(extraOurs) vs \(extraTheirs)" }
        guard ourSizes.sorted() == theirSizes.sorted() else { return label + ": sizes differ" }
        guard numbersMatch(ourNumbers, theirNumbers) else {
            return label + ": numbers differ \(ourNumbers.map { String($0, radix: 16) })"
                + " vs \(theirNumbers.map { String($0, radix: 16) })"
        }
        return nil
    }

    struct Token {
        var text: String
        var negative: Bool
        var followsStar: Bool  // the token is preceded by `*`
        var precededBySign = false  // `+` or `-` before it
        var isNumber: Bool { text.first?.isNumber ?? false }
    }

    /// Splits operand text into words (registers, numbers, keywords), noting a leading `-`.
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var current = ""
        var lastSymbol: Character = " "
        var pendingSign = false
        var pendingStar = false
        var pendingPlusMinus = false
        func flush() {
            if !current.isEmpty {
                result.append(
                    Token(
                        text: current, negative: pendingSign, followsStar: pendingStar,
                        precededBySign: pendingPlusMinus))
            }
            current = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "`" || character == "_" {
                if current.isEmpty, character == "`" { continue }
                if current.isEmpty {
                    pendingSign = lastSymbol == "-"
                    pendingStar = lastSymbol == "*"
                    pendingPlusMinus = lastSymbol == "+" || lastSymbol == "-"
                }
                current.append(character)
            } else {
                flush()
                if character != " " { lastSymbol = character }
            }
        }
        flush()
        return result
    }

    /// CDB numbers: `8`, `28h`, `0FFFFFFF0h`, addresses `7255b29f` / `00007ffc`0f1d4961`.
    static func cdbNumber(_ token: Token) -> UInt64? {
        let text = token.text
        guard let first = text.first else { return nil }
        var value: UInt64?
        if text.contains("`") || (text.count == 8 && text.allSatisfy(\.isHexDigit)) {
            value = UInt64(text.filter { $0 != "`" }, radix: 16)
        } else if !first.isNumber {
            return nil
        } else if text.hasSuffix("h") {
            value = UInt64(text.dropLast(), radix: 16)
        } else if text.count == 1 {
            value = UInt64(text)
        }
        guard let value else { return nil }
        return token.negative ? UInt64(bitPattern: -Int64(bitPattern: value)) : value
    }

    /// objdump numbers: `0x28`, decimal `8`.
    static func objdumpNumber(_ token: Token) -> UInt64? {
        let text = token.text
        let value: UInt64? =
            text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let value else { return nil }
        return token.negative ? UInt64(bitPattern: -Int64(bitPattern: value)) : value
    }

    /// Every number pairs with one on the other side, equal at some width (CDB masks
    /// immediates to the operand size; objdump may print them sign-extended or negative).
    static func numbersMatch(_ ours: [UInt64], _ theirs: [UInt64]) -> Bool {
        guard ours.count == theirs.count else { return false }
        func equalAtSomeWidth(_ value: UInt64, _ other: UInt64) -> Bool {
            if value == other { return true }
            let masks: [UInt64] = [0xFFFF_FFFF, 0xFFFF, 0xFF]
            for mask in masks where value & mask == other & mask {
                // One side must fit the width: it is the masked form of the other.
                if value <= mask || other <= mask { return true }
            }
            return false
        }
        var remaining = theirs
        for value in ours {
            let match = remaining.firstIndex { equalAtSomeWidth(value, $0) }
            guard let match else { return false }
            remaining.remove(at: match)
        }
        return true
    }
}
