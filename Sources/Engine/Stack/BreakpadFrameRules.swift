import PEFormat
import Symbols
import Unwind

/// Unwind rules from Breakpad `.sym` files (`STACK CFI`, `STACK WIN`) offered to the stack
/// walker. One instance serves one walk: x86 `STACK WIN` programs need the parameter size of
/// the frame below, which this remembers between calls (the walker asks about every frame, in
/// order, before trying anything else).
///
/// `@unchecked Sendable`: it reads the session's symbol manager, which lives on the command
/// queue; the walk that uses it runs synchronously inside one command on that queue.
final class BreakpadFrameRules: Unwind.CallFrameInfoProvider, @unchecked Sendable {
    private let state: DebuggerState
    private let target: any Target
    private var calleeLookupAddress: UInt64?

    init(state: DebuggerState, target: any Target) {
        self.state = state
        self.target = target
    }

    func callerRegisters(for query: CallFrameQuery, memory: any ByteSource) -> RegisterContext? {
        defer { calleeLookupAddress = query.lookupAddress }
        guard let (rules, rva) = rules(at: query.lookupAddress) else { return nil }
        let registers = RegisterConversion.dictionary(query.registers)
        let target = self.target
        let read: UnwindMemoryReader = { address, size in
            target.readInteger(at: address, size: size)
        }
        let architecture = query.registers.architecture
        var caller = RegisterContext(architecture: architecture)
        let names = caller.registerNames
        func assign(_ values: [String: UInt64]) {
            for (name, value) in values {
                let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
                if let index = names.firstIndex(of: bare) { caller.setValue(value, at: index) }
            }
        }
        if architecture == .x86, let info = rules.windowsFrameInfo(at: rva) {
            let calleeParameters: UInt32 =
                query.frameIndex == 0 ? 0 : calleeLookupAddress.flatMap(parameterSize) ?? 0
            guard
                let result = try? StackWinEvaluator.evaluate(
                    info, registers: registers, calleeParameterSize: calleeParameters,
                    isContextFrame: query.frameIndex == 0, readMemory: read)
            else { return nil }
            assign(result.registers)
            return caller
        }
        guard let ruleSet = rules.cfiRules(at: rva),
            let result = try? CFIEvaluator.evaluate(
                ruleSet, registers: registers, wordSize: architecture.pointerSize, readMemory: read)
        else { return nil }
        let (ip, sp) = Self.pointerNames(architecture)
        assign(result.callerRegisters(instructionPointer: ip, stackPointer: sp, callee: registers))
        return caller
    }

    /// The Breakpad rules covering `address` and its RVA.
    private func rules(at address: UInt64) -> (any Symbols.CallFrameInfoProvider, UInt64)? {
        guard let module = state.moduleMap.module(containing: address),
            let source = state.symbols.source(for: module, in: state),
            let rules = source as? any Symbols.CallFrameInfoProvider
        else { return nil }
        return (rules, address - module.base)
    }

    private func parameterSize(_ address: UInt64) -> UInt32? {
        guard let (rules, rva) = rules(at: address) else { return nil }
        return rules.parameterSize(at: rva)
    }

    static func pointerNames(_ architecture: CPUArchitecture) -> (String, String) {
        switch architecture {
        case .x86: ("eip", "esp")
        case .amd64: ("rip", "rsp")
        case .arm, .arm64: ("pc", "sp")
        }
    }
}
