import DumpFormat
import Engine

/// Converts a dump's CPU context to the engine's register set: the general-purpose, control,
/// flags and segment registers (integer-sized ones), under the engine's canonical names.
enum ContextConversion {
    static func machine(_ architecture: CPUContext.Architecture) -> Machine {
        switch architecture {
        case .x86: .x86
        case .amd64: .amd64
        case .arm: .arm
        case .arm64: .arm64
        }
    }

    /// Integer registers the engine shows and unwinds with, per architecture.
    static func wanted(_ machine: Machine) -> [String] {
        switch machine {
        case .amd64:
            ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"] + (8...15).map { "r\($0)" }
                + ["rip", "efl", "cs", "ss", "ds", "es", "fs", "gs"]
                + (0...7).map { "dr\($0)" }
        case .x86:
            [
                "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "efl", "cs", "ss",
                "ds",
                "es", "fs", "gs",
            ] + (0...7).map { "dr\($0)" }
        case .arm64:
            (0...28).map { "x\($0)" } + ["fp", "lr", "sp", "pc", "cpsr"]
        case .arm:
            (0...12).map { "r\($0)" } + ["sp", "lr", "pc", "cpsr"]
        }
    }

    static func registerSet(_ context: CPUContext) -> RegisterSet {
        let machine = machine(context.architecture)
        var registers: [Engine.Register] = []
        for name in wanted(machine) {
            guard let register = context.register(named: name), register.bitWidth <= 64 else {
                continue
            }
            registers.append(Engine.Register(name, register.value64, bits: register.bitWidth))
        }
        return RegisterSet(
            machine: machine, registers: registers, floatingPoint: floatingPoint(context))
    }

    /// The x87 and SSE state of an x86 or x64 context whose flags say it was saved.
    static func floatingPoint(_ context: CPUContext) -> FloatingPointState? {
        guard context.architecture == .x86 || context.architecture == .amd64,
            context.isValid(.floatingPoint)
        else { return nil }
        func value(_ name: String) -> UInt128 { context.register(named: name)?.value ?? 0 }
        func bits64(_ name: String) -> UInt64 { UInt64(truncatingIfNeeded: value(name)) }
        let stack = (0..<8).map { value("st\($0)") }
        let statusWord = UInt16(truncatingIfNeeded: bits64("fpsw"))
        let hasSSE = context.architecture == .amd64 || context.isValid(.extended)
        let xmmCount = context.architecture == .amd64 ? 16 : 8
        let tagWord: UInt16
        let selector: UInt64
        let opcode: UInt16
        if context.architecture == .amd64 {
            // FXSAVE: an abridged tag byte and a separate opcode field.
            tagWord = FloatingPointState.fullTagWord(
                abridged: UInt8(truncatingIfNeeded: bits64("fptw")), statusWord: statusWord,
                stack: stack)
            selector = bits64("fperrsel")
            opcode = UInt16(truncatingIfNeeded: bits64("fpop"))
        } else {
            // FLOATING_SAVE_AREA: the full tag word; the opcode shares ErrorSelector's top half.
            tagWord = UInt16(truncatingIfNeeded: bits64("fptw"))
            selector = bits64("fperrsel") & 0xFFFF
            opcode = UInt16(truncatingIfNeeded: bits64("fperrsel") >> 16) & 0x7FF
        }
        return FloatingPointState(
            controlWord: UInt16(truncatingIfNeeded: bits64("fpcw")), statusWord: statusWord,
            tagWord: tagWord, opcode: opcode,
            instructionSelector: UInt16(truncatingIfNeeded: selector),
            instructionOffset: UInt32(truncatingIfNeeded: bits64("fperroff")),
            dataSelector: UInt16(truncatingIfNeeded: bits64("fpdatasel")),
            dataOffset: UInt32(truncatingIfNeeded: bits64("fpdataoff")), stack: stack,
            mxcsr: hasSSE ? UInt32(truncatingIfNeeded: bits64("mxcsr")) : nil,
            xmm: hasSSE ? (0..<xmmCount).map { value("xmm\($0)") } : [],
            ymmHigh: ymmHigh(context, count: xmmCount))
    }

    /// YMM upper halves from the context's XSAVE area (`ymm0h`...), when it has the AVX
    /// feature for every XMM register.
    static func ymmHigh(_ context: CPUContext, count: Int) -> [UInt128] {
        let values = (0..<count).compactMap { context.register(named: "ymm\($0)h")?.value }
        return values.count == count ? values : []
    }
}
