import Unwind

/// What `!analyze` concludes about a crash, independent of how it is printed.
struct CrashAnalysis {
    /// The fault's class, which names the bucket (`NULL_POINTER_READ`).
    enum FaultClass: Equatable {
        case nullPointer(AccessKind)
        case invalidPointer(AccessKind)
        case nonCanonicalAddress(AccessKind)
        case badInstructionPointer
        case fastFail(code: UInt64)
        case stackBufferOverrun
        case breakpoint
        case stackOverflow
        case invalidCRuntimeParameter
        case heapCorruption
        case cppException
        case signal(name: String)
        case machException(name: String)
        case other(code: UInt32)

        /// The bucket prefix CDB uses.
        var bucketPrefix: String {
            switch self {
            case .nullPointer(let kind): "NULL_POINTER_\(kind.rawValue)"
            case .invalidPointer(let kind): "INVALID_POINTER_\(kind.rawValue)"
            case .nonCanonicalAddress(let kind): "INVALID_POINTER_\(kind.rawValue)_NON_CANONICAL"
            case .badInstructionPointer: "BAD_INSTRUCTION_PTR"
            case .fastFail(let code):
                "FAIL_FAST_"
                    + (FastFailCodes.name(code).map { String($0.dropFirst(10)) } ?? "UNKNOWN")
            case .stackBufferOverrun: "STACK_BUFFER_OVERRUN"
            case .breakpoint: "BREAKPOINT"
            case .stackOverflow: "STACK_OVERFLOW"
            case .invalidCRuntimeParameter: "INVALID_CRUNTIME_PARAMETER"
            case .heapCorruption: "HEAP_CORRUPTION"
            case .cppException: "CPP_EXCEPTION"
            case .signal(let name): name
            case .machException(let name): name
            case .other: "APPLICATION_FAULT"
            }
        }
    }

    enum AccessKind: String {
        case read = "READ"
        case write = "WRITE"
        case execute = "EXECUTE"
    }

    var event: TargetEvent
    var faultClass: FaultClass
    /// The address the faulting access tried to reach, for access violations.
    var accessAddress: UInt64?
    /// The faulting thread's stack from the exception context.
    var frames: [StackFrame]
    /// Index into `frames` of the frame blamed (first outside system modules).
    var blamedFrame: Int?
    /// Where to find the context (`.ecxr` for a stored exception context).
    var contextCommand: String

    /// Modules whose frames are not blamed: the OS and C runtime.
    static let systemModules: Set<String> = [
        "ntdll", "kernel32", "kernelbase", "ucrtbase", "msvcrt", "user32", "win32u", "gdi32",
        "combase", "rpcrt4", "wow64", "wow64cpu", "wow64win", "libsystem_kernel", "libsystem_c",
        "libsystem_pthread", "dyld", "libdyld",
    ]

    /// Name prefixes of system libraries on Linux (`libc_2_13`, `libpthread_2_19`).
    static let systemPrefixes = ["libc_", "libpthread", "ld_linux", "libstdc__", "libgcc_s"]

    static func isSystemModule(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return systemModules.contains(lowered) || lowered == "libc"
            || systemPrefixes.contains { lowered.hasPrefix($0) }
    }

    /// Classifies the exception of a target. With `state`, a signal's read or write is decided
    /// from the faulting instruction (a Linux or macOS exception record does not say).
    static func classify(
        _ event: TargetEvent, platform: TargetSystem.Platform?, pointerSize: Int,
        state: DebuggerState? = nil
    ) -> (FaultClass, UInt64?) {
        let record = event.exception
        func decodedAccess() -> AccessKind? {
            guard let state, let ip = event.context?.instructionPointer else { return nil }
            return instructionAccess(state: state, at: ip)
        }
        switch platform {
        case .linux?, .android?:
            let name =
                ExceptionNames.symbol(of: record.code, platform: platform)
                ?? "SIGNAL_\(record.code)"
            if record.code == 11 || record.code == 7 {
                let address = record.address
                let decoded = decodedAccess()
                if address < 0x10000 { return (.nullPointer(decoded ?? .read), address) }
                if let decoded { return (.invalidPointer(decoded), address) }
                return (.signal(name: name), address)
            }
            return (.signal(name: name), nil)
        case .macOS?, .iOS?:
            let name =
                ExceptionNames.symbol(of: record.code, platform: platform) ?? "EXC_\(record.code)"
            if record.code == 1 {
                let decoded = decodedAccess()
                if record.address < 0x10000 {
                    return (.nullPointer(decoded ?? .read), record.address)
                }
                if let decoded { return (.invalidPointer(decoded), record.address) }
            }
            return (.machException(name: name), record.code == 1 ? record.address : nil)
        default:
            break
        }
        switch record.code {
        case 0xC000_0005, 0xC000_0006:
            guard record.parameters.count >= 2 else { return (.other(code: record.code), nil) }
            let address = record.parameters[1]
            let kind: AccessKind =
                switch record.parameters[0] {
                case 1: .write
                case 8: .execute
                default: .read
                }
            if kind == .execute && address == record.address && address >= 0x10000 {
                return (.badInstructionPointer, address)
            }
            if address < 0x10000 { return (.nullPointer(kind), address) }
            if pointerSize == 8, !isCanonical(address) || address == .max {
                return (.nonCanonicalAddress(kind), address)
            }
            return (.invalidPointer(kind), address)
        case 0xC000_0409:
            if let code = record.parameters.first, record.parameters.count >= 1, code != 2 {
                return (.fastFail(code: code), nil)
            }
            return (.stackBufferOverrun, nil)
        case 0x8000_0003, 0x4000_001F: return (.breakpoint, nil)
        case 0xC000_00FD: return (.stackOverflow, nil)
        case 0xC000_0417: return (.invalidCRuntimeParameter, nil)
        case 0xC000_0374: return (.heapCorruption, nil)
        case 0xE06D_7363: return (.cppException, nil)
        default: return (.other(code: record.code), nil)
        }
    }

    /// Whether the instruction at `address` reads or writes its memory operand (a store or a
    /// read-modify-write is a write), decoded from the target's code; nil when it has no
    /// memory operand or cannot be decoded.
    static func instructionAccess(state: DebuggerState, at address: UInt64) -> AccessKind? {
        guard let code = CodeView(state: state) else { return nil }
        let instruction = code.disassembler.decode(code.read(address, 16), at: address)
        guard instruction.isValid, let memory = instruction.memoryOperand, memory.accessesMemory
        else { return nil }
        return memory.isWritten ? .write : .read
    }

    /// x64 user/kernel addresses must have bits 48-63 equal to bit 47.
    static func isCanonical(_ address: UInt64) -> Bool {
        let top = address >> 47
        return top == 0 || top == 0x1ffff
    }
}
