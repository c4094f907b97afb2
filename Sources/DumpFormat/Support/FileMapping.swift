#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// All system calls the reader makes, in one place: open, fstat, mmap, munmap, close.
///
/// Errors name the path and `strerror(errno)`.
enum FileMapping {
    /// Maps `path` read-only and private. An empty file maps to no pages (`pointer == nil`).
    static func map(path: String) throws(MinidumpError) -> (
        pointer: UnsafeRawPointer?, count: Int
    ) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ioError("cannot open", path) }
        defer { close(fd) }

        var info = stat()
        if fstat(fd, &info) != 0 { throw ioError("cannot stat", path) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw MinidumpError(.io, "\(path) is a directory, not a dump file")
        }
        guard info.st_size >= 0, let size = Int(exactly: info.st_size) else {
            throw MinidumpError(.io, "\(path): file size \(info.st_size) is not usable")
        }
        if size == 0 { return (nil, 0) }

        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
            address != MAP_FAILED
        else {
            throw ioError("cannot map", path)
        }
        return (UnsafeRawPointer(address), size)
    }

    static func unmap(_ pointer: UnsafeRawPointer, count: Int) {
        munmap(UnsafeMutableRawPointer(mutating: pointer), count)
    }

    private static func ioError(_ action: String, _ path: String) -> MinidumpError {
        let reason = String(cString: strerror(errno))
        return MinidumpError(.io, "\(action) \(path): \(reason)")
    }
}
