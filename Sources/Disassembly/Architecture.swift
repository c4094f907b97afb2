/// The instruction sets the disassembler decodes.
public enum Architecture: String, Sendable, Hashable, CaseIterable {
    /// 32-bit x86 (i386 protected mode, as in WoW64 and 32-bit Windows).
    case x86
    /// x86-64 (AMD64) long mode.
    case x64
    /// AArch64 (A64 instruction set).
    case arm64
    /// 32-bit ARM, A32 instruction set.
    case arm
    /// 32-bit ARM, Thumb/Thumb-2 instruction set (what Windows on ARM32 runs).
    case thumb

    /// True when addresses are 64-bit and print backtick-split (`00007ffc`0f1d48fa`).
    public var is64Bit: Bool {
        switch self {
        case .x64, .arm64: true
        case .x86, .arm, .thumb: false
        }
    }

    /// Size of a pointer in bytes.
    public var pointerSize: Int { is64Bit ? 8 : 4 }

    /// True for the x86 family (x86 and x64).
    public var isX86Family: Bool { self == .x86 || self == .x64 }

    /// The longest instruction the architecture has, in bytes.
    public var maximumInstructionLength: Int {
        switch self {
        case .x86, .x64: 15
        case .arm64, .arm, .thumb: 4
        }
    }

    /// Every instruction starts at a multiple of this (1 on x86, 4 on A64/A32, 2 on Thumb).
    public var instructionAlignment: Int {
        switch self {
        case .x86, .x64: 1
        case .arm64, .arm: 4
        case .thumb: 2
        }
    }

    /// Mask applied to computed addresses (32-bit targets wrap at 4 GB).
    var addressMask: UInt64 { is64Bit ? UInt64.max : 0xFFFF_FFFF }
}
