/// Where each register lives in one architecture's context record. The same table drives
/// decoding (`ContextDecoder`) and encoding (`MinidumpBuilder`), so they cannot disagree.
struct ContextLayout: Sendable {
    struct Slot: Sendable {
        let name: String
        let offset: Int
        let bitWidth: Int
        let group: RegisterGroup
    }

    struct Alias: Sendable {
        let base: String
        let shift: Int
        let bitWidth: Int
    }

    let architecture: CPUContext.Architecture
    let isBreakpadOld: Bool
    /// Size of the fixed record.
    let size: Int
    /// Offset and width (4 or 8 bytes) of `ContextFlags`.
    let flagsOffset: Int
    let flagsWidth: Int
    /// The CPU-type bit(s) in `ContextFlags` (`CONTEXT_AMD64` = 0x100000, …).
    let cpuFlag: UInt64
    /// `ContextFlags` bits for each register group (pairs, not a dictionary: a dictionary
    /// keyed by a new type costs the runtime a scan of every conformance at start-up).
    let groupFlags: KeyValuePairs<RegisterGroup, UInt64>
    let slots: [Slot]
    let instructionPointer: String
    let stackPointer: String
    let framePointer: String
    let flagsRegister: String
    let aliases: [String: Alias]

    func alias(_ name: String) -> Alias? { aliases[name] }

    func isValid(_ group: RegisterGroup, flags: UInt64) -> Bool {
        let groupBits = groupFlags.reduce(0) { $0 | $1.value }
        if flags & groupBits == 0 { return true }
        guard let bit = groupFlags.first(where: { $0.key == group })?.value else { return true }
        return flags & bit != 0
    }

    /// The layout for a context found in a dump whose SystemInfo says `architecture`, picked
    /// by the CPU bits of the flags word and the size; nil when nothing fits.
    static func detect(bytes: [UInt8], architecture: ProcessorArchitecture?) -> ContextLayout? {
        func u32(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                | UInt32(bytes[at + 3]) << 24
        }
        func matches(_ layout: ContextLayout) -> Bool {
            guard bytes.count >= layout.size, let flags = u32(layout.flagsOffset) else {
                return false
            }
            return UInt64(flags) & layout.cpuFlag == layout.cpuFlag
        }
        let candidates: [ContextLayout]
        switch architecture {
        case .some(.intel), .some(.ia32OnWin64), .some(.ia32OnArm64): candidates = [.x86]
        // A WOW64 exception in 32-bit code keeps its x86 context in a 64-bit dump.
        case .some(.amd64): candidates = [.amd64, .x86]
        case .some(.arm64): candidates = [.arm64, .arm64Old]
        case .some(.arm64Old): candidates = [.arm64Old, .arm64]
        case .some(.arm), .some(.arm32OnWin64): candidates = [.armWindows, .armBreakpad]
        default: candidates = [.amd64, .x86, .arm64, .arm64Old, .armWindows, .armBreakpad]
        }
        if let match = candidates.first(where: matches) { return match }
        // Some writers leave the CPU bits out of ContextFlags: fall back on the size for the
        // architecture SystemInfo names.
        if architecture != nil, let first = candidates.first, bytes.count >= first.size {
            return first
        }
        return nil
    }
}

// MARK: - Tables

extension ContextLayout {
    private static func slots(
        _ names: [String], offset: Int, stride: Int, bits: Int, group: RegisterGroup
    ) -> [Slot] {
        names.enumerated().map { index, name in
            Slot(name: name, offset: offset + index * stride, bitWidth: bits, group: group)
        }
    }

    private static func numbered(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix)\($0)" }
    }

    /// `eax`/`ax`/`al`/`ah`-style aliases for a 32- or 64-bit register file.
    private static func x86Aliases(wide: Bool) -> [String: Alias] {
        var result: [String: Alias] = [:]
        let prefix = wide ? "r" : "e"
        for letter in ["a", "b", "c", "d"] {
            let base = prefix + letter + "x"
            if wide { result["e\(letter)x"] = Alias(base: base, shift: 0, bitWidth: 32) }
            result["\(letter)x"] = Alias(base: base, shift: 0, bitWidth: 16)
            result["\(letter)l"] = Alias(base: base, shift: 0, bitWidth: 8)
            result["\(letter)h"] = Alias(base: base, shift: 8, bitWidth: 8)
        }
        for name in ["si", "di", "bp", "sp", "ip"] {
            let base = prefix + name
            if wide { result["e\(name)"] = Alias(base: base, shift: 0, bitWidth: 32) }
            result[name] = Alias(base: base, shift: 0, bitWidth: 16)
            if name != "ip" { result["\(name)l"] = Alias(base: base, shift: 0, bitWidth: 8) }
        }
        if wide {
            for n in 8...15 {
                result["r\(n)d"] = Alias(base: "r\(n)", shift: 0, bitWidth: 32)
                result["r\(n)w"] = Alias(base: "r\(n)", shift: 0, bitWidth: 16)
                result["r\(n)b"] = Alias(base: "r\(n)", shift: 0, bitWidth: 8)
            }
            result["rflags"] = Alias(base: "efl", shift: 0, bitWidth: 32)
        }
        result["eflags"] = Alias(base: "efl", shift: 0, bitWidth: 32)
        return result
    }

    static let x86: ContextLayout = {
        var s: [Slot] = []
        s += [
            Slot(name: "eax", offset: 176, bitWidth: 32, group: .integer),
            Slot(name: "ebx", offset: 164, bitWidth: 32, group: .integer),
            Slot(name: "ecx", offset: 172, bitWidth: 32, group: .integer),
            Slot(name: "edx", offset: 168, bitWidth: 32, group: .integer),
            Slot(name: "esi", offset: 160, bitWidth: 32, group: .integer),
            Slot(name: "edi", offset: 156, bitWidth: 32, group: .integer),
            Slot(name: "eip", offset: 184, bitWidth: 32, group: .control),
            Slot(name: "esp", offset: 196, bitWidth: 32, group: .control),
            Slot(name: "ebp", offset: 180, bitWidth: 32, group: .control),
            Slot(name: "efl", offset: 192, bitWidth: 32, group: .control),
            Slot(name: "cs", offset: 188, bitWidth: 16, group: .control),
            Slot(name: "ss", offset: 200, bitWidth: 16, group: .control),
            Slot(name: "ds", offset: 152, bitWidth: 16, group: .segments),
            Slot(name: "es", offset: 148, bitWidth: 16, group: .segments),
            Slot(name: "fs", offset: 144, bitWidth: 16, group: .segments),
            Slot(name: "gs", offset: 140, bitWidth: 16, group: .segments),
        ]
        s += slots(
            ["dr0", "dr1", "dr2", "dr3", "dr6", "dr7"], offset: 4, stride: 4, bits: 32,
            group: .debug)
        s += slots(
            ["fpcw", "fpsw", "fptw", "fperroff", "fperrsel", "fpdataoff", "fpdatasel"], offset: 28,
            stride: 4, bits: 32, group: .floatingPoint)
        s += slots(numbered("st", 8), offset: 56, stride: 10, bits: 80, group: .floatingPoint)
        s.append(Slot(name: "cr0npxstate", offset: 136, bitWidth: 32, group: .floatingPoint))
        // ExtendedRegisters (at 204) is an FXSAVE image: MXCSR at +24, XMM0-7 at +160.
        s.append(Slot(name: "mxcsr", offset: 228, bitWidth: 32, group: .extended))
        s += slots(numbered("xmm", 8), offset: 364, stride: 16, bits: 128, group: .extended)
        return ContextLayout(
            architecture: .x86, isBreakpadOld: false, size: 716, flagsOffset: 0, flagsWidth: 4,
            cpuFlag: 0x10000,
            groupFlags: [
                .control: 1, .integer: 2, .segments: 4, .floatingPoint: 8, .debug: 0x10,
                .extended: 0x20, .xstate: 0x40,
            ],
            slots: s, instructionPointer: "eip", stackPointer: "esp", framePointer: "ebp",
            flagsRegister: "efl", aliases: x86Aliases(wide: false))
    }()

    static let amd64: ContextLayout = {
        var s: [Slot] = []
        let gpr: [(String, Int)] = [
            ("rax", 120), ("rbx", 144), ("rcx", 128), ("rdx", 136), ("rsi", 168), ("rdi", 176),
        ]
        s += gpr.map { Slot(name: $0.0, offset: $0.1, bitWidth: 64, group: .integer) }
        s.append(Slot(name: "rip", offset: 248, bitWidth: 64, group: .control))
        s.append(Slot(name: "rsp", offset: 152, bitWidth: 64, group: .control))
        s.append(Slot(name: "rbp", offset: 160, bitWidth: 64, group: .integer))
        s += slots((8...15).map { "r\($0)" }, offset: 184, stride: 8, bits: 64, group: .integer)
        s += [
            Slot(name: "efl", offset: 68, bitWidth: 32, group: .control),
            Slot(name: "cs", offset: 56, bitWidth: 16, group: .control),
            Slot(name: "ss", offset: 66, bitWidth: 16, group: .control),
            Slot(name: "ds", offset: 58, bitWidth: 16, group: .segments),
            Slot(name: "es", offset: 60, bitWidth: 16, group: .segments),
            Slot(name: "fs", offset: 62, bitWidth: 16, group: .segments),
            Slot(name: "gs", offset: 64, bitWidth: 16, group: .segments),
            Slot(name: "mxcsr", offset: 52, bitWidth: 32, group: .floatingPoint),
        ]
        s += slots(
            ["dr0", "dr1", "dr2", "dr3", "dr6", "dr7"], offset: 72, stride: 8, bits: 64,
            group: .debug)
        // FltSave (at 256) is an XMM_SAVE_AREA32 (FXSAVE image).
        s += [
            Slot(name: "fpcw", offset: 256, bitWidth: 16, group: .floatingPoint),
            Slot(name: "fpsw", offset: 258, bitWidth: 16, group: .floatingPoint),
            Slot(name: "fptw", offset: 260, bitWidth: 8, group: .floatingPoint),
            Slot(name: "fpop", offset: 262, bitWidth: 16, group: .floatingPoint),
            Slot(name: "fperroff", offset: 264, bitWidth: 32, group: .floatingPoint),
            Slot(name: "fperrsel", offset: 268, bitWidth: 16, group: .floatingPoint),
            Slot(name: "fpdataoff", offset: 272, bitWidth: 32, group: .floatingPoint),
            Slot(name: "fpdatasel", offset: 276, bitWidth: 16, group: .floatingPoint),
        ]
        s += slots(numbered("st", 8), offset: 288, stride: 16, bits: 80, group: .floatingPoint)
        s += slots(numbered("xmm", 16), offset: 416, stride: 16, bits: 128, group: .floatingPoint)
        s += [
            Slot(name: "vectorcontrol", offset: 1184, bitWidth: 64, group: .debug),
            Slot(name: "debugcontrol", offset: 1192, bitWidth: 64, group: .debug),
            Slot(name: "lastbranchtorip", offset: 1200, bitWidth: 64, group: .debug),
            Slot(name: "lastbranchfromrip", offset: 1208, bitWidth: 64, group: .debug),
            Slot(name: "lastexceptiontorip", offset: 1216, bitWidth: 64, group: .debug),
            Slot(name: "lastexceptionfromrip", offset: 1224, bitWidth: 64, group: .debug),
        ]
        return ContextLayout(
            architecture: .amd64, isBreakpadOld: false, size: 1232, flagsOffset: 48, flagsWidth: 4,
            cpuFlag: 0x100000,
            groupFlags: [
                .control: 1, .integer: 2, .segments: 4, .floatingPoint: 8, .debug: 0x10,
                .xstate: 0x40,
            ],
            slots: s, instructionPointer: "rip", stackPointer: "rsp", framePointer: "rbp",
            flagsRegister: "efl", aliases: x86Aliases(wide: true))
    }()

    private static func arm64Aliases() -> [String: Alias] {
        var result: [String: Alias] = [
            "x29": Alias(base: "fp", shift: 0, bitWidth: 64),
            "x30": Alias(base: "lr", shift: 0, bitWidth: 64),
            "w29": Alias(base: "fp", shift: 0, bitWidth: 32),
            "w30": Alias(base: "lr", shift: 0, bitWidth: 32),
            "wsp": Alias(base: "sp", shift: 0, bitWidth: 32),
            "psr": Alias(base: "cpsr", shift: 0, bitWidth: 32),
        ]
        for n in 0...28 { result["w\(n)"] = Alias(base: "x\(n)", shift: 0, bitWidth: 32) }
        for n in 0...31 {
            result["d\(n)"] = Alias(base: "v\(n)", shift: 0, bitWidth: 64)
            result["s\(n)"] = Alias(base: "v\(n)", shift: 0, bitWidth: 32)
            result["q\(n)"] = Alias(base: "v\(n)", shift: 0, bitWidth: 128)
        }
        return result
    }

    static let arm64: ContextLayout = {
        var s = slots(numbered("x", 29), offset: 8, stride: 8, bits: 64, group: .integer)
        s += [
            Slot(name: "fp", offset: 240, bitWidth: 64, group: .control),
            Slot(name: "lr", offset: 248, bitWidth: 64, group: .control),
            Slot(name: "sp", offset: 256, bitWidth: 64, group: .control),
            Slot(name: "pc", offset: 264, bitWidth: 64, group: .control),
            Slot(name: "cpsr", offset: 4, bitWidth: 32, group: .control),
        ]
        s += slots(numbered("v", 32), offset: 272, stride: 16, bits: 128, group: .floatingPoint)
        s += [
            Slot(name: "fpcr", offset: 784, bitWidth: 32, group: .floatingPoint),
            Slot(name: "fpsr", offset: 788, bitWidth: 32, group: .floatingPoint),
        ]
        s += slots(numbered("bcr", 8), offset: 792, stride: 4, bits: 32, group: .debug)
        s += slots(numbered("bvr", 8), offset: 824, stride: 8, bits: 64, group: .debug)
        s += slots(numbered("wcr", 2), offset: 888, stride: 4, bits: 32, group: .debug)
        s += slots(numbered("wvr", 2), offset: 896, stride: 8, bits: 64, group: .debug)
        return ContextLayout(
            architecture: .arm64, isBreakpadOld: false, size: 912, flagsOffset: 0, flagsWidth: 4,
            cpuFlag: 0x400000,
            groupFlags: [.control: 1, .integer: 2, .floatingPoint: 4, .debug: 8],
            slots: s, instructionPointer: "pc", stackPointer: "sp", framePointer: "fp",
            flagsRegister: "cpsr", aliases: arm64Aliases())
    }()

    /// Breakpad's `MDRawContextARM64_Old` (packed to 4): 64-bit flags, x0–x30, sp, pc, cpsr,
    /// fpsr, fpcr, v0–v31.
    static let arm64Old: ContextLayout = {
        var s = slots(numbered("x", 29), offset: 8, stride: 8, bits: 64, group: .integer)
        s += [
            Slot(name: "fp", offset: 240, bitWidth: 64, group: .integer),
            Slot(name: "lr", offset: 248, bitWidth: 64, group: .integer),
            Slot(name: "sp", offset: 256, bitWidth: 64, group: .integer),
            Slot(name: "pc", offset: 264, bitWidth: 64, group: .integer),
            Slot(name: "cpsr", offset: 272, bitWidth: 32, group: .integer),
            Slot(name: "fpsr", offset: 276, bitWidth: 32, group: .floatingPoint),
            Slot(name: "fpcr", offset: 280, bitWidth: 32, group: .floatingPoint),
        ]
        s += slots(numbered("v", 32), offset: 284, stride: 16, bits: 128, group: .floatingPoint)
        return ContextLayout(
            architecture: .arm64, isBreakpadOld: true, size: 796, flagsOffset: 0, flagsWidth: 8,
            cpuFlag: 0x8000_0000,
            groupFlags: [.integer: 2, .floatingPoint: 4],
            slots: s, instructionPointer: "pc", stackPointer: "sp", framePointer: "fp",
            flagsRegister: "cpsr", aliases: arm64Aliases())
    }()

    private static func armSlots(debug: Bool) -> [Slot] {
        var s = slots(numbered("r", 13), offset: 4, stride: 4, bits: 32, group: .integer)
        s += [
            Slot(name: "sp", offset: 56, bitWidth: 32, group: .control),
            Slot(name: "lr", offset: 60, bitWidth: 32, group: .control),
            Slot(name: "pc", offset: 64, bitWidth: 32, group: .control),
            Slot(name: "cpsr", offset: 68, bitWidth: 32, group: .control),
            Slot(name: "fpscr", offset: 72, bitWidth: 32, group: .floatingPoint),
        ]
        s += slots(numbered("d", 32), offset: 80, stride: 8, bits: 64, group: .floatingPoint)
        if debug {
            s += slots(numbered("bvr", 8), offset: 336, stride: 4, bits: 32, group: .debug)
            s += slots(numbered("bcr", 8), offset: 368, stride: 4, bits: 32, group: .debug)
            s += [
                Slot(name: "wvr0", offset: 400, bitWidth: 32, group: .debug),
                Slot(name: "wcr0", offset: 404, bitWidth: 32, group: .debug),
            ]
        }
        return s
    }

    private static let armAliases: [String: Alias] = [
        "fp": Alias(base: "r11", shift: 0, bitWidth: 32),
        "ip": Alias(base: "r12", shift: 0, bitWidth: 32),
        "r13": Alias(base: "sp", shift: 0, bitWidth: 32),
        "r14": Alias(base: "lr", shift: 0, bitWidth: 32),
        "r15": Alias(base: "pc", shift: 0, bitWidth: 32),
        "psr": Alias(base: "cpsr", shift: 0, bitWidth: 32),
    ]

    /// Windows `CONTEXT` for ARM (416 bytes, `CONTEXT_ARM` = 0x200000).
    static let armWindows = ContextLayout(
        architecture: .arm, isBreakpadOld: false, size: 416, flagsOffset: 0, flagsWidth: 4,
        cpuFlag: 0x200000, groupFlags: [.control: 1, .integer: 2, .floatingPoint: 4, .debug: 8],
        slots: armSlots(debug: true), instructionPointer: "pc", stackPointer: "sp",
        framePointer: "r11", flagsRegister: "cpsr", aliases: armAliases)

    /// Breakpad's `MDRawContextARM` (368 bytes, flag 0x40000000): same register offsets,
    /// a 64-bit fpscr and no debug registers.
    static let armBreakpad = ContextLayout(
        architecture: .arm, isBreakpadOld: false, size: 368, flagsOffset: 0, flagsWidth: 4,
        cpuFlag: 0x4000_0000, groupFlags: [.integer: 2, .floatingPoint: 4],
        slots: armSlots(debug: false), instructionPointer: "pc", stackPointer: "sp",
        framePointer: "r11", flagsRegister: "cpsr", aliases: armAliases)
}
