#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one PDB file: a read-only private mapping of the file (only pages that are
/// touched are read from disk) or a heap copy of bytes handed in (tests, fuzzing).
///
/// Every read is bounds-checked. The storage never changes, so sharing it between threads is
/// safe.
final class PDBFileBytes: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    let count: Int
    private let isMapped: Bool

    /// Maps `path` read-only.
    init(mappingFile path: String) throws(PDBError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Self.ioError("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw Self.ioError("cannot stat", path) }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw PDBError("\(path) is not a regular file")
        }
        guard info.st_size >= 0, let size = Int(exactly: info.st_size) else {
            throw PDBError("\(path): file size \(info.st_size) is not usable")
        }
        if size == 0 {
            base = nil
        } else {
            guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
                address != MAP_FAILED
            else { throw Self.ioError("cannot map", path) }
            base = UnsafeRawPointer(address)
        }
        count = size
        isMapped = true
    }

    /// Copies `bytes`.
    init(copying bytes: [UInt8]) {
        count = bytes.count
        isMapped = false
        if bytes.isEmpty {
            base = nil
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        base = UnsafeRawPointer(buffer.baseAddress)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    @inline(__always)
    func contains(offset: Int, length: Int) -> Bool {
        guard offset >= 0, length >= 0 else { return false }
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= count
    }

    @inline(__always)
    func u32(at offset: Int) -> UInt32? {
        guard let base, contains(offset: offset, length: 4) else { return nil }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A view of `length` bytes at `offset` (valid while this object lives), or nil.
    @inline(__always)
    func view(offset: Int, length: Int) -> UnsafeRawBufferPointer? {
        guard contains(offset: offset, length: length) else { return nil }
        guard let base, length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: length)
    }

    private static func ioError(_ action: String, _ path: String) -> PDBError {
        PDBError("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
