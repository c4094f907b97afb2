/// A thread of the guest process: its TEB and stack, its registers while it is not on the CPU,
/// and its scheduling state.
final class GuestThread: KernelObject {
    enum State: Equatable {
        case ready
        case waiting
        case terminated
    }

    let id: UInt32
    /// Creation order (the scheduler's round-robin order).
    let order: Int
    let teb: UInt64
    /// The whole stack reservation.
    let stack: Range<UInt64>
    /// The registers while the thread is not loaded on the CPU.
    let saved: Unicorn.Context
    var state: State = .ready
    var wait: Wait?
    var suspendCount: UInt32 = 0
    /// Frozen by the debugger (`~Nf`): a debugger setting the program cannot see or change;
    /// the thread does not run until it is thawed (`~Nu`).
    var frozen = false
    var exitCode: UInt32?
    var threadName: String?
    /// Instructions this thread retired.
    var instructions: UInt64 = 0
    /// The machine clock when the thread was created (1 instruction = 1 ns).
    var createdAt: UInt64 = 0
    /// An alert sent before the thread waited for it (`NtAlertThreadByThreadId`).
    var alertPending = false
    /// `rax` to set when the thread next runs (a completed wait's status).
    var pendingResult: UInt64?
    /// The thread stopped at a breakpoint here: resuming passes it once.
    var skipBreakpoint: UInt64?
    /// Registers at the return of an `NtRaiseException(..., FirstChance = FALSE)` in progress:
    /// where the thread goes when the debugger lets the second chance go.
    var raiseReturn: ThreadContext?

    init(id: UInt32, order: Int, teb: UInt64, stack: Range<UInt64>, saved: Unicorn.Context) {
        self.id = id
        self.order = order
        self.teb = teb
        self.stack = stack
        self.saved = saved
        super.init(typeName: "Thread")
    }

    var isAlive: Bool { state != .terminated }
    /// Could run now.
    var isRunnable: Bool { state == .ready && suspendCount == 0 && !frozen }

    override func isSignaled(for thread: GuestThread) -> Bool { state == .terminated }

    override var stateDescription: String {
        switch state {
        case .terminated: "Terminated, exit code \(exitCode ?? 0)"
        case .waiting: "Waiting"
        case .ready: suspendCount > 0 ? "Suspended" : frozen ? "Frozen" : "Ready"
        }
    }
}

/// What a blocked thread waits for.
struct Wait {
    enum Kind {
        /// `NtWaitForSingleObject`/`NtWaitForMultipleObjects`.
        case objects([KernelObject], handles: [UInt64], all: Bool)
        /// `NtWaitForAlertByThreadId` on `address` (a critical section, usually).
        case alert(address: UInt64)
        /// `NtDelayExecution`.
        case delay
        /// Resumed by `NtResumeThread` (a thread created suspended waits this way).
        case suspended
    }

    var kind: Kind
    /// The machine clock value at which it times out; nil = forever.
    var deadline: UInt64?
    /// When the wait began (ties are woken in this order).
    var sequence: UInt64
}
