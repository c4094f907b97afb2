import Synchronization

/// Set by Ctrl-C (or a remote participant's interrupt); long-running commands poll it and
/// stop early. The session clears it before each command line.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func raise() { flag.store(true, ordering: .relaxed) }
    public func clear() { flag.store(false, ordering: .relaxed) }
    public var isRaised: Bool { flag.load(ordering: .relaxed) }
}
