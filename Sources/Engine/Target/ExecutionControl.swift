/// Capabilities a target may have beyond reading. The command table checks a command's
/// requirements against them before its handler runs and hands the handler the capability it
/// declared (`CommandInvocation.execution`, `.memoryWriter`, `.registerWriter`), so handlers
/// never ask "is this a dump?".

/// A target that runs: a live process. Used only on the session's queue, like every target;
/// only `breakRequest` may be used from other threads.
public protocol ExecutionControl: Target {
    /// Runs every thread until the next debug event. `answer` says how the exception the last
    /// event stopped in (if any) is answered (`gh`/`gn`).
    func run(_ answer: ExceptionAnswer) -> TargetDebugEvent
    /// Runs one instruction of one thread (index = debugger thread number).
    func step(threadIndex: Int, _ answer: ExceptionAnswer) -> TargetDebugEvent
    /// Thread-safe: stops `run` from another thread (Ctrl-C, a remote participant's interrupt).
    var breakRequest: any BreakRequesting { get }
    /// Receives the program's console output while it runs (on the thread that runs it).
    func setProgramOutput(_ sink: (@Sendable (String) -> Void)?)
    /// Passes on a partial line of program output (the target stopped and the debugger is
    /// about to print); complete lines go at once.
    func flushProgramOutput()

    /// A code breakpoint: the thread stops before the instruction at `address` runs.
    func setCodeBreakpoint(id: Int, at address: UInt64) throws
    /// A data breakpoint (`ba`).
    func setDataBreakpoint(id: Int, at address: UInt64, size: UInt64, access: BreakAccess) throws
    func removeBreakpoint(id: Int)

    /// Whether the process has ended (`g` then has nothing to run).
    var hasEnded: Bool { get }
    /// Starts the program again (`.restart`); breakpoints stay set.
    func restart() throws
    /// Ends the process (`.kill`, `q`).
    func kill()
    /// `CommandLine: ...` and what else CDB prints before the symbol path when it starts a
    /// program.
    var startLines: [String] { get }
    /// The debugger's number of the thread with OS id `systemID`.
    func threadIndex(systemID: UInt32) -> Int?

    /// Freezes or thaws a thread (`~Nf`/`~Nu`): a setting of the debugger's that the program
    /// never sees; a frozen thread does not run when the target runs.
    func setFrozen(_ frozen: Bool, threadIndex: Int) throws
    /// Raises or lowers a thread's suspend count as `SuspendThread`/`ResumeThread` do
    /// (`~Nn`/`~Nm`); the program sees the count.
    func changeSuspendCount(threadIndex: Int, suspend: Bool) throws
}

/// A target whose memory can be changed (`e*`, `f`, `m`).
public protocol MemoryWriting: Target {
    /// Writes committed memory; returns how many leading bytes were written.
    func writeMemory(at address: UInt64, bytes: [UInt8]) -> Int
}

/// A target whose registers can be changed (`r rax=1`).
public protocol RegisterWriting: Target {
    func setRegisters(_ registers: RegisterSet, ofThread index: Int) throws
}

/// Stops a running target from any thread.
public protocol BreakRequesting: Sendable {
    func requestBreak()
}

/// How an exception event is answered when execution resumes.
public enum ExceptionAnswer: Sendable, Equatable {
    /// The debugger handled it (`gh`, and `g` after a breakpoint or a step).
    case handled
    /// The program should see it (`gn`, and `g` after an exception).
    case notHandled
}

/// What a data breakpoint watches for.
public enum BreakAccess: Sendable, Equatable {
    case read
    case write
    case execute
}

/// One event from a running target, in the order it happened.
public struct TargetDebugEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case processCreated(TargetModule)
        case moduleLoaded(TargetModule)
        case moduleUnloaded(TargetModule)
        case threadCreated(startAddress: UInt64)
        case threadExited(exitCode: UInt32)
        case exception(ExceptionRecord, firstChance: Bool)
        case breakpoint(id: Int, address: UInt64)
        case singleStep(address: UInt64)
        case dataBreakpoint(id: Int, address: UInt64)
        /// `OutputDebugString` text.
        case debugOutput(String)
        /// The program called an import nobody implements: `dll!function`.
        case unimplementedImport(String)
        /// Every thread waits forever: one line per thread saying what it waits for.
        case deadlock([String])
        /// `breakRequest` was used.
        case breakRequested
        case processExited(exitCode: UInt32)
    }

    public var kind: Kind
    /// The OS thread id it happened on.
    public var threadID: UInt32
    /// The debugger's number for that thread, when it has one.
    public var threadIndex: Int?

    public init(kind: Kind, threadID: UInt32, threadIndex: Int?) {
        self.kind = kind
        self.threadID = threadID
        self.threadIndex = threadIndex
    }
}
