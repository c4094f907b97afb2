/// One Breakpad `STACK WIN` record: MSVC's x86 frame description for a code range
/// (from the PDB's FPO data or frame data).
///
/// `STACK WIN type rva code_size prolog_size epilog_size parameter_size saved_register_size
/// local_size max_stack_size has_program_string program_string_or_allocates_base_pointer`
/// (all numbers hex).
public struct WindowsFrameInfo: Sendable, Hashable {
    /// The kind of record (DIA's `StackFrameTypeEnum`). Breakpad uses only `.fpo` and
    /// `.frameData` for unwinding and prefers `.frameData` when both cover an address.
    public enum FrameType: UInt8, Sendable, Hashable {
        case fpo = 0
        case trap = 1
        case tss = 2
        case standard = 3
        case frameData = 4
    }

    public var type: FrameType
    public var rva: UInt64
    public var codeSize: UInt64
    public var prologSize: UInt32
    public var epilogSize: UInt32
    /// Bytes of parameters the function's caller pushed.
    public var parameterSize: UInt32
    public var savedRegisterSize: UInt32
    public var localSize: UInt32
    public var maxStackSize: UInt32
    /// The postfix program computing the caller's registers, when the record has one.
    public var programString: String?
    /// For records without a program: the function keeps using `ebp` for its own purposes
    /// and saved the caller's `ebp` in its saved-register area.
    public var allocatesBasePointer: Bool

    public init(
        type: FrameType, rva: UInt64, codeSize: UInt64, prologSize: UInt32 = 0,
        epilogSize: UInt32 = 0, parameterSize: UInt32 = 0, savedRegisterSize: UInt32 = 0,
        localSize: UInt32 = 0, maxStackSize: UInt32 = 0, programString: String? = nil,
        allocatesBasePointer: Bool = false
    ) {
        self.type = type
        self.rva = rva
        self.codeSize = codeSize
        self.prologSize = prologSize
        self.epilogSize = epilogSize
        self.parameterSize = parameterSize
        self.savedRegisterSize = savedRegisterSize
        self.localSize = localSize
        self.maxStackSize = maxStackSize
        self.programString = programString
        self.allocatesBasePointer = allocatesBasePointer
    }
}
