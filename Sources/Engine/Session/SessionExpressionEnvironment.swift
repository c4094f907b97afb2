/// The MASM evaluator's view of the session: the current radix, registers of the current
/// context, pseudo-registers, target memory and symbols.
struct SessionExpressionEnvironment: ExpressionEnvironment {
    let state: DebuggerState

    var radix: Radix { Radix(rawValue: state.radix) ?? .hexadecimal }
    var pointerSize: Int { state.pointerSize }
    var signExtendsConstants: Bool { state.mode == .kernel }

    func register(named name: String) throws(LookupFailure) -> RegisterValue? {
        guard let registers = state.currentRegisters, let value = registers.value(of: name),
            let bits = registers.width(of: name)
        else { return nil }
        return RegisterValue(value: value, bitWidth: bits)
    }

    func pseudoRegister(named name: String) throws(LookupFailure) -> UInt64? {
        switch PseudoRegisters.value(name, state: state) {
        case .success(let value): return value
        case .failure(.unknown): return nil
        case .failure(.unavailable): throw .unavailable
        }
    }

    func userPseudoRegister(_ index: Int) -> UInt64 {
        state.userPseudoRegisters.indices.contains(index) ? state.userPseudoRegisters[index] : 0
    }

    func readMemory(at address: UInt64, size: Int, physical: Bool) throws(LookupFailure) -> UInt64 {
        guard let target = state.target else { throw .memoryAccess }
        let effective = target.machine.pointerSize == 4 ? address & 0xffff_ffff : address
        guard let value = target.readInteger(at: effective, size: size) else { throw .memoryAccess }
        return value
    }

    func symbol(_ reference: SymbolReference) throws(LookupFailure) -> UInt64? {
        guard let target = state.target else { return nil }
        if reference.module == nil {
            // A module name alone is its base address (`? ntdll`).
            if let index = state.moduleMap.index(named: reference.name) {
                return target.modules[index].base
            }
        }
        return state.symbols.address(of: reference, in: state)
    }
}
