import CUnicorn

/// Stops a running machine from any thread (Ctrl-C, a remote participant's interrupt): the
/// instruction clock sees the request at the next translated block, so even a tight loop stops
/// within microseconds; a machine between slices sees it before it starts the next one.
///
/// It owns the C clock the block hook reads: the request is a C atomic, which is why the type
/// can be `Sendable` although it holds a pointer.
public final class BreakSwitch: @unchecked Sendable {
    let clock: UnsafeMutablePointer<xcdb_clock>

    init() {
        clock = UnsafeMutablePointer<xcdb_clock>.allocate(capacity: 1)
        clock.initialize(to: xcdb_clock())
    }

    deinit {
        clock.deinitialize(count: 1)
        clock.deallocate()
    }

    /// Asks the machine to stop with a break-request event as soon as it can.
    public func request() {
        xcdb_clock_request_break(clock)
    }

    /// Whether a request is waiting (without taking it).
    public var isPending: Bool { xcdb_clock_break_pending(clock) != 0 }

    /// Takes a pending request; returns whether there was one.
    func take() -> Bool { xcdb_clock_take_break(clock) != 0 }
}
