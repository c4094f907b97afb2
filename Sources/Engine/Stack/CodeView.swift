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
        if let cached = disassemblers.first(where: { $0.machine == machine }) {
            return cached.disassembler
        }
        let architecture: Architecture =
            switch machine {
            case .x86: .x86
            case .amd64: .x64
            case .arm64: .arm64
            case .arm: .thumb
            }
        let disassembler = try? Disassembler(architecture: architecture)
        disassemblers.append((machine, disassembler))
        return disassembler
    }
}

extension CodeView {
    /// With `.lines` on, CDB labels every place where the source line changes and puts
    /// `[file @ line]` after the label: `app!main+0x10 [c:\src\app.c @ 12]:`.
    func withSourceLines(_ listing: Listing) -> Listing {
        guard state.sourceLines else { return listing }
        var lines: [ListingLine] = []
        var pendingLabel: String?
        var previous: (file: String, line: Int)?
        for line in listing.lines {
            switch line {
            case .label(let name):
                pendingLabel = name
            case .instruction(let instruction, _):
                let source = state.symbols.sourceLine(at: instruction.address, in: state)
                let changed =
                    source.map {
                        ($0.file, $0.line) != (previous?.file ?? "", previous?.line ?? -1)
                    } ?? false
                if let source, changed || pendingLabel != nil {
                    let name =
                        pendingLabel ?? symbolizer(instruction.address)
                        ?? Hex.prefixed(instruction.address)
                    lines.append(.label("\(name) [\(source.file) @ \(source.line)]"))
                } else if let pendingLabel {
                    lines.append(.label(pendingLabel))
                }
                pendingLabel = nil
                previous = source.map { ($0.file, $0.line) }
                lines.append(line)
            case .blank:
                if let pendingLabel { lines.append(.label(pendingLabel)) }
                pendingLabel = nil
                lines.append(line)
            }
        }
        if let pendingLabel { lines.append(.label(pendingLabel)) }
        return Listing(lines: lines, nextAddress: listing.nextAddress)
    }
}
