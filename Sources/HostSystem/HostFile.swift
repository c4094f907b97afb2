#if canImport(Glibc)
    import Glibc
#endif

/// A host file opened for reading or writing by descriptor: the little of `FileHandle` the
/// debugger needs (scripts, source files, a dump's first bytes, log files), without loading
/// the full Foundation library. Closed when released.
public final class HostFile {
    private var descriptor: Int32

    /// Opens `path` for reading; nil when it cannot be opened.
    public init?(readingAtPath path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return nil }
    }

    /// Opens `path` for writing: created when missing (mode 0644 less the umask), truncated
    /// unless `append`, where every write then goes to the end. Nil when it cannot be opened.
    public init?(writingAtPath path: String, append: Bool) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        descriptor = open(path, flags, 0o644)
        if descriptor < 0 { return nil }
    }

    deinit { close() }

    /// Up to `limit` bytes from the current position (fewer at the end of the file); nil on a
    /// read error.
    public func read(upTo limit: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(max(limit, 0), 1 << 16))
        while bytes.count < limit, descriptor >= 0 {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = chunk.withUnsafeMutableBytes {
                Glibc.read(descriptor, $0.baseAddress, wanted)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return descriptor >= 0 ? bytes : nil
    }

    /// Writes every byte, retrying on `EINTR`; false on any other failure or when closed.
    @discardableResult
    public func write(_ bytes: some Collection<UInt8>) -> Bool {
        guard descriptor >= 0 else { return false }
        return Self.writeAll(bytes, to: descriptor)
    }

    /// Writes every byte to `descriptor`, retrying on `EINTR`; false on any other failure (and
    /// when the descriptor takes nothing, so a stuck one cannot loop forever).
    public static func writeAll(_ bytes: some Collection<UInt8>, to descriptor: Int32) -> Bool {
        let data = Array(bytes)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { buffer in
                Glibc.write(
                    descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            if written == 0 { return false }
            offset += written
        }
        return true
    }

    /// Closes the descriptor; later reads and writes fail.
    public func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }
}
