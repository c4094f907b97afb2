#if canImport(Glibc)
    import Glibc
#endif

/// A detached host thread running one closure: what the debugger used Foundation's `Thread`
/// for (a reader of a child's output, a signal watcher, a console loop).
public enum DetachedThread {
    /// Starts `body` on a new thread; `name` says what it is for in a fatal error (Glibc's
    /// module does not export `pthread_setname_np`). A thread that cannot be created is fatal:
    /// the process cannot work without it.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
                return nil
            }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            fatalError("cannot start the thread '\(name)': error \(status)")
        }
        pthread_detach(thread)
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
