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
/// Scattered small reads (one type record, one procedure record) go through `copy` instead,
/// with `pread` on a descriptor kept open: a touch of the mapping makes the kernel map up to
/// 16 neighbouring cached pages ("fault-around"), so a few thousand scattered records would
/// keep most of a 100 MB file resident.
///
/// Every read is bounds-checked. The storage never changes, so sharing it between threads is
/// safe.
final class PDBFileBytes: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    let count: Int
    private let isMapped: Bool
    /// The open file for `copy`, or -1 for copied bytes.
    private let descriptor: Int32

    /// Maps `path` read-only.
    init(mappingFile path: String) throws(PDBError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw Self.ioError("cannot open", path) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            defer { close(fd) }
            throw Self.ioError("cannot stat", path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw PDBError("\(path) is not a regular file")
        }
        guard info.st_size >= 0, let size = Int(exactly: info.st_size) else {
            close(fd)
            throw PDBError("\(path): file size \(info.st_size) is not usable")
        }
        if size == 0 {
            base = nil
        } else {
            guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
                address != MAP_FAILED
            else {
                defer { close(fd) }
                throw Self.ioError("cannot map", path)
            }
            base = UnsafeRawPointer(address)
        }
        count = size
        isMapped = true
        descriptor = fd
    }

    /// Copies `bytes`.
    init(copying bytes: [UInt8]) {
        count = bytes.count
        isMapped = false
        descriptor = -1
        if bytes.isEmpty {
            base = nil
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        base = UnsafeRawPointer(buffer.baseAddress)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
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

    /// Copies `target.count` bytes at `offset` into `target` without touching the mapping
    /// (`pread`); false when they are not all inside the file or cannot be read.
    func copy(offset: Int, into target: UnsafeMutableRawBufferPointer) -> Bool {
        guard contains(offset: offset, length: target.count) else { return false }
        guard descriptor >= 0 else {
            guard let view = view(offset: offset, length: target.count) else { return false }
            target.copyMemory(from: view)
            return true
        }
        var done = 0
        while done < target.count {
            let result = pread(
                descriptor, target.baseAddress.map { $0 + done }, target.count - done,
                off_t(offset + done))
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            done += result
        }
        return true
    }

    private static func ioError(_ action: String, _ path: String) -> PDBError {
        PDBError("\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
