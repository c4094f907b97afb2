/// How an instruction changes the flow of execution.
public enum ControlFlow: Sendable, Hashable {
    /// Execution continues with the next instruction.
    case sequential
    /// A call (`call`, `bl`, `blr`, `blx`): execution returns to the next instruction.
    case call
    /// An unconditional jump (`jmp`, `b`, `br`, `bx reg`).
    case jump
    /// A conditional jump (`jcc`, `loop`, `jecxz`, `b.cond`, `cbz`, `tbz`, ...). ARM's
    /// conditional returns and indirect jumps (`bxlt lr`) are here too, without a target.
    case conditionalJump
    /// A return (`ret`, `iret`, ARM `bx lr` / `pop {..., pc}`).
    case `return`
    /// A software interrupt or system call (`int 3`, `int 2Eh`, `syscall`, `brk`, `svc`).
    case interrupt
}

/// Whether an instruction decoded, and if not, why.
public enum DecodeStatus: Sendable, Hashable {
    /// A valid instruction.
    case valid
    /// The bytes were readable but do not form a valid instruction (CDB prints `???`).
    case invalid
    /// The memory could not be read (CDB prints `??` bytes and `???`).
    case unreadable
}

/// A memory operand, with enough structure for the engine to compute its effective address.
public struct MemoryOperand: Sendable, Hashable {
    /// Segment register named by an override prefix (`fs`, `gs`, `es` on x86 string
    /// destinations, ...), or nil when the instruction uses the default segment.
    public var segmentOverride: String?
    /// The segment CDB names in the effective-address annotation: the override if any,
    /// else `ss` for stack-based addressing (`esp`/`ebp`/`rsp`/`rbp`), else `ds`. Nil on ARM.
    public var segment: String?
    /// Base register (`rbp`, `x19`), nil when absent. RIP-relative operands have base `rip`.
    public var base: String?
    /// Index register, nil when absent.
    public var index: String?
    /// Scale applied to the index (1, 2, 4 or 8).
    public var scale: Int
    /// Signed displacement.
    public var displacement: Int64
    /// Bytes read or written, when known (x86 always; nil on ARM).
    public var size: Int?
    /// The size keyword printed before `ptr` (`dword`, `xmmword`, ...), nil when CDB prints none
    /// (as for `lea`).
    public var sizeKeyword: String?
    /// Width of the address computation in bytes (4 on x86, 8 on x64 unless overridden by `67h`).
    public var addressSize: Int
    /// The absolute address of a RIP-relative or base-less, index-less operand.
    public var absoluteAddress: UInt64?
    /// False for operands that name an address without touching it (`lea`, multi-byte `nop`,
    /// `prefetch`): CDB shows no effective-address annotation for them.
    public var accessesMemory: Bool
    /// The instruction writes the operand (a store, or a read-modify-write such as `inc`);
    /// a fault on it is a write fault. From Capstone's access flags.
    public var isWritten: Bool

    /// True when the operand is relative to the instruction pointer.
    public var isRIPRelative: Bool { base == "rip" || base == "eip" || base == "pc" }

    init(
        segmentOverride: String?, segment: String?, base: String?, index: String?, scale: Int,
        displacement: Int64, size: Int?, sizeKeyword: String?, addressSize: Int,
        absoluteAddress: UInt64?, accessesMemory: Bool, isWritten: Bool = false
    ) {
        self.isWritten = isWritten
        self.segmentOverride = segmentOverride
        self.segment = segment
        self.base = base
        self.index = index
        self.scale = scale
        self.displacement = displacement
        self.size = size
        self.sizeKeyword = sizeKeyword
        self.addressSize = addressSize
        self.absoluteAddress = absoluteAddress
        self.accessesMemory = accessesMemory
    }
}

/// One operand, structured. The CDB text of the whole operand list is `Instruction.operands`.
public enum Operand: Sendable, Hashable {
    /// A register (`rax`, `xmm0`, `fp`).
    case register(String)
    /// An immediate, masked to the operand size (so `-1` as a dword is `0xFFFFFFFF`).
    /// `encodedSize` is the number of immediate bytes in the encoding (0 if unknown).
    case immediate(UInt64, size: Int, encodedSize: Int)
    /// A memory reference.
    case memory(MemoryOperand)
    /// The absolute target of a direct branch or call.
    case branchTarget(UInt64)
    /// A far pointer `selector:offset` (`jmp 0033:77c5271e`).
    case farPointer(selector: UInt16, offset: UInt64)
    /// Operand text kept as the decoder printed it (ARM operands, rare x86 forms).
    case text(String)
}

/// A decoded instruction with its CDB rendering and the facts the engine needs.
public struct Instruction: Sendable, Hashable {
    /// The architecture it was decoded for (decides address width and byte layout).
    public var architecture: Architecture
    /// Address of the first byte.
    public var address: UInt64
    /// The instruction's bytes (one byte for an undecodable x86 byte, empty when unreadable).
    public var bytes: [UInt8]
    /// Lowercase mnemonic in CDB style, with any prefix (`rep stos`, `lock cmpxchg`, `int`).
    /// `???` for invalid or unreadable memory.
    public var mnemonic: String
    /// Operands in CDB syntax (`dword ptr [rbp-10h]`, `ntdll!Foo (00007ffc`0f1d4961)`).
    public var operands: String
    /// The operands, structured.
    public var operandList: [Operand]
    /// How the instruction affects control flow.
    public var flow: ControlFlow
    /// Target of a direct branch or call, nil for indirect ones and for other instructions.
    public var branchTarget: UInt64?
    /// The first memory operand, if any.
    public var memoryOperand: MemoryOperand?
    /// Whether the bytes decoded.
    public var status: DecodeStatus
    /// Bytes the instruction occupies; for unreadable memory, the step to the next address
    /// (1 on x86, the instruction alignment on ARM).
    public var length: Int
    /// Address of the following instruction (wraps on 32-bit targets).
    public var nextAddress: UInt64 {
        (address &+ UInt64(length)) & architecture.addressMask
    }
    /// True for calls.
    public var isCall: Bool { flow == .call }
    /// True for returns.
    public var isReturn: Bool { flow == .return }
    /// True for jumps, conditional or not.
    public var isBranch: Bool { flow == .jump || flow == .conditionalJump }
    /// True for conditional jumps.
    public var isConditionalBranch: Bool { flow == .conditionalJump }
    /// True when the bytes were readable and decoded.
    public var isValid: Bool { status == .valid }

    init(
        architecture: Architecture, address: UInt64, bytes: [UInt8], mnemonic: String,
        operands: String = "", operandList: [Operand], flow: ControlFlow,
        branchTarget: UInt64?, memoryOperand: MemoryOperand?, status: DecodeStatus,
        length: Int? = nil
    ) {
        self.architecture = architecture
        self.address = address
        self.bytes = bytes
        self.mnemonic = mnemonic
        self.operands = operands
        self.operandList = operandList
        self.flow = flow
        self.branchTarget = branchTarget
        self.memoryOperand = memoryOperand
        self.status = status
        self.length = length ?? max(bytes.count, 1)
    }

    /// Bytes that do not decode: CDB shows them with `???` and moves on by the smallest step.
    static func invalid(_ architecture: Architecture, address: UInt64, bytes: [UInt8]) -> Self {
        Instruction(
            architecture: architecture, address: address, bytes: bytes, mnemonic: "???",
            operandList: [], flow: .sequential, branchTarget: nil, memoryOperand: nil,
            status: .invalid)
    }

    /// Memory that cannot be read: CDB prints `??` and `???`.
    static func unreadable(_ architecture: Architecture, address: UInt64) -> Self {
        Instruction(
            architecture: architecture, address: address, bytes: [], mnemonic: "???",
            operandList: [], flow: .sequential, branchTarget: nil, memoryOperand: nil,
            status: .unreadable, length: architecture.instructionAlignment)
    }
}
