/// Small text helpers for operand strings printed by Capstone.
enum OperandText {
    /// Splits an operand list at commas that are not inside `[]`, `{}` or `()`, trimming spaces.
    /// Works on UTF-8 bytes: this runs for every decoded instruction.
    static func splitTopLevel(_ text: String) -> [String] {
        var pieces: [String] = []
        var depth = 0
        let bytes = Array(text.utf8)
        var pieceStart = 0
        func emit(_ end: Int) {
            var low = pieceStart
            var high = end
            while low < high, bytes[low] == UInt8(ascii: " ") { low += 1 }
            while high > low, bytes[high - 1] == UInt8(ascii: " ") { high -= 1 }
            pieces.append(String(decoding: bytes[low..<high], as: UTF8.self))
        }
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "("): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ")"): depth = max(0, depth - 1)
            case UInt8(ascii: ",") where depth == 0:
                emit(index)
                pieceStart = index + 1
            default: break
            }
        }
        if pieceStart < bytes.count || !pieces.isEmpty { emit(bytes.count) }
        return pieces
    }

    /// The word before ` ptr` in a Capstone memory operand (`dword` in `dword ptr [rax]`), or
    /// nil when the operand has no size keyword.
    static func sizeKeyword(_ piece: String) -> String? {
        let bytes = Array(piece.utf8)
        guard let end = find(Array(" ptr".utf8), in: bytes) else { return nil }
        return String(decoding: bytes[0..<end], as: UTF8.self).trimmingSpaces()
    }

    /// The offset of `needle` in `haystack`, if present.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0]
            && Array(haystack[start..<start + needle.count]) == needle
        {
            return start
        }
        return nil
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
        let needle = Array(target.utf8)
        let bytes = Array(self.utf8)
        guard OperandText.find(needle, in: bytes) != nil else { return self }
        let substitute = Array(replacement.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + needle.count <= bytes.count,
                bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle
            {
                result += substitute
                index += needle.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
