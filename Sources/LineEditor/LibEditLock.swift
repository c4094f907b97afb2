#if canImport(Glibc)
    import Glibc
#endif

/// libedit is not safe to use from several threads at once, even with one editor per thread:
/// it reads the terminal database through the termcap functions (process-wide state) and sends
/// capability strings through a process-wide FILE pointer. Every call into libedit holds this
/// lock. An editor lets go of it only while it waits for a key, so editors on several threads
/// take turns instead of corrupting that state. (The debugger has one editor; tests have many.)
enum LibEditLock {
    private static let lock = PthreadLock()

    static func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` (a wait for input) with the lock released; called with the lock held.
    static func whileReleased<R>(_ body: () -> R) -> R {
        lock.unlock()
        defer { lock.lock() }
        return body()
    }
}

/// A plain pthread mutex: `LibEditLock` must let go in the middle of a locked section, which
/// `Mutex`'s closure form cannot express.
private final class PthreadLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
