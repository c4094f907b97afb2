/// NTSTATUS values the executive returns and raises.
public enum NTStatus {
    public static let success: UInt32 = 0
    public static let wait0: UInt32 = 0
    public static let abandonedWait0: UInt32 = 0x80
    public static let alerted: UInt32 = 0x101
    public static let timeout: UInt32 = 0x102
    public static let pending: UInt32 = 0x103
    public static let guardPageViolation: UInt32 = 0x8000_0001
    public static let breakpoint: UInt32 = 0x8000_0003
    public static let singleStep: UInt32 = 0x8000_0004
    public static let unsuccessful: UInt32 = 0xC000_0001
    public static let notImplemented: UInt32 = 0xC000_0002
    public static let invalidInfoClass: UInt32 = 0xC000_0003
    public static let infoLengthMismatch: UInt32 = 0xC000_0004
    public static let accessViolation: UInt32 = 0xC000_0005
    public static let invalidHandle: UInt32 = 0xC000_0008
    public static let invalidParameter: UInt32 = 0xC000_000D
    public static let endOfFile: UInt32 = 0xC000_0011
    public static let noMemory: UInt32 = 0xC000_0017
    public static let conflictingAddresses: UInt32 = 0xC000_0018
    public static let unableToFreeVM: UInt32 = 0xC000_001A
    public static let invalidSystemService: UInt32 = 0xC000_001C
    public static let illegalInstruction: UInt32 = 0xC000_001D
    public static let accessDenied: UInt32 = 0xC000_0022
    public static let bufferTooSmall: UInt32 = 0xC000_0023
    public static let objectTypeMismatch: UInt32 = 0xC000_0024
    public static let noncontinuableException: UInt32 = 0xC000_0025
    public static let notCommitted: UInt32 = 0xC000_002D
    public static let objectNameInvalid: UInt32 = 0xC000_0033
    public static let objectNameNotFound: UInt32 = 0xC000_0034
    public static let objectNameCollision: UInt32 = 0xC000_0035
    public static let objectPathNotFound: UInt32 = 0xC000_003A
    public static let invalidPageProtection: UInt32 = 0xC000_0045
    public static let mutantNotOwned: UInt32 = 0xC000_0046
    public static let semaphoreLimitExceeded: UInt32 = 0xC000_0047
    public static let threadIsTerminating: UInt32 = 0xC000_004B
    public static let fileIsADirectory: UInt32 = 0xC000_00BA
    public static let notSupported: UInt32 = 0xC000_00BB
    public static let freeVMNotAtBase: UInt32 = 0xC000_009F
    public static let memoryNotAllocated: UInt32 = 0xC000_00A0
    public static let privilegedInstruction: UInt32 = 0xC000_0096
    public static let integerDivideByZero: UInt32 = 0xC000_0094
    public static let integerOverflow: UInt32 = 0xC000_0095
    public static let dllNotFound: UInt32 = 0xC000_0135
    public static let entryPointNotFound: UInt32 = 0xC000_0139
    public static let notADirectory: UInt32 = 0xC000_0103
    public static let directoryNotEmpty: UInt32 = 0xC000_0101
    public static let stackOverflow: UInt32 = 0xC000_00FD
    public static let stackBufferOverrun: UInt32 = 0xC000_0409
    public static let invalidLevel: UInt32 = 0xC000_0148
    public static let unhandledExceptionContinue: UInt32 = 0
    /// `DBG_PRINTEXCEPTION_C`: `OutputDebugStringA`.
    public static let debugPrint: UInt32 = 0x4001_0006
    /// `DBG_PRINTEXCEPTION_WIDE_C`: `OutputDebugStringW`.
    public static let debugPrintWide: UInt32 = 0x4001_000A
    /// `DBG_CONTROL_C`.
    public static let controlC: UInt32 = 0x4001_0005

    /// True for error statuses (severity 3).
    public static func isError(_ status: UInt32) -> Bool { status >> 30 == 3 }
}

/// A service's failure: the NTSTATUS it returns to the guest.
struct StatusError: Error, Equatable {
    var status: UInt32
    init(_ status: UInt32) { self.status = status }
}
