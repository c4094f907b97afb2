/// A bounds-checked little-endian reader over one region of a dump (a stream, a record).
///
/// The region `[start, end)` has already been checked against the file; every read is checked
/// against the region, so a structure can never read into its neighbour. Errors name the region
/// (`label`, e.g. "ModuleList stream at 0x1f4") and the file offset of the failed read.
struct Cursor {
    let bytes: DumpBytes
    /// File offset of the first byte of the region.
    let start: Int
    /// File offset one past the last byte of the region.
    let end: Int
    /// File offset of the next read.
    var position: Int
    /// Makes the label only when a message needs it: labels are built from indices and names,
    /// and formatting them for every record that parses fine would dominate the reading time.
    private let describe: () -> String

    /// What the region is, for error messages.
    var label: String { describe() }

    /// A cursor over `[offset, offset + length)`, or an error when that is not inside the file.
    init(_ bytes: DumpBytes, offset: Int, length: Int, label: @escaping @autoclosure () -> String)
        throws(MinidumpError)
    {
        guard bytes.contains(offset: offset, length: length) else {
            throw .malformed(
                "\(label()): \(length) bytes at \(hex(offset)) extend past the end of the file "
                    + "(\(bytes.count) bytes)", at: offset)
        }
        self.bytes = bytes
        self.start = offset
        self.end = offset + length
        self.position = offset
        self.describe = label
    }

    var remaining: Int { end - position }
    var length: Int { end - start }
    /// Offset of the next read relative to the region start.
    var relativePosition: Int { position - start }

    /// Fails unless `count` more bytes are left, saying what they were needed for.
    func require(_ count: Int, for what: @autoclosure () -> String) throws(MinidumpError) {
        guard count >= 0, count <= remaining else {
            throw .malformed(
                "\(label): \(what()) needs \(count) bytes at \(hex(position)), "
                    + "only \(remaining) left", at: position)
        }
    }

    mutating func seek(relative offset: Int) throws(MinidumpError) {
        guard offset >= 0, offset <= length else {
            throw .malformed(
                "\(label): offset \(hex(offset)) is outside the \(length)-byte region", at: start)
        }
        position = start + offset
    }

    mutating func skip(_ count: Int) throws(MinidumpError) {
        try require(count, for: "padding")
        position += count
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(MinidumpError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining, let value = bytes.load(T.self, at: position) else {
            throw .malformed(
                "\(label): a \(size)-byte field at \(hex(position)) is past the end "
                    + "(\(remaining) bytes left)", at: position)
        }
        position += size
        return value
    }

    private func pastEnd(_ size: Int) -> MinidumpError {
        .malformed(
            "\(label): a \(size)-byte field at \(hex(position)) is past the end "
                + "(\(remaining) bytes left)", at: position)
    }

    mutating func u8() throws(MinidumpError) -> UInt8 {
        guard remaining >= 1, let value = bytes.u8(at: position) else { throw pastEnd(1) }
        position += 1
        return value
    }

    mutating func u16() throws(MinidumpError) -> UInt16 {
        guard remaining >= 2, let value = bytes.u16(at: position) else { throw pastEnd(2) }
        position += 2
        return value
    }

    mutating func u32() throws(MinidumpError) -> UInt32 {
        guard remaining >= 4, let value = bytes.u32(at: position) else { throw pastEnd(4) }
        position += 4
        return value
    }

    mutating func u64() throws(MinidumpError) -> UInt64 {
        guard remaining >= 8, let value = bytes.u64(at: position) else { throw pastEnd(8) }
        position += 8
        return value
    }

    mutating func i32() throws(MinidumpError) -> Int32 { Int32(bitPattern: try u32()) }

    mutating func u128() throws(MinidumpError) -> UInt128 {
        let low = try u64()
        let high = try u64()
        return UInt128(high) << 64 | UInt128(low)
    }

    mutating func bytes(_ count: Int) throws(MinidumpError) -> [UInt8] {
        try require(count, for: "a \(count)-byte field")
        guard let copy = bytes.copy(offset: position, length: count) else {
            throw .malformed(
                "\(label): \(count) bytes at \(hex(position)) are past the end", at: position)
        }
        position += count
        return copy
    }

    mutating func u16Array(_ count: Int) throws(MinidumpError) -> [UInt16] {
        try require(count * 2, for: "\(count) UTF-16 units")
        var units: [UInt16] = []
        units.reserveCapacity(count)
        for _ in 0..<count { units.append(try u16()) }
        return units
    }

    /// A sub-cursor over the next `count` bytes; this cursor moves past them.
    mutating func sub(_ count: Int, label: @escaping @autoclosure () -> String)
        throws(MinidumpError) -> Cursor
    {
        try require(count, for: label())
        let child = try Cursor(bytes, offset: position, length: count, label: label())
        position += count
        return child
    }
}

/// Checked arithmetic on counts read from a file, turned into a `MinidumpError` on overflow.
enum Checked {
    static func multiply(_ a: Int, _ b: Int, _ what: @autoclosure () -> String)
        throws(MinidumpError)
        -> Int
    {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow, value >= 0 else {
            throw MinidumpError(.malformed, "\(what()): \(a) × \(b) overflows")
        }
        return value
    }

    static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws(MinidumpError)
        -> Int
    {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow, value >= 0 else {
            throw MinidumpError(.malformed, "\(what()): \(a) + \(b) overflows")
        }
        return value
    }

    /// An `Int` from a file's 64-bit quantity, or an error when it does not fit.
    static func int(_ value: UInt64, _ what: @autoclosure () -> String) throws(MinidumpError) -> Int
    {
        guard let result = Int(exactly: value) else {
            throw MinidumpError(.malformed, "\(what()): \(hex(value)) is too large")
        }
        return result
    }
}
