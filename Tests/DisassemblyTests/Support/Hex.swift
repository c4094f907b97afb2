/// Bytes from a hex string such as `"48 8b 05 25000000"` (spaces ignored). Test inputs are
/// literals, so a malformed one is a bug in the test: it yields no bytes and the test fails.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    guard digits.count % 2 == 0 else { return [] }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
        guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else { return [] }
        bytes.append(byte)
        index += 2
    }
    return bytes
}

/// A memory image for tests: byte arrays at addresses, everything else unreadable.
struct FakeMemory: Sendable {
    var regions: [(start: UInt64, bytes: [UInt8])]

    init(_ regions: [(UInt64, [UInt8])]) {
        self.regions = regions.map { (start: $0.0, bytes: $0.1) }
    }

    /// A `MemoryReader`: the readable prefix of the request.
    func read(_ address: UInt64, _ count: Int) -> [UInt8] {
        for region in regions where address >= region.start {
            let offset = address - region.start
            guard offset < UInt64(region.bytes.count) else { continue }
            let start = Int(offset)
            return Array(region.bytes[start..<min(region.bytes.count, start + count)])
        }
        return []
    }
}
