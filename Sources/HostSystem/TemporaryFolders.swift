import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Folders the program made for itself (a simulated process's sandbox) and removes when done.
/// Their owners remove them when released; the program also removes every one still listed
/// when it exits through `exit()` (`q`, end of input, a signal the front end turns into an
/// exit), where no owner is released.
public enum TemporaryFolders {
    /// The folders to remove, and whether the `atexit` handler that removes them is in place.
    private struct Listing {
        var paths: Set<String> = []
        var handlerInstalled = false
    }
    private static let listing = Mutex(Listing())

    /// Makes a new empty folder `prefix-XXXXXX` in `$TMPDIR` (or `/tmp`), listed for removal
    /// at exit, or the reason it cannot be made.
    public static func make(prefix: String) -> Result<String, HostError> {
        var base = HostEnvironment.value("TMPDIR") ?? "/tmp"
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
        _ = listing.withLock { $0.paths.remove(path) }
        removeTree(path)
    }

    private static func list(_ path: String) {
        let installHandler = listing.withLock { listing in
            listing.paths.insert(path)
            defer { listing.handlerInstalled = true }
            return !listing.handlerInstalled
        }
        guard installHandler else { return }
        atexit {
            for path in TemporaryFolders.listing.withLock({ $0.paths }) {
                TemporaryFolders.removeTree(path)
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
