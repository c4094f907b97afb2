import HostSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the process's standard output and error without ever trapping: Foundation's
/// `FileHandle.write(_:)` raises on a broken pipe (`xcdb ... | head`), which would crash the
/// debugger. Used by the front ends (the engine itself never prints).
public enum StandardStream {
    /// Ignores SIGPIPE so a closed reader shows up as `EPIPE` here instead of killing the
    /// process; call once at start-up.
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `text` to standard output. When the reader has gone away (`EPIPE`), the
    /// process exits quietly with status 0, as command-line tools do at the end of a pipe.
    public static func output(_ text: String) {
        if !write(text, to: STDOUT_FILENO), errno == EPIPE { exit(0) }
    }

    /// Writes all of `text` to standard error, ignoring failures.
    public static func error(_ text: String) {
        _ = write(text, to: STDERR_FILENO)
    }

    /// Writes all bytes, retrying on `EINTR`; false on any other failure.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> Bool {
        HostFile.writeAll(text.utf8, to: descriptor)
    }
}
