/// How a program is started.
public struct ProcessOptions: Sendable {
    /// Where `ntdll.dll`, `kernel32.dll`, `msvcrt.dll` and the other system DLLs come from. When
    /// nil (or without `ntdll.dll`) the program runs bare: its entry point is called directly and
    /// only its own system calls reach the executive.
    public var systemFolder: String?
    /// Committed guest memory may not exceed this; past it the program's allocations fail with
    /// `STATUS_NO_MEMORY`.
    public var memoryCap: UInt64 = 1 << 30
    /// Instructions a thread runs before the scheduler switches (varied per slice by `seed`).
    public var quantum: UInt64 = 100_000
    /// Seeds the scheduler's quantum lengths: the same seed gives the same interleaving.
    public var seed: UInt64 = 0
    /// The host folder the guest sees as `C:\sandbox` (its files, its current directory). When
    /// nil, a new empty temporary folder.
    public var sandboxFolder: String?
    /// The system time at start, in 100 ns units since 1601-01-01 UTC (a FILETIME).
    public var startTime: UInt64 = 134_116_992_000_000_000
    /// Variables added to (or replacing) the default environment.
    public var environment: [String: String] = [:]
    /// What the program reads from standard input; end of file when nil.
    public var standardInput: [UInt8]?
    /// Receives the program's console output as it writes it (on the thread running the
    /// machine).
    public var consoleOutput: (@Sendable (ConsoleOutput) -> Void)?
    /// `PEB.BeingDebugged`: `ntdll` then breaks in at `LdrpDoDebuggerBreak`.
    public var beingDebugged = true

    public init() {}

    /// 2026-01-01 00:00:00 UTC.
    public static let defaultStartTime: UInt64 = 134_116_992_000_000_000
}

/// Bytes the program wrote to a console stream.
public struct ConsoleOutput: Sendable, Equatable {
    public enum Stream: Sendable { case output, error }
    public var stream: Stream
    public var bytes: [UInt8]
    /// The machine clock when it was written.
    public var clock: UInt64
}
