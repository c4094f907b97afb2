/// The CPU a stack belongs to.
public enum CPUArchitecture: Sendable, Equatable, CaseIterable {
    case x86
    case amd64
    case arm
    case arm64

    /// Bytes in a pointer (and a stack slot).
    public var pointerSize: Int {
        switch self {
        case .x86, .arm: return 4
        case .amd64, .arm64: return 8
        }
    }

    /// Number of entries in a `RegisterContext` of this architecture.
    var registerCount: Int {
        switch self {
        case .x86: return X86Register.allCases.count
        case .amd64: return AMD64Register.allCases.count
        case .arm: return ARMRegister.allCases.count
        case .arm64: return ARM64Register.allCases.count
        }
    }

    /// The largest address a pointer can hold.
    var maximumAddress: UInt64 { pointerSize == 4 ? UInt64(UInt32.max) : UInt64.max }
}

/// A register of one architecture; the raw value indexes `RegisterContext`.
public protocol RegisterName: RawRepresentable<Int>, CaseIterable, Sendable, Hashable {
    static var architecture: CPUArchitecture { get }
    /// The lower-case name CDB prints (`rax`, `r12`, `fp`).
    var name: String { get }
}

/// x64 registers; the first sixteen are in the order of their encoding (rax = 0, r15 = 15),
/// which is also the numbering UNWIND_CODE uses.
public enum AMD64Register: Int, RegisterName {
    case rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15, rip, eflags
    public static var architecture: CPUArchitecture { .amd64 }
    public var name: String { "\(self)" }
    /// Preserved across calls by the Windows x64 ABI.
    public static let nonvolatile: [AMD64Register] = [
        .rbx, .rbp, .rsi, .rdi, .r12, .r13, .r14, .r15,
    ]
}

/// x86 registers in encoding order (eax = 0 ... edi = 7).
public enum X86Register: Int, RegisterName {
    case eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags
    public static var architecture: CPUArchitecture { .x86 }
    public var name: String { "\(self)" }
    public static let nonvolatile: [X86Register] = [.ebx, .ebp, .esi, .edi]
}

/// ARM64 registers: x0-x28, fp (x29), lr (x30), sp, pc.
public enum ARM64Register: Int, RegisterName {
    case x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18
    case x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, fp, lr, sp, pc
    public static var architecture: CPUArchitecture { .arm64 }
    public var name: String { "\(self)" }
    public static let nonvolatile: [ARM64Register] = [
        .x19, .x20, .x21, .x22, .x23, .x24, .x25, .x26, .x27, .x28, .fp,
    ]
}

/// ARM (32-bit) registers: r0-r12, sp (r13), lr (r14), pc (r15).
public enum ARMRegister: Int, RegisterName {
    case r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, sp, lr, pc, cpsr
    public static var architecture: CPUArchitecture { .arm }
    public var name: String { "\(self)" }
    public static let nonvolatile: [ARMRegister] = [.r4, .r5, .r6, .r7, .r8, .r9, .r10, .r11]
}

/// Register values of one frame. A register is either known (a value) or unknown (nil); the
/// unwinder only reports registers it could recover, so for caller frames volatile registers
/// are usually unknown.
public struct RegisterContext: Sendable, Equatable {
    public let architecture: CPUArchitecture
    private var values: [UInt64]
    private var known: UInt64 = 0
    /// x64 XMM registers that are known (index 0...15 to its 128-bit value).
    public var xmm: [Int: UInt128] = [:]

    /// An empty context (every register unknown).
    public init(architecture: CPUArchitecture) {
        self.architecture = architecture
        values = Array(repeating: 0, count: architecture.registerCount)
    }

    /// The value of `register`, or nil when unknown (or of another architecture). Setting nil
    /// marks it unknown; 32-bit architectures truncate.
    public subscript<R: RegisterName>(_ register: R) -> UInt64? {
        get { R.architecture == architecture ? value(at: register.rawValue) : nil }
        set {
            guard R.architecture == architecture else { return }
            setValue(newValue, at: register.rawValue)
        }
    }

    /// The value at a raw register index of this architecture.
    public func value(at index: Int) -> UInt64? {
        guard index >= 0, index < values.count, known & (1 << UInt64(index)) != 0 else {
            return nil
        }
        return values[index]
    }

    /// Sets (or, with nil, forgets) the value at a raw register index.
    public mutating func setValue(_ value: UInt64?, at index: Int) {
        guard index >= 0, index < values.count else { return }
        if let value {
            values[index] = architecture.pointerSize == 4 ? value & 0xFFFF_FFFF : value
            known |= 1 << UInt64(index)
        } else {
            values[index] = 0
            known &= ~(1 << UInt64(index))
        }
    }

    /// Names and values of the known registers, in register order (for `.frame /r`).
    public var knownRegisters: [(name: String, value: UInt64)] {
        registerNames.enumerated().compactMap { index, name in
            value(at: index).map { (name, $0) }
        }
    }

    /// Every register name of this architecture, in index order.
    public var registerNames: [String] {
        switch architecture {
        case .x86: return X86Register.allCases.map(\.name)
        case .amd64: return AMD64Register.allCases.map(\.name)
        case .arm: return ARMRegister.allCases.map(\.name)
        case .arm64: return ARM64Register.allCases.map(\.name)
        }
    }

    /// The value of the register called `name` (`rbx`, `x19`), or nil.
    public func value(named name: String) -> UInt64? {
        registerNames.firstIndex(of: name.lowercased()).flatMap { value(at: $0) }
    }

    // MARK: Architecture-neutral roles

    var instructionPointerIndex: Int {
        switch architecture {
        case .x86: return X86Register.eip.rawValue
        case .amd64: return AMD64Register.rip.rawValue
        case .arm: return ARMRegister.pc.rawValue
        case .arm64: return ARM64Register.pc.rawValue
        }
    }

    var stackPointerIndex: Int {
        switch architecture {
        case .x86: return X86Register.esp.rawValue
        case .amd64: return AMD64Register.rsp.rawValue
        case .arm: return ARMRegister.sp.rawValue
        case .arm64: return ARM64Register.sp.rawValue
        }
    }

    /// The conventional frame pointer: ebp, rbp, fp (x29); r11 on ARM (Windows; the walker can
    /// be told to use r7).
    var framePointerIndex: Int {
        switch architecture {
        case .x86: return X86Register.ebp.rawValue
        case .amd64: return AMD64Register.rbp.rawValue
        case .arm: return ARMRegister.r11.rawValue
        case .arm64: return ARM64Register.fp.rawValue
        }
    }

    /// eip / rip / pc.
    public var instructionPointer: UInt64? {
        get { value(at: instructionPointerIndex) }
        set { setValue(newValue, at: instructionPointerIndex) }
    }

    /// esp / rsp / sp.
    public var stackPointer: UInt64? {
        get { value(at: stackPointerIndex) }
        set { setValue(newValue, at: stackPointerIndex) }
    }

    /// ebp / rbp / fp / r11.
    public var framePointer: UInt64? {
        get { value(at: framePointerIndex) }
        set { setValue(newValue, at: framePointerIndex) }
    }

    /// Raw indices of the registers a callee must preserve.
    var nonvolatileIndices: [Int] {
        switch architecture {
        case .x86: return X86Register.nonvolatile.map(\.rawValue)
        case .amd64: return AMD64Register.nonvolatile.map(\.rawValue)
        case .arm: return ARMRegister.nonvolatile.map(\.rawValue)
        case .arm64: return ARM64Register.nonvolatile.map(\.rawValue)
        }
    }

    /// A copy keeping only the nonvolatile registers (and the XMM6-15 on x64): what a caller
    /// can rely on when nothing says the callee changed them.
    func preservedAcrossCall() -> RegisterContext {
        var copy = RegisterContext(architecture: architecture)
        for index in nonvolatileIndices { copy.setValue(value(at: index), at: index) }
        copy.xmm = xmm.filter { $0.key >= 6 }
        return copy
    }
}
