#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// All system calls the reader makes, in one place: open, fstat, mmap, munmap, close.
///
/// Each returns a `Result` with an error that names the path and `strerror(errno)`.
enum FileMapping {
    /// Maps `path` read-only and private. An empty file maps to no pages (`pointer == nil`).
    static func map(path: String) -> Result<(pointer: UnsafeRawPointer?, count: Int), MinidumpError>
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(ioError("cannot open", path)) }
        defer { close(fd) }

        var info = stat()
        if fstat(fd, &info) != 0 { return .failure(ioError("cannot stat", path)) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(MinidumpError(.io, "\(path) is a directory, not a dump file"))
        }
        guard info.st_size >= 0, let size = Int(exactly: info.st_size) else {
            return .failure(MinidumpError(.io, "\(path): file size \(info.st_size) is not usable"))
        }
        if size == 0 { return .success((nil, 0)) }

        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
            address != MAP_FAILED
        else {
            return .failure(ioError("cannot map", path))
        }
        return .success((UnsafeRawPointer(address), size))
    }

    static func unmap(_ pointer: UnsafeRawPointer, count: Int) {
        munmap(UnsafeMutableRawPointer(mutating: pointer), count)
    }

    private static func ioError(_ action: String, _ path: String) -> MinidumpError {
        let reason = String(cString: strerror(errno))
        return MinidumpError(.io, "\(action) \(path): \(reason)")
    }
}
