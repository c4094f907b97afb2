/// A cursor over one line of a symbol file's bytes, splitting on spaces the way Breakpad's
/// `Tokenize` does (runs of spaces separate tokens; the last field may be "the rest").
struct ByteLine {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    private static let space = UInt8(ascii: " ")

    private mutating func skipSpaces() {
        while position < end, bytes[position] == Self.space { position += 1 }
    }

    /// The next space-delimited token, or nil at the end of the line.
    mutating func token() -> Range<Int>? {
        skipSpaces()
        guard position < end else { return nil }
        let start = position
        while position < end, bytes[position] != Self.space { position += 1 }
        return start..<position
    }

    /// Everything after the next run of spaces, or nil when nothing is left.
    mutating func rest() -> Range<Int>? {
        skipSpaces()
        guard position < end else { return nil }
        defer { position = end }
        return position..<end
    }

    /// True when `token` spells `word` exactly.
    func token(_ token: Range<Int>, is word: StaticString) -> Bool {
        guard token.count == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<token.count where bytes[token.lowerBound + offset] != pointer[offset] {
            return false
        }
        return true
    }

    /// An unsigned hex number (no `0x`) that fits 64 bits, or nil.
    func hex(_ token: Range<Int>) -> UInt64? {
        guard !token.isEmpty else { return nil }
        var value: UInt64 = 0
        for index in token {
            guard let digit = Self.hexDigit(bytes[index]) else { return nil }
            // Leading zeros are fine; a 17th significant digit is not.
            guard value >> 60 == 0 else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// A hex number that must fit 32 bits.
    func hex32(_ token: Range<Int>) -> UInt32? {
        hex(token).flatMap { UInt32(exactly: $0) }
    }

    /// A decimal integer with an optional leading `-` that fits 63 bits, or nil.
    func decimal(_ token: Range<Int>) -> Int64? {
        var digits = token
        var negative = false
        if let first = digits.first, bytes[first] == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for index in digits {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
