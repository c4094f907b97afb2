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
    case directory
    /// A FIFO, a device, a socket.
    case special

    /// Follows symbolic links; a path that cannot be examined counts as missing.
    public init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = .missing
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .directory
        default: self = .special
        }
    }

    /// Something other than an ordinary file is there (a folder or a special file).
    public var isPresentButNotAFile: Bool { self == .directory || self == .special }

    /// Something other than a folder is there: where a file search stops (the opener then
    /// refuses a special file with its reason instead of the search passing it by).
    public var isPresentAndNotAFolder: Bool { self == .regularFile || self == .special }
}
