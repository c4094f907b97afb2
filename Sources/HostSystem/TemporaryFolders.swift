import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Folders the program made for itself (a simulated process's sandbox) and removes when done.
/// Their owners remove them when released; the program also removes every one still listed
/// when it exits through `exit()` (`q`, end of input, a signal the front end turns into an
/// exit), where no owner is released.
public enum TemporaryFolders {
    private static let listed = Mutex<Set<String>>([])
    private static let handlerInstalled = Mutex(false)

    /// Makes a new empty folder `prefix-XXXXXX` in `$TMPDIR` (or `/tmp`), listed for removal
    /// at exit, or the reason it cannot be made.
    public static func make(prefix: String) -> Result<String, HostError> {
        var base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        var template = Array(PathText.join(base, prefix + "-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }
        guard made != nil else { return .failure(HostError(errno: errno)) }
        let path = String(
            decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        list(path)
        return .success(path)
    }

    /// Removes `path` and everything in it (symbolic links are removed, not followed) and
    /// takes it off the list.
    public static func remove(_ path: String) {
        _ = listed.withLock { $0.remove(path) }
        removeTree(path)
    }

    private static func list(_ path: String) {
        listed.withLock { _ = $0.insert(path) }
        handlerInstalled.withLock { installed in
            guard !installed else { return }
            installed = true
            atexit {
                for path in TemporaryFolders.listed.withLock({ $0 }) {
                    TemporaryFolders.removeTree(path)
                }
            }
        }
    }

    /// Depth first, without following links: a link is removed, never what it points to.
    private static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in entries(of: path) { removeTree(PathText.join(path, name)) }
            _ = rmdir(path)
        } else {
            _ = unlink(path)
        }
    }

    private static func entries(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

/// An `errno` from a host call, with its text.
public struct HostError: Error, CustomStringConvertible, Sendable {
    public let code: Int32

    public init(errno code: Int32) {
        self.code = code
    }

    public var description: String { ErrorText.posix(code) }
}
