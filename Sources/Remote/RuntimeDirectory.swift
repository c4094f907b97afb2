import FoundationEssentials
import Glibc

/// Where Unix-domain sockets and the session registry live.
///
/// Named pipes become sockets in a per-user directory: `$XDG_RUNTIME_DIR/xcdb/` when that is
/// set, else `/tmp/xcdb-UID/`. The directory is created mode 0700 and must be owned by this user
/// and not open to others (a directory someone else made first is refused, not used), so only
/// the same user can reach the sockets inside. Sockets are made mode 0600 on top of that.
///
/// Sessions opened to every local user (`access=all`) go to `/tmp/xcdb-shared/` instead (mode
/// 1777 like `/tmp`, so users can delete only their own sockets), with socket mode 0666.
public struct RuntimeDirectory: Sendable {
    public let path: String

    /// The private directory of the current user (`XCDB_RUNTIME_DIR` overrides it, for tests).
    public static func personal(
        environment: [String: String] = SharingEnvironment.current()
    ) -> RuntimeDirectory {
        if let override = environment["XCDB_RUNTIME_DIR"], !override.isEmpty {
            return RuntimeDirectory(path: override)
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return RuntimeDirectory(path: runtime + "/xcdb")
        }
        return RuntimeDirectory(path: "/tmp/xcdb-\(getuid())")
    }

    /// The directory for sessions every local user may join.
    public static func everyone(
        environment: [String: String] = SharingEnvironment.current()
    ) -> RuntimeDirectory {
        if let override = environment["XCDB_SHARED_RUNTIME_DIR"], !override.isEmpty {
            return RuntimeDirectory(path: override)
        }
        return RuntimeDirectory(path: "/tmp/xcdb-shared")
    }

    /// Makes sure the personal directory exists, belongs to us and is private; creates it
    /// (0700) if it is missing.
    public func preparePrivate() throws(RemoteError) {
        try prepare(mode: 0o700, isShared: false)
    }

    /// Makes sure the shared directory exists with mode 1777 and belongs to us or root.
    public func prepareShared() throws(RemoteError) {
        try prepare(mode: 0o1777, isShared: true)
    }

    private func prepare(mode: mode_t, isShared: Bool) throws(RemoteError) {
        if mkdir(path, mode) == 0 {
            // mkdir applies the umask; set the bits we mean.
            guard chmod(path, mode) == 0 else {
                throw RemoteError("Cannot set the mode of '\(path)': \(Errno.text)")
            }
        } else if errno != EEXIST {
            throw RemoteError("Cannot create the socket directory '\(path)': \(Errno.text)")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw RemoteError("Cannot read '\(path)': \(Errno.text)")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw RemoteError("'\(path)' is not a directory; remove it or set XDG_RUNTIME_DIR.")
        }
        let owner = info.st_uid
        let permissions = info.st_mode & 0o7777
        if isShared {
            guard owner == getuid() || owner == 0, permissions & 0o1000 != 0 else {
                throw RemoteError(
                    "'\(path)' is not safe to share sockets in (it must be owned by you or root "
                        + "and have the sticky bit, like /tmp); remove it and try again.")
            }
        } else {
            guard owner == getuid() else {
                throw RemoteError(
                    "'\(path)' belongs to another user (uid \(owner)); refusing to put sockets "
                        + "there. Remove it or set XDG_RUNTIME_DIR.")
            }
            guard permissions & 0o077 == 0 else {
                throw RemoteError(
                    "'\(path)' is open to other users (mode \(String(permissions, radix: 8))); "
                        + "refusing to put sockets there. Run chmod 700 on it.")
            }
        }
    }

    /// The socket of a `.remote` session (names are case-insensitive: lower-cased).
    public func remoteSessionSocket(_ name: String) -> String {
        "\(path)/remote.\(name.lowercased())"
    }

    /// The registry entry of a `.remote` session.
    public func remoteSessionEntry(_ name: String) -> String {
        "\(path)/remote.\(name.lowercased()).session"
    }

    /// The socket of a `.server npipe:pipe=NAME` server.
    public func pipeSocket(_ name: String) -> String {
        "\(path)/npipe.\(name)"
    }
}

/// A failure in the sharing machinery, with a message a person can act on.
public struct RemoteError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum Errno {
    static var text: String { String(cString: strerror(errno)) }
}
