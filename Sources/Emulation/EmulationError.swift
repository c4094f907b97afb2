/// Why the simulated machine could not do what it was asked, in words a user can act on.
/// Errors of the guest program are not errors here: they are debug events.
public enum EmulationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libunicorn could not be loaded.
    case unicornMissing
    /// The loaded libunicorn lacks something the machine needs, or misbehaved.
    case unicorn(String)
    /// An image could not be loaded: the file, and why.
    case image(path: String, reason: String)
    /// The options or the arguments are unusable.
    case invalidArgument(String)
    /// The host refused a resource (memory, a folder).
    case host(String)
    /// The request does not fit the machine's state (no such thread, the process has exited).
    case state(String)

    public var description: String {
        switch self {
        case .unicornMissing:
            "libunicorn (Unicorn 2) is not installed; install it with "
                + "`sudo apt-get install libunicorn-dev` (Debian/Ubuntu) or `brew install unicorn`"
        case .unicorn(let text): "emulator: \(text)"
        case .image(let path, let reason): "cannot load '\(path)': \(reason)"
        case .invalidArgument(let text): text
        case .host(let text): text
        case .state(let text): text
        }
    }
}
