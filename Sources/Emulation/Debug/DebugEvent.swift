/// How to continue from an exception event (CDB's `gh` and `gn`).
public enum ContinueStatus: Sendable, Equatable {
    /// The debugger handled it: execution resumes (a hard-coded `int 3` is skipped).
    case handled
    /// The program should see it: first chance goes to its handlers, second chance ends it.
    case notHandled
}

/// An exception as the debugger reports it (EXCEPTION_RECORD plus first/second chance).
public struct ExceptionInfo: Sendable, Equatable {
    public var code: UInt32
    public var flags: UInt32
    public var address: UInt64
    public var parameters: [UInt64]
    public var firstChance: Bool

    public init(
        code: UInt32, flags: UInt32 = 0, address: UInt64, parameters: [UInt64] = [],
        firstChance: Bool
    ) {
        self.code = code
        self.flags = flags
        self.address = address
        self.parameters = parameters
        self.firstChance = firstChance
    }
}

/// What a thread blocked forever waits for (the deadlock report).
public enum WaitTarget: Sendable, Equatable {
    /// An object by its handle.
    case object(handle: UInt64, type: String, name: String?)
    /// A critical section by address, and the thread that owns it (0 when none).
    case criticalSection(address: UInt64, ownerThreadID: UInt32)
    /// An alert by thread id on an address that is not a critical section.
    case alert(address: UInt64)
    /// The thread is suspended.
    case suspended
    /// The debugger froze the thread (`~Nf`).
    case frozen
}

public struct ThreadWaitInfo: Sendable, Equatable {
    public var threadID: UInt32
    public var waitAll: Bool
    public var targets: [WaitTarget]
}

/// Something the debugger must hear about; the machine is stopped when it is returned.
public struct DebugEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The process exists, stopped before its first instruction (the program image).
        case processCreated(ModuleInfo)
        case moduleLoaded(ModuleInfo)
        case moduleUnloaded(ModuleInfo)
        case threadCreated(startAddress: UInt64)
        case threadExited(exitCode: UInt32)
        case exception(ExceptionInfo)
        /// A code breakpoint, before the instruction at `address` runs.
        case breakpoint(id: Int, address: UInt64)
        /// The debugger's single step is done.
        case singleStep(address: UInt64)
        /// A data breakpoint, after the instruction that touched it (execute breakpoints: before
        /// the instruction).
        case dataBreakpoint(id: Int, address: UInt64, access: DataAccess)
        /// `OutputDebugString`.
        case debugOutput(String)
        /// A call to an import nobody implements: `module!function` as the program imports it.
        case unimplementedImport(module: String, function: String)
        /// Every thread waits forever.
        case deadlock([ThreadWaitInfo])
        /// `BreakSwitch.request()`.
        case breakRequested
        case processExited(exitCode: UInt32)
    }

    public var kind: Kind
    /// The thread it happened on.
    public var threadID: UInt32
    /// The machine clock (instructions retired plus idle jumps) when it happened.
    public var clock: UInt64
}

/// What a data breakpoint watches for (like DR7's read/write/execute conditions).
public enum DataAccess: Sendable, Equatable {
    case read
    case write
    case execute
}

/// A thread as the debugger lists it.
public struct ThreadInfo: Sendable, Equatable {
    public enum State: Sendable, Equatable { case ready, waiting, suspended, terminated }

    public var id: UInt32
    public var teb: UInt64
    public var state: State
    /// What it waits for, when waiting.
    public var wait: ThreadWaitInfo?
    public var suspendCount: UInt32
    /// Frozen by the debugger.
    public var frozen: Bool
    public var name: String?
    /// The stack reservation.
    public var stack: Range<UInt64>
    public var instructions: UInt64
    /// The machine clock when it was created.
    public var createdAt: UInt64
    public var exitCode: UInt32?
}
