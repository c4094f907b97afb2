/// The bytes of one dump file: either a read-only private memory mapping of the file or a heap
/// copy of bytes handed in by the caller (tests, fuzzing).
///
/// Every read is bounds-checked; nothing here trusts an offset or a size. The storage is
/// immutable for the object's lifetime, which is what makes it safe to share between threads.
final class DumpBytes: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    /// Number of bytes available.
    let count: Int
    private let isMapped: Bool

    /// Maps a file (read-only, `MAP_PRIVATE`). Only pages that are touched are read from disk.
    init(mappingFile path: String) throws(MinidumpError) {
        let (pointer, count) = try FileMapping.map(path: path)
        self.base = pointer
        self.count = count
        self.isMapped = true
    }

    /// Copies bytes from memory.
    init<Bytes: Collection>(copying bytes: Bytes) where Bytes.Element == UInt8 {
        let count = bytes.count
        if count == 0 {
            self.base = nil
        } else {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(source))
            }
            if copied == nil { _ = buffer.initializeMemory(as: UInt8.self, from: bytes) }
            self.base = UnsafeRawPointer(buffer.baseAddress)
        }
        self.count = count
        self.isMapped = false
    }

    deinit {
        guard let base else { return }
        if isMapped {
            FileMapping.unmap(base, count: count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// True when `[offset, offset + length)` lies inside the bytes.
    @inline(__always)
    func contains(offset: Int, length: Int) -> Bool {
        guard offset >= 0, length >= 0 else { return false }
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= count
    }

    /// A little-endian integer at `offset`, or nil when it does not fit in the file.
    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        guard let base, contains(offset: offset, length: MemoryLayout<T>.size) else { return nil }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    // Non-generic loads: these are the reader's hot path and stay fast in debug builds too.
    @inline(__always)
    func u8(at offset: Int) -> UInt8? {
        guard let base, offset >= 0, offset < count else { return nil }
        return base.load(fromByteOffset: offset, as: UInt8.self)
    }

    @inline(__always)
    func u16(at offset: Int) -> UInt16? {
        guard let base, contains(offset: offset, length: 2) else { return nil }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func u32(at offset: Int) -> UInt32? {
        guard let base, contains(offset: offset, length: 4) else { return nil }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func u64(at offset: Int) -> UInt64? {
        guard let base, contains(offset: offset, length: 8) else { return nil }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A copy of `length` bytes at `offset`, or nil when they do not fit in the file.
    func copy(offset: Int, length: Int) -> [UInt8]? {
        guard contains(offset: offset, length: length) else { return nil }
        guard length > 0, let base else { return [] }
        return Array(UnsafeRawBufferPointer(start: base + offset, count: length))
    }

    /// Calls `body` with a view of `length` bytes at `offset` without copying them.
    /// Returns nil when the bytes do not fit in the file.
    func withBytes<R>(
        offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R? {
        guard contains(offset: offset, length: length) else { return nil }
        guard length > 0, let base else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: base + offset, count: length))
    }
}
