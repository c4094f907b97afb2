/// Where a local variable or parameter is at one code address.
public enum VariableLocation: Sendable, Hashable {
    /// The value is in a register (named as the debugger names it).
    case register(String)
    /// The value is in memory at `register + offset`.
    case registerRelative(String, offset: Int64)
    /// A static local: at this RVA in the image.
    case staticAddress(UInt64)
    /// Not available here (optimized away, or in a location this reader does not model).
    case unavailable
}

/// A parameter or local variable in scope at some address.
public struct LocalVariable: Sendable, Hashable {
    public var name: String
    public var type: TypeIndex
    public var isParameter: Bool
    public var location: VariableLocation
    /// Nesting depth of the block it was declared in (0: the function's top scope).
    public var blockDepth: Int
}

/// A function from the module symbols, as the engine sees it.
public struct FunctionSymbol: Sendable, Hashable {
    public var name: String
    public var rva: UInt64
    public var size: UInt64
    /// The function's type (TPI), already resolved from a function id where needed.
    public var type: TypeIndex?
    /// RVAs of the end of the prolog and the start of the epilog.
    public var prologEnd: UInt64
    public var epilogStart: UInt64
    let moduleIndex: Int
    let recordOffset: Int
    let endOffset: Int
    let section: UInt16
    let sectionOffset: UInt32
}

/// Walks the records inside one procedure and collects the variables in scope at an address.
struct ScopeWalker {
    let module: ModuleSymbols
    let function: FunctionSymbol
    let sections: SectionMap
    let is64Bit: Bool
    let parameterCount: Int

    func variables(at rva: UInt64) -> [LocalVariable] {
        var result: [LocalVariable] = []
        var frame: FrameProcedure?
        // Scopes open at this point: (depth, covers the address).
        var scopeStack: [Bool] = [true]
        var pendingLocal: (name: String, type: TypeIndex, isParameter: Bool, depth: Int)?
        var pendingLocations: [DefRangeRecord] = []
        var topLevelOrdinal = 0
        let offsetInSection = sections.sectionOffset(of: rva)

        func finishLocal() {
            guard let local = pendingLocal else { return }
            pendingLocal = nil
            defer { pendingLocations = [] }
            guard scopeStack.allSatisfy({ $0 }) || local.depth == 0 else { return }
            var location = VariableLocation.unavailable
            if let (section, offset) = offsetInSection {
                for range in pendingLocations where range.covers(section: section, offset: offset) {
                    location = resolve(range.location, frame: frame, isParameter: local.isParameter)
                    break
                }
            }
            result.append(
                LocalVariable(
                    name: local.name, type: local.type, isParameter: local.isParameter,
                    location: location, blockDepth: local.depth))
        }

        func add(_ name: String, _ type: TypeIndex, _ location: VariableLocation, parameter: Bool?)
        {
            let depth = scopeStack.count - 1
            guard scopeStack.allSatisfy({ $0 }) else { return }
            var isParameter = parameter ?? false
            if parameter == nil, depth == 0 {
                isParameter = topLevelOrdinal < parameterCount
            }
            if depth == 0 { topLevelOrdinal += 1 }
            result.append(
                LocalVariable(
                    name: name, type: type, isParameter: isParameter, location: location,
                    blockDepth: depth))
        }

        let start = function.recordOffset
        var isFirst = true
        try? ModuleSymbols.forEachRecord(
            in: module.symbolBytes, from: start,
            to: min(function.endOffset + 4, module.symbolBytes.count),
            module: function.moduleIndex
        ) { kind, record, offset in
            if isFirst {
                isFirst = false
                return
            }
            if case .defRange(let range) = record {
                pendingLocations.append(range)
                return
            }
            finishLocal()
            switch record {
            case .frameProcedure(let value):
                frame = value
            case .block(_, _, let size, let offset, let section):
                let covers =
                    sections.rva(section: section, offset: offset).map {
                        rva >= $0 && rva - $0 < UInt64(size)
                    } ?? false
                scopeStack.append(covers)
            case .scopeEnd:
                if scopeStack.count > 1 { scopeStack.removeLast() }
            case .registerRelative(let displacement, let type, let register, let name):
                let location =
                    CodeViewRegister.name(register, is64Bit: is64Bit).map {
                        VariableLocation.registerRelative($0, offset: Int64(displacement))
                    } ?? .unavailable
                add(name, type, location, parameter: nil)
            case .basePointerRelative(let displacement, let type, let name):
                let location = VariableLocation.registerRelative(
                    is64Bit ? "rbp" : "ebp", offset: Int64(displacement))
                add(name, type, location, parameter: is64Bit ? nil : displacement > 0)
            case .register(let type, let register, let name):
                let location =
                    CodeViewRegister.name(register, is64Bit: is64Bit).map {
                        VariableLocation.register($0)
                    } ?? .unavailable
                add(name, type, location, parameter: nil)
            case .local(let type, let flags, let name):
                guard scopeStack.allSatisfy({ $0 }) else { return }
                let depth = scopeStack.count - 1
                if depth == 0 { topLevelOrdinal += 1 }
                pendingLocal = (name, type, flags & 1 != 0, depth)
            case .data(let symbol):
                if let address = sections.rva(section: symbol.section, offset: symbol.offset) {
                    add(symbol.name, symbol.typeIndex, .staticAddress(address), parameter: false)
                }
            case .procedure:
                // A nested procedure (rare): its children are not ours.
                scopeStack.append(false)
            default:
                if SymbolRecordKind.scopes.contains(kind) {
                    // Inline sites and other scopes: their variables belong to inlined code.
                    scopeStack.append(false)
                }
            }
            _ = offset
        }
        finishLocal()
        return Self.merged(result)
    }

    /// MSVC describes a parameter twice: as `S_LOCAL` with its live ranges and as
    /// `S_REGREL32` at its home slot. Keep one entry per name and block depth, in first-seen
    /// order, with the first location that is available here.
    static func merged(_ variables: [LocalVariable]) -> [LocalVariable] {
        var result: [LocalVariable] = []
        for variable in variables {
            if let index = result.firstIndex(where: {
                $0.name == variable.name && $0.blockDepth == variable.blockDepth
            }) {
                if result[index].location == .unavailable {
                    result[index].location = variable.location
                }
                continue
            }
            result.append(variable)
        }
        return result
    }

    private func resolve(
        _ location: DefRangeRecord.Location, frame: FrameProcedure?, isParameter: Bool
    ) -> VariableLocation {
        switch location {
        case .register(let number):
            return CodeViewRegister.name(number, is64Bit: is64Bit).map { .register($0) }
                ?? .unavailable
        case .subfieldRegister:
            return .unavailable
        case .registerRelative(let number, let offset):
            if number == CodeViewRegister.virtualFrame, !is64Bit {
                return .registerRelative("ebp", offset: Int64(offset) + 4)
            }
            return CodeViewRegister.name(number, is64Bit: is64Bit).map {
                .registerRelative($0, offset: Int64(offset))
            } ?? .unavailable
        case .framePointerRelative(let offset), .framePointerRelativeFullScope(let offset):
            guard let frame,
                let (register, bias) = CodeViewRegister.framePointer(
                    encoding: isParameter ? frame.parameterBasePointer : frame.localBasePointer,
                    is64Bit: is64Bit)
            else { return .unavailable }
            return .registerRelative(register, offset: Int64(offset) + bias)
        }
    }
}
