/// Names of exception codes: the words CDB prints after an event (`Access violation - code
/// c0000005`) and the NTSTATUS symbols `!analyze` shows.
public enum ExceptionNames {
    struct Entry {
        var description: String
        var symbol: String
    }

    /// Keyed by `Int` rather than `UInt32`: see `SymbolManager.key(_:)`.
    static let windows: [Int: Entry] = [
        0x8000_0001: Entry(
            description: "Guard page violation", symbol: "STATUS_GUARD_PAGE_VIOLATION"),
        0x8000_0002: Entry(description: "Data misaligned", symbol: "STATUS_DATATYPE_MISALIGNMENT"),
        0x8000_0003: Entry(description: "Break instruction exception", symbol: "STATUS_BREAKPOINT"),
        0x8000_0004: Entry(description: "Single step exception", symbol: "STATUS_SINGLE_STEP"),
        0x4000_001F: Entry(
            description: "Break instruction exception", symbol: "STATUS_WX86_BREAKPOINT"),
        0x4001_0005: Entry(description: "Control-C exception", symbol: "DBG_CONTROL_C"),
        0x4001_0008: Entry(description: "Control-Break exception", symbol: "DBG_CONTROL_BREAK"),
        0xC000_0005: Entry(description: "Access violation", symbol: "STATUS_ACCESS_VIOLATION"),
        0xC000_0006: Entry(description: "In-page I/O error", symbol: "STATUS_IN_PAGE_ERROR"),
        0xC000_0008: Entry(description: "Invalid handle", symbol: "STATUS_INVALID_HANDLE"),
        0xC000_000D: Entry(description: "Invalid parameter", symbol: "STATUS_INVALID_PARAMETER"),
        0xC000_0017: Entry(description: "No memory", symbol: "STATUS_NO_MEMORY"),
        0xC000_001D: Entry(
            description: "Illegal instruction", symbol: "STATUS_ILLEGAL_INSTRUCTION"),
        0xC000_0025: Entry(
            description: "Non-continuable exception", symbol: "STATUS_NONCONTINUABLE_EXCEPTION"),
        0xC000_0026: Entry(
            description: "Invalid disposition", symbol: "STATUS_INVALID_DISPOSITION"),
        0xC000_008C: Entry(
            description: "Array bounds exceeded", symbol: "STATUS_ARRAY_BOUNDS_EXCEEDED"),
        0xC000_008D: Entry(
            description: "Floating-point denormal operand", symbol: "STATUS_FLOAT_DENORMAL_OPERAND"),
        0xC000_008E: Entry(
            description: "Floating-point division by zero", symbol: "STATUS_FLOAT_DIVIDE_BY_ZERO"),
        0xC000_008F: Entry(
            description: "Floating-point inexact result", symbol: "STATUS_FLOAT_INEXACT_RESULT"),
        0xC000_0090: Entry(
            description: "Floating-point invalid operation",
            symbol: "STATUS_FLOAT_INVALID_OPERATION"),
        0xC000_0091: Entry(description: "Floating-point overflow", symbol: "STATUS_FLOAT_OVERFLOW"),
        0xC000_0092: Entry(
            description: "Floating-point stack check", symbol: "STATUS_FLOAT_STACK_CHECK"),
        0xC000_0093: Entry(
            description: "Floating-point underflow", symbol: "STATUS_FLOAT_UNDERFLOW"),
        0xC000_0094: Entry(
            description: "Integer divide-by-zero", symbol: "STATUS_INTEGER_DIVIDE_BY_ZERO"),
        0xC000_0095: Entry(description: "Integer overflow", symbol: "STATUS_INTEGER_OVERFLOW"),
        0xC000_0096: Entry(
            description: "Privileged instruction", symbol: "STATUS_PRIVILEGED_INSTRUCTION"),
        0xC000_00FD: Entry(description: "Stack overflow", symbol: "STATUS_STACK_OVERFLOW"),
        0xC000_0135: Entry(description: "DLL not found", symbol: "STATUS_DLL_NOT_FOUND"),
        0xC000_0142: Entry(
            description: "DLL initialization failed", symbol: "STATUS_DLL_INIT_FAILED"),
        0xC000_013A: Entry(description: "Control-C exit", symbol: "STATUS_CONTROL_C_EXIT"),
        0xC000_0374: Entry(description: "Heap corruption", symbol: "STATUS_HEAP_CORRUPTION"),
        0xC000_0409: Entry(
            description: "Security check failure or stack buffer overrun",
            symbol: "STATUS_STACK_BUFFER_OVERRUN"),
        0xC000_0417: Entry(
            description: "Invalid parameter passed to C runtime function",
            symbol: "STATUS_INVALID_CRUNTIME_PARAMETER"),
        0xC000_0420: Entry(description: "Assertion failure", symbol: "STATUS_ASSERTION_FAILURE"),
        0xC000_041D: Entry(
            description: "Fatal user callback exception",
            symbol: "STATUS_FATAL_USER_CALLBACK_EXCEPTION"),
        0xC000_0602: Entry(
            description: "Fail fast exception", symbol: "STATUS_FAIL_FAST_EXCEPTION"),
        0xE06D_7363: Entry(description: "C++ EH exception", symbol: "CPP_EH_EXCEPTION"),
        0xE043_4F4D: Entry(description: "CLR exception", symbol: "CLR_EXCEPTION"),
        0xE043_4352: Entry(description: "CLR exception", symbol: "CLR_EXCEPTION_V4"),
        0x406D_1388: Entry(description: "Thread naming exception", symbol: "MS_VC_EXCEPTION"),
    ]

    /// POSIX signal numbers as Breakpad/Crashpad record them for Linux dumps.
    static let linuxSignals: [UInt32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
        7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2",
        13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD",
        31: "SIGSYS",
    ]

    /// Mach exception types as Breakpad/Crashpad record them for macOS dumps.
    static let machExceptions: [UInt32: String] = [
        1: "EXC_BAD_ACCESS", 2: "EXC_BAD_INSTRUCTION", 3: "EXC_ARITHMETIC", 4: "EXC_EMULATION",
        5: "EXC_SOFTWARE", 6: "EXC_BREAKPOINT", 7: "EXC_SYSCALL", 8: "EXC_MACH_SYSCALL",
        9: "EXC_RPC_ALERT", 10: "EXC_CRASH", 11: "EXC_RESOURCE", 12: "EXC_GUARD",
        0x4353_5450: "Crashpad simulated exception",
    ]

    /// The description CDB prints for an event (`Access violation`); `Unknown exception` for
    /// codes it has no name for.
    public static func description(
        of code: UInt32, platform: TargetSystem.Platform? = nil
    ) -> String {
        switch platform {
        case .linux?, .android?:
            return linuxSignals[code].map { "Signal \($0)" } ?? "Unknown signal"
        case .macOS?, .iOS?:
            return machExceptions[code] ?? "Unknown Mach exception"
        default:
            return windows[Int(code)]?.description ?? "Unknown exception"
        }
    }

    /// The symbolic name (`STATUS_ACCESS_VIOLATION`, `SIGSEGV`), or nil when unknown.
    public static func symbol(of code: UInt32, platform: TargetSystem.Platform? = nil) -> String? {
        switch platform {
        case .linux?, .android?: linuxSignals[code]
        case .macOS?, .iOS?: machExceptions[code]
        default: windows[Int(code)]?.symbol
        }
    }
}
