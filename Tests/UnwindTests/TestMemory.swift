import PEFormat

/// Sparse test memory: a few regions at chosen addresses; reads spanning a gap fail.
struct TestMemory: ByteSource {
    private(set) var regions: [(base: UInt64, bytes: [UInt8])] = []

    init(_ regions: [(UInt64, [UInt8])] = []) {
        for (base, bytes) in regions { add(base, bytes) }
    }

    mutating func add(_ base: UInt64, _ bytes: [UInt8]) {
        regions.append((base, bytes))
        regions.sort { $0.base < $1.base }
    }

    /// Writes pointer-sized little-endian values at `address` (which must be inside a region).
    mutating func store(_ address: UInt64, _ values: [UInt64], size: Int = 8) {
        for (index, value) in values.enumerated() {
            let at = address + UInt64(index * size)
            guard
                let region = regions.firstIndex(where: {
                    at >= $0.base && at - $0.base + UInt64(size) <= UInt64($0.bytes.count)
                })
            else { continue }
            let offset = Int(at - regions[region].base)
            for byte in 0..<size {
                regions[region].bytes[offset + byte] = UInt8((value >> (8 * UInt64(byte))) & 0xFF)
            }
        }
    }

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        for region in regions where offset >= region.base {
            let start = offset - region.base
            guard start <= UInt64(region.bytes.count),
                UInt64(count) <= UInt64(region.bytes.count) - start
            else {
                continue
            }
            return Array(region.bytes[Int(start)..<Int(start) + count])
        }
        return nil
    }
}
