/// Builds a little-endian structure in a byte buffer, field by field at documented offsets.
struct StructBuilder {
    private(set) var bytes: [UInt8]

    init(size: Int) { bytes = Array(repeating: 0, count: size) }

    mutating func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else { return }
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    mutating func put(_ data: [UInt8], at offset: Int) {
        guard offset >= 0, offset + data.count <= bytes.count else { return }
        bytes.replaceSubrange(offset..<offset + data.count, with: data)
    }

    /// A `UNICODE_STRING` (Length, MaximumLength, Buffer) for `text` stored at `buffer`.
    mutating func putUnicodeString(
        _ text: String, buffer: UInt64, at offset: Int, nulTerminated: Bool = true
    ) {
        let length = text.utf16.count * 2
        put(UInt16(clamping: length), at: offset)
        put(UInt16(clamping: length + (nulTerminated ? 2 : 0)), at: offset + 2)
        put(buffer, at: offset + 8)
    }
}

extension String {
    /// UTF-16LE code units with a terminating NUL.
    var utf16NulTerminated: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf16.count + 1) * 2)
        for unit in utf16 {
            bytes.append(UInt8(unit & 0xFF))
            bytes.append(UInt8(unit >> 8))
        }
        bytes += [0, 0]
        return bytes
    }
}
