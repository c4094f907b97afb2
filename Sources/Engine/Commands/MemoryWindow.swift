/// Bytes of target memory with a flag per byte saying whether it was available, so displays
/// can print `??` for holes the way CDB does.
public struct MemoryWindow {
    public let address: UInt64
    public private(set) var bytes: [UInt8]
    public private(set) var available: [Bool]

    /// Reads `count` bytes starting at `address` (addresses wrap at 2^64 like the target's).
    public init(target: any Target, address: UInt64, count: Int) {
        self.address = address
        bytes = [UInt8](repeating: 0, count: max(0, count))
        available = [Bool](repeating: false, count: max(0, count))
        var offset = 0
        while offset < bytes.count {
            let current = address &+ UInt64(offset)
            let got = bytes.withUnsafeMutableBytes { buffer in
                target.readMemory(
                    at: current,
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]))
            }
            for i in offset..<offset + got { available[i] = true }
            offset += got
            guard offset < bytes.count else { break }
            // Skip the hole: jump to where memory resumes (at least one byte on).
            let hole = address &+ UInt64(offset)
            let next = target.nextAvailableAddress(atOrAfter: hole &+ 1) ?? UInt64.max
            let skip = next > hole ? next - hole : 1
            offset += Int(min(UInt64(bytes.count - offset), skip))
        }
    }

    public var count: Int { bytes.count }

    /// True when every byte in `range` (offsets) is available.
    public func isAvailable(_ range: Range<Int>) -> Bool {
        range.allSatisfy { available.indices.contains($0) && available[$0] }
    }

    /// A little-endian integer of `size` bytes at `offset`, or nil if any byte is missing.
    public func integer(at offset: Int, size: Int) -> UInt64? {
        guard offset >= 0, offset + size <= bytes.count, isAvailable(offset..<offset + size) else {
            return nil
        }
        var value: UInt64 = 0
        for i in 0..<size { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }
}
