import Symbols

extension Builtins {
    /// `?? Expression`: the C++ evaluator.
    static let cppEvaluate = Command(
        name: "??",
        summary: "evaluate a C++ expression over locals, globals and registers",
        usage: "?? Expression",
        details: [
            "Numbers are decimal (0x hex); registers need @ (@rax, @$t0). Member access (. ->),",
            "[index], * and &, pointer arithmetic, casts to built-in and PDB types, sizeof.",
            "Names are the current frame's locals (.frame selects it), then globals (mod!name).",
        ],
        requirements: .target,
        argument: .expression
    ) { invocation in
        try CppEvaluateCommand.run(invocation)
    }
}

enum CppEvaluateCommand {
    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let text = String(invocation.arguments)
        guard !text.trimmingWhitespace().isEmpty else { throw CommandError.syntax() }
        let scope = try? FrameScope.current(state)
        var evaluator = CppEvaluator(state: state, target: target, scope: scope)
        let value: CppValue
        do {
            value = try evaluator.evaluate(text)
        } catch let error as CppError {
            let position = invocation.arguments.index(
                invocation.arguments.startIndex,
                offsetBy: min(error.offset, invocation.arguments.count))
            switch error.kind {
            case .syntax: throw CommandError.syntax(at: position)
            case .couldNotResolve: throw CommandError.couldNotResolve(at: position)
            case .memoryAccess:
                throw CommandError(
                    .atPosition(kind: "Memory access error", text: nil), at: position)
            case .typeConflict:
                throw CommandError(.inCommand(kind: "Type conflict error"), at: position)
            case .message(let message): throw CommandError.message(message)
            }
        }
        invocation.out.lines(CppValueDisplay(evaluator: evaluator).lines(value))
    }
}

/// How `??` prints a value: its type and value on one line; structures (and what a structure
/// pointer points to) with their members below, as `dt` prints them.
struct CppValueDisplay {
    let evaluator: CppEvaluator

    var pointerSize: Int { evaluator.pointerSize }

    func typeName(_ type: CppType, pdb: PDBSymbolSource?) -> String {
        switch type {
        case .pointer(let target): return typeName(target, pdb: pdb) + " *"
        case .pdb(let index):
            if let pdb { return pdb.types.name(of: index) }
            return SimpleType(index)?.cName ?? "<type>"
        }
    }

    func lines(_ value: CppValue) -> [String] {
        let name = typeName(value.type, pdb: value.pdb)
        let shape = evaluator.shape(value.type, pdb: value.pdb)
        let pdb = value.pdb ?? evaluator.defaultPDB
        switch shape {
        case .userDefined(_, let resolved):
            guard let pdb, let reader = evaluator.reader(pdb) else { return [name] }
            return [name]
                + layout(pdb, reader).lines(
                    resolved, value: TypedValue(type: resolved, storage: value.storage))
        case .array:
            if case .memory(let address) = value.storage {
                return ["\(name) 0x" + Hex.pointer(address, size: pointerSize)]
            }
            return [name]
        default:
            break
        }
        guard let bits = try? evaluator.raw(value, at: 0) else {
            if case .unavailable = value.storage { return ["\(name) \(ValueText.unavailable)"] }
            return ["\(name) \(ValueText.memoryError)"]
        }
        if evaluator.isPointerLike(value) {
            var lines = ["\(name) 0x" + Hex.pointer(bits, size: pointerSize)]
            if bits != 0, let target = evaluator.pointee(value), case .pdb(let pointee) = target,
                let pdb, let reader = evaluator.reader(pdb)
            {
                let text = ValueText(reader: reader)
                if let string = text.pointedString(bits, target: pointee) {
                    lines[0] += "  " + string
                } else if case .userDefined(_, let resolved) = pdb.types.shape(of: pointee) {
                    lines += layout(pdb, reader).lines(
                        resolved, value: TypedValue(type: resolved, storage: .memory(bits)))
                }
            }
            return lines
        }
        return ["\(name) " + scalarText(bits, shape: shape, pdb: pdb)]
    }

    func scalarText(_ bits: UInt64, shape: TypeShape, pdb: PDBSymbolSource?) -> String {
        switch shape {
        case .base(let simple):
            let size = simple.size
            let signed: Int64 =
                size > 0 && size < 8
                ? Int64(bitPattern: bits << UInt64(64 - size * 8)) >> Int64(64 - size * 8)
                : Int64(bitPattern: bits)
            switch simple.encoding {
            case .signed, .hresult: return "0n\(signed)"
            case .character: return "0n\(signed) \(ValueText.character(bits))"
            case .unsignedCharacter, .wideCharacter:
                return "0x" + String(bits, radix: 16) + " " + ValueText.character(bits)
            case .boolean: return bits == 0 ? "false" : "true"
            case .float:
                return size == 4
                    ? "\(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))"
                    : "\(Double(bitPattern: bits))"
            default:
                if bits < 10 { return String(bits) }
                return "0x" + (bits > 0xffff_ffff ? Hex.split64(bits) : String(bits, radix: 16))
            }
        case .enumeration(let type, _):
            guard let pdb, let reader = evaluator.reader(pdb) else {
                return "0n\(Int64(bitPattern: bits))"
            }
            let signed = Int64(Int32(truncatingIfNeeded: bits))
            let name = ValueText(reader: reader).enumeratorName(type, bits)
            return name.map { "\($0) (0n\(signed))" } ?? "0n\(signed)"
        default:
            return "0x" + String(bits, radix: 16)
        }
    }

    func layout(_ pdb: PDBSymbolSource, _ reader: ValueReader) -> TypeLayout {
        let state = evaluator.state
        return TypeLayout(
            types: pdb.types, text: ValueText(reader: reader), pointerSize: reader.pointerSize,
            staticAddress: { name in
                guard
                    let module = state.moduleMap.modules.first(where: {
                        state.symbols.pdb(for: $0, in: state) === pdb
                    })
                else { return nil }
                return pdb.symbols(named: name).first.map { module.base &+ $0.rva }
            })
    }
}
