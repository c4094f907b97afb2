#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a new file sequentially with `write(2)`; errors name the path and `strerror`.
final class FileWriter {
    private var fd: Int32
    private let path: String

    init(path: String) throws(MinidumpError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw Self.error("cannot create", path) }
    }

    deinit {
        if fd >= 0 { _ = posixClose(fd) }
    }

    func write(_ bytes: [UInt8]) throws(MinidumpError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                posixWrite(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.error("cannot write", path)
            }
            done += written
        }
    }

    func close() throws(MinidumpError) {
        let result = posixClose(fd)
        fd = -1
        if result != 0 { throw Self.error("cannot close", path) }
    }

    private static func error(_ action: String, _ path: String) -> MinidumpError {
        MinidumpError(.io, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}

private func posixClose(_ fd: Int32) -> Int32 { close(fd) }

private func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, pointer, count)
}
