import Disassembly

/// Disassembly of the target's code with the session's symbols: the disassembler for the
/// target's machine and the closures it reads memory, symbols and registers through.
struct CodeView {
    let state: DebuggerState
    let target: any Target
    let disassembler: Disassembler

    /// Nil when the machine's disassembler cannot be created (Capstone missing support).
    init?(state: DebuggerState) {
        guard let target = state.target, let disassembler = state.disassembler(for: target.machine)
        else { return nil }
        self.state = state
        self.target = target
        self.disassembler = disassembler
    }

    /// The readable prefix of `count` bytes at `address`, reading across adjacent ranges.
    var read: MemoryReader {
        let target = self.target
        return { address, count in
            var bytes = [UInt8](repeating: 0, count: max(0, count))
            let got = bytes.withUnsafeMutableBytes { target.readMemory(at: address, into: $0) }
            return Array(bytes.prefix(got))
        }
    }

    /// `ntdll!RtlFoo+0x1a` for addresses in modules, nil elsewhere.
    var symbolizer: Symbolizer {
        let state = self.state
        return { address in
            state.symbols.nearestSymbol(to: address, in: state).map {
                SymbolText.format($0.name, offset: $0.offset)
            }
        }
    }

    /// Full-width registers of `registers`, plus segment bases where known.
    static func registerReader(_ registers: RegisterSet) -> RegisterReader {
        { name in registers.value(of: name) }
    }
}

extension DebuggerState {
    /// A disassembler for `machine`, created once per session.
    func disassembler(for machine: Machine) -> Disassembler? {
        if let cached = disassemblers[machine] { return cached }
        let architecture: Architecture =
            switch machine {
            case .x86: .x86
            case .amd64: .x64
            case .arm64: .arm64
            case .arm: .thumb
            }
        let disassembler = try? Disassembler(architecture: architecture)
        disassemblers[machine] = disassembler
        return disassembler
    }
}
