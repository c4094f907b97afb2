import Synchronization

/// Set by Ctrl-C (or a remote participant's interrupt); long-running commands poll it and
/// stop early. The session clears it before each command line.
///
/// While a live target runs, raising it also asks the target to break in (its thread-safe
/// break request), so the emulator stops at once instead of waiting to be polled.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let running = Mutex<(any BreakRequesting)?>(nil)

    public init() {}

    public func raise() {
        flag.store(true, ordering: .relaxed)
        running.withLock { $0 }?.requestBreak()
    }
    public func clear() { flag.store(false, ordering: .relaxed) }
    public var isRaised: Bool { flag.load(ordering: .relaxed) }

    /// Runs `body` (which runs a target) with `target` as what an interrupt breaks into.
    func whileRunning<T>(_ target: any BreakRequesting, _ body: () throws -> T) rethrows -> T {
        running.withLock { $0 = target }
        defer { running.withLock { $0 = nil } }
        if isRaised { target.requestBreak() }
        return try body()
    }
}
