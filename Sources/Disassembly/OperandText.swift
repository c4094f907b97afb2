/// Small text helpers for operand strings printed by Capstone.
enum OperandText {
    /// Splits an operand list at commas that are not inside `[]`, `{}` or `()`, trimming spaces.
    static func splitTopLevel(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "[", "{", "(":
                depth += 1
                current.append(character)
            case "]", "}", ")":
                depth = max(0, depth - 1)
                current.append(character)
            case "," where depth == 0:
                pieces.append(current.trimmingSpaces())
                current = ""
            default:
                current.append(character)
            }
        }
        let last = current.trimmingSpaces()
        if !last.isEmpty || !pieces.isEmpty { pieces.append(last) }
        return pieces
    }

    /// Capstone's Intel text made CDB-like where no structure is available: no spaces after
    /// commas or around `+ - *`, `0x` numbers as CDB hex (`28h`), `xword` as `tbyte`.
    static func cdbStyle(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "0", text.index(after: index) < text.endIndex,
                text[text.index(after: index)] == "x"
            {
                var end = text.index(index, offsetBy: 2)
                var digits = ""
                while end < text.endIndex, text[end].isHexDigit {
                    digits.append(text[end])
                    end = text.index(after: end)
                }
                if let value = UInt64(digits, radix: 16) {
                    result += CDBText.number(value)
                } else {
                    result += "0x" + digits
                }
                index = end
                continue
            }
            result.append(character)
            index = text.index(after: index)
        }
        return
            result
            .replacingAll(", ", with: ",")
            .replacingAll(" + ", with: "+")
            .replacingAll(" - ", with: "-")
            .replacingAll(" * ", with: "*")
            .replacingAll("xword ptr", with: "tbyte ptr")
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }

    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        var result = ""
        var remainder = Substring(self)
        while let range = remainder.firstRange(of: target) {
            result += remainder[remainder.startIndex..<range.lowerBound]
            result += replacement
            remainder = remainder[range.upperBound...]
        }
        result += remainder
        return result
    }
}
