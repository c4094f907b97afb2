#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a path names, checked before the debugger opens it: a script, a dump or a log must be
/// an ordinary file. Opening a FIFO blocks until someone opens the other end and a device such
/// as `/dev/zero` never ends, and either would stall the session queue for everyone.
public enum FileKind {
    case missing
    case regularFile
    case other

    /// Follows symbolic links.
    public init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = .missing
            return
        }
        self = info.st_mode & S_IFMT == S_IFREG ? .regularFile : .other
    }
}
