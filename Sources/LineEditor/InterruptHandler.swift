/// Ctrl-C while a command runs (the terminal is not being edited): the process is not killed;
/// `handler` is called instead, so the caller can set its engine's interrupt flag.
///
/// Ctrl-C typed while a line is being edited is not a signal at all: the editor switches the
/// terminal's interrupt character off while it reads, and `readLine` returns `.interrupted`.
public enum InterruptHandler {
    /// Installs the SIGINT handler. `handler` runs on a private thread, never inside the signal
    /// handler itself; keep it short (set a flag). A second call replaces the handler.
    public static func install(_ handler: @escaping @Sendable () -> Void) throws(LineEditorError) {
        try SignalWatcher.shared().setInterruptHandler(handler)
    }

    /// Restores the SIGINT disposition that was in place before `install(_:)`.
    public static func remove() {
        try? SignalWatcher.shared().setInterruptHandler(nil)
    }
}
