/// Bounds-checked little-endian decoding of byte arrays. Every accessor returns nil instead of
/// trapping when the requested bytes lie outside the array.
enum ByteReader {
    static func uint8(_ bytes: [UInt8], _ offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[offset]
    }

    static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * index) }
        return value
    }

    static func uint64(_ bytes: [UInt8], _ offset: Int) -> UInt64? {
        guard offset >= 0, offset <= bytes.count - 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// A pointer-sized value (4 or 8 bytes) widened to 64 bits.
    static func pointer(_ bytes: [UInt8], _ offset: Int, size: Int) -> UInt64? {
        size == 4 ? uint32(bytes, offset).map(UInt64.init) : uint64(bytes, offset)
    }

    /// `count` bytes at `offset`, or nil when they do not all exist.
    static func slice(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            return nil
        }
        return Array(bytes[offset..<offset + count])
    }

    /// Text up to the first NUL (or the end), decoded as UTF-8 with invalid bytes replaced.
    static func cString(_ bytes: [UInt8], _ offset: Int = 0) -> String {
        guard offset >= 0, offset < bytes.count else { return "" }
        let tail = bytes[offset...]
        let end = tail.firstIndex(of: 0) ?? tail.endIndex
        return String(decoding: tail[offset..<end], as: UTF8.self)
    }
}
