import Unwind

/// Moves registers between the engine's `RegisterSet` and the unwinder's `RegisterContext`.
enum RegisterConversion {
    static func architecture(_ machine: Machine) -> CPUArchitecture {
        switch machine {
        case .x86: .x86
        case .amd64: .amd64
        case .arm: .arm
        case .arm64: .arm64
        }
    }

    /// The unwinder calls the flags register `eflags`; the engine, like CDB, `efl`.
    static func unwindName(_ name: String) -> String { name == "efl" ? "eflags" : name }
    static func engineName(_ name: String) -> String { name == "eflags" ? "efl" : name }

    static func context(from set: RegisterSet) -> RegisterContext {
        var context = RegisterContext(architecture: architecture(set.machine))
        let names = context.registerNames
        for register in set.registers {
            if let index = names.firstIndex(of: unwindName(register.name)) {
                context.setValue(register.value, at: index)
            }
        }
        return context
    }

    /// The known registers of a frame as a `RegisterSet` (unknown ones left out).
    static func registerSet(from context: RegisterContext, machine: Machine) -> RegisterSet {
        let bits = machine.pointerSize * 8
        return RegisterSet(
            machine: machine,
            registers: context.knownRegisters.map {
                Register(engineName($0.name), $0.value, bits: $0.name == "eflags" ? 32 : bits)
            })
    }

    /// Known registers by bare name, for Breakpad rule evaluation.
    static func dictionary(_ context: RegisterContext) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for (name, value) in context.knownRegisters { values[name] = value }
        return values
    }
}
