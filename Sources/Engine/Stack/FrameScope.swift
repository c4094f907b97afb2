import Symbols
import Unwind

/// The local context of one stack frame: its function in the module's PDB, the registers known
/// for the frame, and the parameters and locals in scope at its address (what `dv`, `kp` and
/// `??` read).
struct FrameScope {
    let module: TargetModule
    let moduleName: String
    let pdb: PDBSymbolSource
    let function: FunctionSymbol
    /// The RVA symbols are looked up with (inside the call for return addresses).
    let rva: UInt64
    let registers: RegisterSet
    let variables: [LocalVariable]
    let reader: ValueReader

    var text: ValueText { ValueText(reader: reader) }

    /// The scope of `frame`, or nil when its module has no PDB with a function there.
    init?(state: DebuggerState, target: any Target, frame: StackFrame, registers: RegisterSet) {
        let address = frame.lookupAddress
        guard let index = state.moduleMap.index(containing: address) else { return nil }
        let module = state.moduleMap.modules[index]
        guard let pdb = state.symbols.pdb(for: module, in: state) else { return nil }
        let rva = address - module.base
        guard let function = pdb.function(containing: rva) else { return nil }
        self.module = module
        self.moduleName = state.moduleMap.names[index]
        self.pdb = pdb
        self.function = function
        self.rva = rva
        self.registers = registers
        self.variables = pdb.variables(in: function, at: rva)
        self.reader = ValueReader(
            types: pdb.types, target: target, pointerSize: target.machine.pointerSize)
    }

    /// The scope of the frame `.frame` selected on the current thread.
    static func current(_ state: DebuggerState) throws -> FrameScope {
        guard let target = state.target, let registers = state.currentRegisters else {
            throw CommandError.message("Registers are not available for this thread.")
        }
        let index = state.currentFrame
        guard
            let walk = StackService.walk(
                state: state, registers: registers, maximumFrames: index + 2),
            walk.frames.indices.contains(index)
        else {
            throw CommandError.message("Frame \(String(index, radix: 16)) is not on the stack.")
        }
        let frame = walk.frames[index]
        let frameRegisters =
            index == 0
            ? registers
            : RegisterConversion.registerSet(from: frame.registers, machine: target.machine)
        guard
            let scope = FrameScope(
                state: state, target: target, frame: frame, registers: frameRegisters)
        else {
            let name =
                state.symbols.nearestSymbol(to: frame.lookupAddress, in: state)
                .map { SymbolText.format($0.name, offset: $0.offset) }
                ?? Hex.pointer(frame.instructionPointer, size: target.machine.pointerSize)
            throw CommandError.message(
                "Unable to enumerate locals: no private symbols for \(name) (the module needs a PDB with full symbols)."
            )
        }
        return scope
    }

    /// Where a variable's value is now.
    func value(of variable: LocalVariable) -> TypedValue {
        TypedValue(type: variable.type, storage: storage(variable.location))
    }

    func storage(_ location: VariableLocation) -> TypedValue.Storage {
        switch location {
        case .register(let name):
            guard let value = registers.value(of: name) else { return .unavailable }
            let width = (registers.width(of: name) ?? 64) / 8
            return .bytes(
                (0..<max(1, width)).map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) })
        case .registerRelative(let name, let offset):
            guard let base = registers.value(of: name) else { return .unavailable }
            return .memory(base &+ UInt64(bitPattern: offset))
        case .staticAddress(let rva):
            return .memory(module.base &+ rva)
        case .unavailable:
            return .unavailable
        }
    }

    /// `@rcx` or `000000c8`2647bd40`: where `dv /v` says a variable is.
    func locationText(_ variable: LocalVariable) -> String {
        switch variable.location {
        case .register(let name): return "@" + name
        case .unavailable: return "<unavailable>"
        default:
            if case .memory(let address) = storage(variable.location) {
                return Hex.pointer(address, size: reader.pointerSize)
            }
            return "<unavailable>"
        }
    }
}
