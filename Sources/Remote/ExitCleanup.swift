import FoundationEssentials
import Glibc
import Synchronization

/// Files that must not outlive this process: the Unix-domain sockets of `.remote` and
/// `.server npipe:` and the `.remote` registry entries. They are removed when their server
/// closes; whatever is still listed here is removed on the way out, however the process ends
/// short of SIGKILL: `exit` (an `atexit` handler) or a termination signal
/// (`TerminationSignals`). A socket left behind by SIGKILL is replaced by the next server that
/// finds nobody answering on it.
public enum ExitCleanup {
    private final class Registry: Sendable {
        let paths = Mutex<[String: Int]>([:])
        let atExitInstalled = Atomic<Bool>(false)
    }

    private static let registry = Registry()

    /// Removes `path` when the process ends (until `forget(_:)`).
    static func add(_ path: String) {
        if !registry.atExitInstalled.exchange(true, ordering: .acquiringAndReleasing) {
            atexit { ExitCleanup.removeFiles() }
        }
        registry.paths.withLock { $0[path, default: 0] += 1 }
    }

    /// `path` was removed (or handed on): leave it alone at exit.
    static func forget(_ path: String) {
        registry.paths.withLock { paths in
            guard let count = paths[path] else { return }
            paths[path] = count > 1 ? count - 1 : nil
        }
    }

    /// Removes every listed file now.
    public static func removeFiles() {
        let paths = registry.paths.withLock { paths -> [String] in
            defer { paths = [:] }
            return Array(paths.keys)
        }
        for path in paths { unlink(path) }
    }

    /// The files listed now (for tests).
    static var pending: [String] { registry.paths.withLock { Array($0.keys) } }
}
