/// Appends little-endian fields to a byte array; the writing twin of `Cursor`.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { bytes.count }

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func u16(_ value: UInt16) { write(value) }
    public mutating func u32(_ value: UInt32) { write(value) }
    public mutating func u64(_ value: UInt64) { write(value) }
    public mutating func i32(_ value: Int32) { write(value) }

    public mutating func u128(_ value: UInt128) {
        u64(UInt64(truncatingIfNeeded: value))
        u64(UInt64(truncatingIfNeeded: value >> 64))
    }

    public mutating func append<Bytes: Sequence>(_ data: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    public mutating func zeros(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(0, count: count)) }
    }

    /// Writes `units` and pads with zero units up to `count` (a fixed-size `WCHAR[count]`).
    mutating func fixedUTF16(_ units: [UInt16], count: Int) {
        for index in 0..<count { u16(index < units.count ? units[index] : 0) }
    }

    /// Pads with zeros to a multiple of `alignment`.
    public mutating func align(_ alignment: Int) {
        let remainder = bytes.count % alignment
        if remainder != 0 { zeros(alignment - remainder) }
    }

    /// Overwrites a 32-bit field written earlier.
    public mutating func patch(u32 value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}
