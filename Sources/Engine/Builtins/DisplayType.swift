import Symbols

extension Builtins {
    /// `dt [-r[N]] [-v] [Module!]Name [Field...] [Address]`.
    static let displayType = Command(
        name: "dt",
        summary: "display a type, or a variable or memory as a type",
        usage:
            "dt [-r[N]] [-v] [Module!]Type [Field...] [Address] | dt Variable | dt Module!Pattern*",
        details: [
            "Types come from the modules' PDBs. -r expands embedded structures (N levels, 1..9),",
            "-v shows sizes and element counts. A name with * lists matching types.",
        ],
        requirements: .target,
        argument: .expression
    ) { invocation in
        try DisplayTypeCommand.run(invocation)
    }
}

enum DisplayTypeCommand {
    struct Found {
        var moduleName: String
        var module: TargetModule
        var pdb: PDBSymbolSource
        var type: TypeIndex
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        var depth = 0
        var verbose = false
        var words: [Substring] = []
        var iterator = ArgumentWords(invocation.arguments)
        while let word = iterator.next() {
            if word.hasPrefix("-"), words.isEmpty {
                let option = word.dropFirst()
                switch option.first {
                case "r":
                    let digits = option.dropFirst()
                    depth = digits.isEmpty ? 9 : min(9, Int(digits) ?? 1)
                case "v": verbose = true
                case "b", "a", "i", "o", "c", "p", "e", "t", "y", "n": break
                default: throw CommandError.syntax(at: word.startIndex)
                }
                continue
            }
            words.append(word)
        }
        guard let spec = words.first else { throw CommandError.syntax() }
        let rest = Array(words.dropFirst())
        let name = unquoted(spec)
        let pointerSize = target.machine.pointerSize

        if name.contains("*") || name.contains("?") {
            try listTypes(invocation, pattern: name)
            return
        }

        // A local variable of the current frame.
        if !name.contains("!"), let scope = try? FrameScope.current(state),
            let variable = scope.variables.last(where: { $0.name == name })
        {
            let value = scope.value(of: variable)
            let layout = self.layout(
                scope.pdb, reader: scope.reader, depth: depth, verbose: verbose,
                fields: rest.map(String.init), state: state, module: scope.module)
            let address =
                value.address.map { "0x" + String($0, radix: 16) } ?? "@"
                + scope.locationText(variable)
            invocation.out.line(
                "Local var @ \(address) Type \(scope.pdb.types.name(of: variable.type))")
            invocation.out.lines(
                display(value, layout: layout, pdb: scope.pdb, reader: scope.reader))
            return
        }

        let (moduleName, typeName) = split(name)
        var address: UInt64?
        var fields: [String] = []
        for (position, word) in rest.enumerated() {
            if position == rest.count - 1, let value = try? invocation.evaluate(word) {
                address = value
            } else {
                fields.append(String(word))
            }
        }
        if let found = try findType(
            typeName, module: moduleName, state: state, invocation: invocation)
        {
            let reader = ValueReader(
                types: found.pdb.types, target: target, pointerSize: pointerSize)
            let layout = self.layout(
                found.pdb, reader: reader, depth: depth, verbose: verbose, fields: fields,
                state: state, module: found.module)
            invocation.out.line(
                "\(found.moduleName)!\(found.pdb.types.name(of: found.type).droppingKeyword)")
            if verbose { invocation.out.line(layout.verboseDescription(found.type)) }
            let value = address.map { TypedValue(type: found.type, storage: .memory($0)) }
            invocation.out.lines(layout.lines(found.type, value: value))
            return
        }
        if let (found, symbol) = try findData(
            typeName, module: moduleName, state: state, invocation: invocation),
            let type = symbol.typeIndex
        {
            let reader = ValueReader(
                types: found.pdb.types, target: target, pointerSize: pointerSize)
            let layout = self.layout(
                found.pdb, reader: reader, depth: depth, verbose: verbose, fields: fields,
                state: state, module: found.module)
            let value = TypedValue(type: type, storage: .memory(found.module.base &+ symbol.rva))
            invocation.out.lines(display(value, layout: layout, pdb: found.pdb, reader: reader))
            return
        }
        throw CommandError.message("Symbol \(name) not found.")
    }

    /// The lines for a variable's value: members of a structure (through one pointer), or the
    /// value itself.
    static func display(
        _ value: TypedValue, layout: TypeLayout, pdb: PDBSymbolSource, reader: ValueReader
    ) -> [String] {
        let types = pdb.types
        switch types.shape(of: value.type) {
        case .userDefined:
            return layout.lines(value.type, value: value)
        case .pointer(let pointee, _, _):
            if case .userDefined = types.shape(of: pointee), let raw = reader.integer(value),
                raw != 0
            {
                return [layout.text.pointerText(raw)]
                    + layout.lines(pointee, value: TypedValue(type: pointee, storage: .memory(raw)))
            }
            return ["   " + layout.text.dtField(value, member: nil)]
        default:
            return ["   " + layout.text.dtField(value, member: nil)]
        }
    }

    static func layout(
        _ pdb: PDBSymbolSource, reader: ValueReader, depth: Int, verbose: Bool, fields: [String],
        state: DebuggerState, module: TargetModule
    ) -> TypeLayout {
        var layout = TypeLayout(
            types: pdb.types, text: ValueText(reader: reader), pointerSize: reader.pointerSize,
            staticAddress: { name in
                pdb.symbols(named: name).first.map { module.base &+ $0.rva }
            })
        layout.depth = depth
        layout.verbose = verbose
        layout.fieldFilter = fields
        return layout
    }

    static func split(_ name: String) -> (module: String?, name: String) {
        guard let bang = name.firstIndex(of: "!") else { return (nil, name) }
        return (String(name[..<bang]), String(name[name.index(after: bang)...]))
    }

    /// The modules to search: the named one, or all of them (loading their symbols).
    static func modules(_ moduleName: String?, state: DebuggerState) throws -> [(
        String, TargetModule
    )] {
        let map = state.moduleMap
        if let moduleName {
            guard let index = map.index(named: moduleName) else {
                throw CommandError.message("Couldn't resolve module '\(moduleName)'")
            }
            return [(map.names[index], map.modules[index])]
        }
        return Array(zip(map.names, map.modules))
    }

    static func findType(
        _ name: String, module moduleName: String?, state: DebuggerState,
        invocation: CommandInvocation
    ) throws -> Found? {
        let wanted = name.droppingKeyword
        for (moduleName, module) in try modules(moduleName, state: state) {
            try invocation.checkInterrupt()
            guard let pdb = state.symbols.pdb(for: module, in: state),
                let type = pdb.types.lookup(wanted)
            else { continue }
            return Found(moduleName: moduleName, module: module, pdb: pdb, type: type)
        }
        return nil
    }

    /// A type for a cast: in `preferred` (the current frame's PDB) first, then in the named
    /// module or in every module.
    static func findQuietly(_ text: String, state: DebuggerState, preferred: PDBSymbolSource?)
        throws -> Found?
    {
        let (moduleName, name) = split(text)
        if moduleName == nil, let preferred, let type = preferred.types.lookup(name),
            let index = state.moduleMap.modules.firstIndex(where: {
                state.symbols.pdb(for: $0, in: state) === preferred
            })
        {
            return Found(
                moduleName: state.moduleMap.names[index], module: state.moduleMap.modules[index],
                pdb: preferred,
                type: type)
        }
        for (moduleName, module) in try modules(moduleName, state: state) {
            guard let pdb = state.symbols.pdb(for: module, in: state),
                let type = pdb.types.lookup(name)
            else {
                continue
            }
            return Found(moduleName: moduleName, module: module, pdb: pdb, type: type)
        }
        return nil
    }

    static func findData(
        _ name: String, module moduleName: String?, state: DebuggerState,
        invocation: CommandInvocation
    ) throws -> (Found, Symbol)? {
        for (moduleName, module) in try modules(moduleName, state: state) {
            try invocation.checkInterrupt()
            guard let pdb = state.symbols.pdb(for: module, in: state),
                let symbol = pdb.symbols(named: name).first(where: {
                    $0.origin == .data && $0.typeIndex != nil
                }),
                let type = symbol.typeIndex
            else { continue }
            return (Found(moduleName: moduleName, module: module, pdb: pdb, type: type), symbol)
        }
        return nil
    }

    static func listTypes(_ invocation: CommandInvocation, pattern text: String) throws {
        let state = invocation.state
        let (moduleName, name) = split(text)
        let pattern: SymbolPattern
        do {
            pattern = try SymbolPattern(name, leadingUnderscoreMatchesAny: false)
        } catch {
            throw CommandError.message(error.description)
        }
        for (moduleName, module) in try modules(moduleName, state: state) {
            try invocation.checkInterrupt()
            guard let pdb = state.symbols.pdb(for: module, in: state) else { continue }
            for (typeName, _) in pdb.types.definitions(matching: pattern).sorted(by: { $0.0 < $1.0 }
            ) {
                invocation.out.line("          \(moduleName)!\(typeName)")
            }
        }
    }
}

extension String {
    /// `struct _FOO` → `_FOO` (the name `dt` prints after `module!`).
    var droppingKeyword: String {
        for keyword in ["struct ", "class ", "union ", "enum ", "interface "]
        where hasPrefix(keyword) {
            return String(dropFirst(keyword.count))
        }
        return self
    }
}
