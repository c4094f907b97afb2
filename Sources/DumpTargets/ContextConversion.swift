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
        return RegisterSet(machine: machine, registers: registers)
    }
}
