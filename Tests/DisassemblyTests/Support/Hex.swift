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

    /// A `MemoryReader`: the readable prefix of the request, continuing across adjacent
    /// regions.
    func read(_ address: UInt64, _ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var next = address
        while result.count < count {
            guard
                let region = regions.first(where: {
                    next >= $0.start && next - $0.start < UInt64($0.bytes.count)
                })
            else { break }
            let start = Int(next - region.start)
            let end = min(region.bytes.count, start + (count - result.count))
            result += region.bytes[start..<end]
            let (advanced, wrapped) = next.addingReportingOverflow(UInt64(end - start))
            guard !wrapped else { break }
            next = advanced
        }
        return result
    }
}
