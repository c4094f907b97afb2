/// A thread's CPU state from a dump: the architecture, the raw `ContextFlags`, and an ordered
/// list of named registers with widths and values, so a debugger can print `r` and look
/// registers up by name (`rax`, `eax`, `x0`, `w0`, `cpsr`, …).
///
/// Decoded layouts: x86 `CONTEXT` (716 bytes, plus the `CONTEXT_EX`/XSAVE extension for AVX and
/// CET), amd64 `CONTEXT` (1232 bytes, plus XSAVE), ARM64 `CONTEXT` (912 bytes), Breakpad's old
/// ARM64 layout (788 bytes, arch `0x8003`), and ARM (Windows 416 bytes or Breakpad 368 bytes).
/// The raw bytes stay available in `rawBytes` (the legacy FP/XMM save area included).
public struct CPUContext: Sendable, Equatable {
    public enum Architecture: String, Sendable, Equatable {
        case x86, amd64, arm, arm64
    }

    public let architecture: Architecture
    /// `ContextFlags` as stored (64-bit for Breakpad's old ARM64 layout).
    public let contextFlags: UInt64
    /// Registers in the order a debugger prints them (general purpose first).
    public let registers: [Register]
    /// The context bytes as stored in the dump.
    public let rawBytes: [UInt8]
    /// True for Breakpad's pre-Windows ARM64 layout.
    public let isBreakpadOldLayout: Bool
    /// The XSAVE state after an x86/amd64 context with `CONTEXT_XSTATE`, when present.
    public let xstate: XStateArea?

    private let layout: ContextLayout

    init(
        layout: ContextLayout, contextFlags: UInt64, registers: [Register], rawBytes: [UInt8],
        xstate: XStateArea?
    ) {
        self.layout = layout
        self.architecture = layout.architecture
        self.contextFlags = contextFlags
        self.registers = registers
        self.rawBytes = rawBytes
        self.isBreakpadOldLayout = layout.isBreakpadOld
        self.xstate = xstate
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.architecture == b.architecture && a.contextFlags == b.contextFlags
            && a.registers == b.registers && a.rawBytes == b.rawBytes
    }

    /// 4 for x86 and ARM, 8 for amd64 and ARM64.
    public var pointerSize: Int { architecture == .x86 || architecture == .arm ? 4 : 8 }

    /// `eip`/`rip`/`pc`.
    public var instructionPointer: UInt64 { value(layout.instructionPointer) }
    /// `esp`/`rsp`/`sp`.
    public var stackPointer: UInt64 { value(layout.stackPointer) }
    /// `ebp`/`rbp`/`fp` (x29)/`r11`.
    public var framePointer: UInt64 { value(layout.framePointer) }
    /// `efl`/`cpsr`.
    public var flags: UInt64 { value(layout.flagsRegister) }

    /// Whether a register group was saved, per `ContextFlags`. When the flags carry no group
    /// bits at all (some writers leave them zero) every group is reported valid.
    public func isValid(_ group: RegisterGroup) -> Bool {
        layout.isValid(group, flags: contextFlags)
    }

    private func value(_ name: String) -> UInt64 {
        register(named: name)?.value64 ?? 0
    }

    /// Looks up a register by name, case-insensitively, including sub-registers and aliases:
    /// `eax`/`ax`/`al`/`ah` of `rax`, `r8d`/`r8w`/`r8b`, `w0` of `x0`, `x29`/`x30` for `fp`/`lr`,
    /// `eflags`/`rflags` for `efl`, `r13`–`r15` for ARM `sp`/`lr`/`pc`.
    public func register(named name: String) -> Register? {
        let key = name.lowercased()
        if let index = registers.firstIndex(where: { $0.name == key }) { return registers[index] }
        guard let alias = layout.alias(key) else { return nil }
        guard let full = registers.first(where: { $0.name == alias.base }) else { return nil }
        let shifted = full.value >> UInt128(alias.shift)
        let mask: UInt128 = alias.bitWidth >= 128 ? ~0 : (UInt128(1) << UInt128(alias.bitWidth)) - 1
        return Register(
            name: key, bitWidth: alias.bitWidth, value: shifted & mask, group: full.group,
            isValid: full.isValid)
    }
}

/// One register: its name as a debugger prints it, its width, and its value.
public struct Register: Sendable, Equatable {
    public let name: String
    public let bitWidth: Int
    /// The value, zero-extended (x87 registers are 80 bits, XMM/NEON 128).
    public let value: UInt128
    public let group: RegisterGroup
    /// False when the context's flags say this register's group was not saved.
    public let isValid: Bool

    public init(
        name: String, bitWidth: Int, value: UInt128, group: RegisterGroup, isValid: Bool = true
    ) {
        self.name = name
        self.bitWidth = bitWidth
        self.value = value
        self.group = group
        self.isValid = isValid
    }

    /// The low 64 bits.
    public var value64: UInt64 { UInt64(truncatingIfNeeded: value) }
}

/// Register groups as `ContextFlags` names them.
public enum RegisterGroup: String, Sendable, Equatable {
    /// Instruction and stack pointers, flags, code/stack segments (`CONTEXT_CONTROL`).
    case control
    /// General-purpose registers (`CONTEXT_INTEGER`).
    case integer
    /// `ds es fs gs` (`CONTEXT_SEGMENTS`).
    case segments
    /// x87/SSE/NEON state (`CONTEXT_FLOATING_POINT`).
    case floatingPoint
    /// Debug registers (`CONTEXT_DEBUG_REGISTERS`).
    case debug
    /// x86 `ExtendedRegisters` (FXSAVE: `mxcsr`, `xmm0`–`xmm7`).
    case extended
    /// Registers from the XSAVE area (`CONTEXT_XSTATE`: AVX upper halves, CET).
    case xstate
}

/// The XSAVE area that follows an x86/amd64 `CONTEXT` when `CONTEXT_XSTATE` is set.
public struct XStateArea: Sendable, Equatable {
    /// `XSTATE_BV`: features whose state is not the initial (zero) state.
    public var mask: UInt64
    /// `XCOMP_BV`: bit 63 set means the compacted format; other bits list the features stored.
    public var compactionMask: UInt64
    /// The area from the XSAVE header on (`CONTEXT_EX.XState`).
    public var bytes: [UInt8]
}
