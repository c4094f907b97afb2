/// A bounds-checked little-endian reader over one record's bytes. Reads past the end throw a
/// `PDBError` naming the record; nothing here trusts a length or an offset.
struct RecordReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    /// What is being read, for messages ("symbol record at 0x1c in module 3").
    let label: () -> String

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0, label: @escaping () -> String) {
        self.bytes = bytes
        self.position = position
        self.label = label
    }

    var remaining: Int { max(0, bytes.count - position) }
    var isAtEnd: Bool { position >= bytes.count }

    private func fail(_ size: Int) -> PDBError {
        PDBError(
            "\(label()): a \(size)-byte field at offset \(pdbHex(position)) runs past the end "
                + "(\(bytes.count) bytes)")
    }

    mutating func skip(_ count: Int) throws(PDBError) {
        guard count >= 0, count <= remaining else { throw fail(count) }
        position += count
    }

    mutating func u8() throws(PDBError) -> UInt8 {
        guard remaining >= 1 else { throw fail(1) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(PDBError) -> UInt16 {
        guard remaining >= 2 else { throw fail(2) }
        defer { position += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self))
    }

    mutating func u32() throws(PDBError) -> UInt32 {
        guard remaining >= 4 else { throw fail(4) }
        defer { position += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func u64() throws(PDBError) -> UInt64 {
        guard remaining >= 8 else { throw fail(8) }
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func i16() throws(PDBError) -> Int16 { Int16(bitPattern: try u16()) }
    mutating func i32() throws(PDBError) -> Int32 { Int32(bitPattern: try u32()) }

    mutating func bytes(_ count: Int) throws(PDBError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw fail(count) }
        defer { position += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + count]))
    }

    /// A NUL-terminated UTF-8 string; a missing terminator ends the string at the record end.
    mutating func cString() -> String {
        let start = position
        var end = start
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        position = min(bytes.count, end + 1)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The bytes of a NUL-terminated string without decoding it (for fast name filtering).
    mutating func cStringBytes() -> UnsafeRawBufferPointer {
        let start = position
        var end = start
        while end < bytes.count, bytes[end] != 0 { end += 1 }
        position = min(bytes.count, end + 1)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// A CodeView numeric leaf: a value below 0x8000 stands for itself; otherwise the leaf kind
    /// says which integer follows. Floating-point and other exotic leaves are refused.
    mutating func numeric() throws(PDBError) -> NumericLeaf {
        let leaf = try u16()
        if leaf < 0x8000 { return .unsigned(UInt64(leaf)) }
        switch leaf {
        case 0x8000: return .signed(Int64(Int8(bitPattern: try u8())))
        case 0x8001: return .signed(Int64(try i16()))
        case 0x8002: return .unsigned(UInt64(try u16()))
        case 0x8003: return .signed(Int64(try i32()))
        case 0x8004: return .unsigned(UInt64(try u32()))
        case 0x8009: return .signed(Int64(bitPattern: try u64()))
        case 0x800a: return .unsigned(try u64())
        default:
            throw PDBError(
                "\(label()): numeric leaf \(pdbHex(leaf)) at offset \(pdbHex(position - 2)) "
                    + "is not supported")
        }
    }
}

/// A CodeView numeric value (sizes, offsets, enumerator values, constants).
public enum NumericLeaf: Sendable, Hashable {
    case signed(Int64)
    case unsigned(UInt64)

    /// The value as 64 bits (two's complement for negative values).
    public var bits: UInt64 {
        switch self {
        case .signed(let value): UInt64(bitPattern: value)
        case .unsigned(let value): value
        }
    }

    /// The value when it is a non-negative size or offset that fits in `Int`.
    public var size: Int? {
        switch self {
        case .signed(let value): value >= 0 ? Int(exactly: value) : nil
        case .unsigned(let value): Int(exactly: value)
        }
    }
}
