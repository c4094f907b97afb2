import Symbols

extension Builtins {
    /// `.sympath [Path]`.
    static let symbolPath = Command(
        name: ".sympath",
        summary: "show or set the symbol search path",
        usage: ".sympath [Path[;...]]",
        details: [
            "Directories are searched for PDBs (name.pdb/GUIDAGE/name.pdb, or flat) matched by",
            "GUID and age, and for Breakpad .sym files (<debug file>/<id>/<name>.sym, or flat).",
            "srv*DIR*URL searches DIR only: URLs are kept but never contacted.",
        ],
        effect: .displaysUnlessArguments(
            display: ".sympath", change: ".sympath Path", kind: .changesSession),
        argument: .filePath,
        // Directories are separated by `;`: the path is the rest of the line.
        takesRestOfLine: true
    ) { invocation in
        let text = invocation.trimmedArguments
        if !text.isEmpty {
            invocation.state.symbolPath = unquoted(text)
            invocation.state.symbols.reset()
        }
        SymbolPathDisplay.show(invocation)
    }

    /// `.sympath+ Path`.
    static let symbolPathAppend = Command(
        name: ".sympath+",
        summary: "add to the symbol search path",
        usage: ".sympath+ Path[;...]",
        effect: .changesSession,
        argument: .filePath,
        // Directories are separated by `;`: the path is the rest of the line.
        takesRestOfLine: true
    ) { invocation in
        let text = unquoted(invocation.trimmedArguments)
        guard !text.isEmpty else { throw CommandError.syntax() }
        let state = invocation.state
        state.symbolPath = state.symbolPath.isEmpty ? text : state.symbolPath + ";" + text
        state.symbols.reset()
        SymbolPathDisplay.show(invocation)
    }

    /// `.reload [/f] [/v] [/u Module] [Module]`.
    static let reload = Command(
        name: ".reload",
        summary: "reload module symbols (lazily; /f now, /v verbose)",
        usage: ".reload [/f] [/v] [/u Module] [Module]",
        requirements: .target,
        effect: .changesSession,
        argument: .text
    ) { invocation in
        try ReloadCommand.run(invocation)
    }

    /// `x [Options] Module!Pattern`.
    static let examineSymbols = Command(
        name: "x",
        summary: "list symbols matching a pattern",
        usage: "x [/0|/1|/2] [/v] [/a|/A|/n|/N] Module!Pattern",
        details: [
            "Wildcards: * any run, ? one character, [a-z] sets; a leading _ matches any",
            "number of underscores. Case-insensitive.",
        ],
        requirements: .target,
        argument: .text
    ) { invocation in
        try ExamineCommand.run(invocation)
    }

    /// `ln Address`.
    static let listNearest = Command(
        name: "ln",
        summary: "list the nearest symbols to an address",
        usage: "ln Address",
        requirements: .target,
        argument: .expression
    ) { invocation in
        try NearestCommand.run(invocation)
    }
}

enum SymbolPathDisplay {
    static func show(_ invocation: CommandInvocation) {
        let text = invocation.state.symbolPath
        let shown = text.isEmpty ? "<empty>" : text
        invocation.out.line("Symbol search path is: \(shown)")
        invocation.out.line("Expanded Symbol search path is: \(shown.lowercased())")
        let remote = SymbolPath(parsing: text).remoteLocations
        if !remote.isEmpty {
            invocation.out.line(
                "Note: symbol servers are not contacted; only local stores are searched "
                    + "(skipped: \(remote.joined(separator: ", ")))")
        }
    }
}

enum ReloadCommand {
    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        var force = false
        var verbose = false
        var unload = false
        var names: [String] = []
        var words = ArgumentWords(invocation.arguments)
        while let word = words.next() {
            switch word.lowercased() {
            case "/f": force = true
            case "/v": verbose = true
            case "/u": unload = true
            case "/i", "/l", "/n", "/o", "/s", "/user", "/w", "/unl": break
            default:
                guard !word.hasPrefix("/") else { throw CommandError.syntax(at: word.startIndex) }
                names.append(String(word.split(separator: "=").first ?? word))
            }
        }
        let moduleNames = state.moduleMap.names
        func selected(_ index: Int) -> Bool {
            names.isEmpty
                || names.contains {
                    $0.lowercased() == moduleNames[index].lowercased()
                        || $0.lowercased() == target.modules[index].imageName.lowercased()
                }
        }
        if unload {
            for name in names { invocation.out.line("Unloaded \(name)") }
            state.symbols.reset()
            return
        }
        state.symbols.reset()
        if names.isEmpty { invocation.out.line("Reloading current modules") }
        var dots = ""
        for index in target.modules.indices where selected(index) {
            try invocation.checkInterrupt()
            let module = target.modules[index]
            if verbose, let search = state.symbols.search(for: module, in: state) {
                for path in search.triedPaths {
                    invocation.out.line(
                        "SYMSRV:  \(path) - \(path == search.foundPath ? "found" : "not found")")
                }
            }
            if force || verbose {
                let source = state.symbols.source(for: module, in: state)
                if verbose {
                    invocation.out.line(
                        "\(moduleNames[index]): \(source.map { $0.kind.lmLabel } ?? "(no symbols)")"
                    )
                }
            }
            dots += "."
        }
        if !verbose && !dots.isEmpty { invocation.out.line(dots) }
    }
}

enum ExamineCommand {
    struct Row {
        var address: UInt64
        var name: String
        var symbol: Symbol
        var pdb: PDBSymbolSource?
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        var addressOnly = false
        var nameOnly = false
        var verbose = false
        var showTypes = false
        var sort: Character?
        var patternText: String?
        var words = ArgumentWords(invocation.arguments)
        while let word = words.next() {
            if word.hasPrefix("/") {
                switch word.dropFirst() {
                case "0": addressOnly = true
                case "1": nameOnly = true
                case "2": break
                case "v": verbose = true
                case "t": showTypes = true
                case "a", "A", "n", "N", "z", "Z": sort = word.dropFirst().first
                case "p", "q", "d", "f": break
                default: throw CommandError.syntax(at: word.startIndex)
                }
                continue
            }
            patternText = String(word)
        }
        let qualified: QualifiedSymbolPattern
        do {
            qualified = try QualifiedSymbolPattern(patternText ?? "*")
        } catch {
            throw CommandError.message(error.description)
        }
        guard qualified.module != nil else {
            try locals(invocation, pattern: qualified.symbol, showTypes: showTypes)
            return
        }
        let names = state.moduleMap.names
        var rows: [Row] = []
        for (index, module) in target.modules.enumerated() {
            guard qualified.module?.matches(names[index]) == true else { continue }
            try invocation.checkInterrupt()
            guard let source = state.symbols.source(for: module, in: state) else { continue }
            let pdb = source as? PDBSymbolSource
            for symbol in source.symbols(matching: qualified.symbol) {
                rows.append(
                    Row(
                        address: module.base &+ symbol.rva, name: names[index] + "!" + symbol.name,
                        symbol: symbol, pdb: pdb))
            }
        }
        switch sort {
        case "a": rows.sort { $0.address < $1.address }
        case "A": rows.sort { $0.address > $1.address }
        case "n": rows.sort { $0.name.lowercased() < $1.name.lowercased() }
        case "N": rows.sort { $0.name.lowercased() > $1.name.lowercased() }
        case "z": rows.sort { ($0.symbol.size ?? 0) < ($1.symbol.size ?? 0) }
        case "Z": rows.sort { ($0.symbol.size ?? 0) > ($1.symbol.size ?? 0) }
        default: break
        }
        let pointerSize = target.machine.pointerSize
        for row in rows {
            try invocation.checkInterrupt()
            let address = Hex.pointer(row.address, size: pointerSize)
            if addressOnly {
                invocation.out.line(address)
                continue
            }
            if nameOnly {
                invocation.out.line(row.name)
                continue
            }
            var line = ""
            if verbose {
                let size = row.symbol.size.map { String($0, radix: 16) } ?? "0"
                line = kindText(row.symbol) + " " + address + " " + size.leftPadded(to: 4) + " "
            } else {
                line = address + " "
            }
            if showTypes, let type = typeText(row) { line += type + " " }
            line += DecoratedName.examineText(row.name) + suffix(row, target: target)
            invocation.out.line(line)
        }
    }

    /// `prv func`, `prv global`, `pub func`, ... (the `/v` kind column).
    static func kindText(_ symbol: Symbol) -> String {
        switch symbol.origin {
        case .function: "prv func  "
        case .data: symbol.typeIndex == nil ? "pub global" : "prv global"
        case .publicSymbol, .export: "pub func  "
        }
    }

    static func typeText(_ row: Row) -> String? {
        guard let pdb = row.pdb, let type = row.symbol.typeIndex else { return nil }
        if case .function(let procedure) = pdb.types.shape(of: type) {
            return pdb.types.name(of: procedure.returnType)
        }
        return pdb.types.name(of: type)
    }

    /// ` (int, char *)` for functions with types, ` = 0n5` for variables,
    /// ` (<no parameter info>)` for everything else.
    static func suffix(_ row: Row, target: any Target) -> String {
        let symbol = row.symbol
        if symbol.origin == .data {
            guard let pdb = row.pdb, let type = symbol.typeIndex else {
                return " = <no type information>"
            }
            let reader = ValueReader(
                types: pdb.types, target: target, pointerSize: target.machine.pointerSize)
            return " = "
                + ValueText(reader: reader).short(
                    TypedValue(type: type, storage: .memory(row.address)))
        }
        if let pdb = row.pdb, let type = symbol.typeIndex,
            let parameters = pdb.parameterList(of: type)
        {
            return " " + parameters
        }
        return row.name.contains("(") ? "" : " (<no parameter info>)"
    }

    /// `x Pattern` without a module: the current frame's parameters and locals.
    static func locals(_ invocation: CommandInvocation, pattern: SymbolPattern, showTypes: Bool)
        throws
    {
        let scope = try FrameScope.current(invocation.state)
        for variable in scope.variables where pattern.matches(variable.name) {
            var line = scope.locationText(variable).leftPadded(to: 17) + " "
            if showTypes { line += scope.pdb.types.name(of: variable.type) + " " }
            line += variable.name + " = " + scope.text.short(scope.value(of: variable))
            invocation.out.line(line)
        }
    }
}

enum NearestCommand {
    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let address = try invocation.evaluate(invocation.arguments)
        let pointerSize = target.machine.pointerSize
        guard let index = state.moduleMap.index(containing: address) else {
            invocation.out.line(
                "No symbols: \(Hex.pointer(address, size: pointerSize)) is in no module")
            return
        }
        let module = target.modules[index]
        let name = state.moduleMap.names[index]
        let rva = address - module.base
        let source = state.symbols.source(for: module, in: state)
        guard let source, let match = source.nearestSymbol(atOrBelow: rva) else {
            invocation.out.line(
                "(\(Hex.pointer(module.base, size: pointerSize)))   \(name)+\(Hex.prefixed(rva))")
            return
        }
        if let line = source.sourceLine(at: rva) {
            invocation.out.line("[\(line.file) @ \(line.line)]")
        }
        var text =
            "(\(Hex.pointer(module.base &+ match.symbol.rva, size: pointerSize)))   "
            + SymbolText.format("\(name)!\(match.symbol.name)", offset: match.displacement)
        if let next = source.nextSymbol(after: match.symbol.rva) {
            text +=
                "   |  (\(Hex.pointer(module.base &+ next.rva, size: pointerSize)))   \(name)!\(next.name)"
        }
        invocation.out.line(text)
        let exact = source.symbols(at: rva)
        if !exact.isEmpty {
            invocation.out.line("Exact matches:")
            for symbol in exact {
                let row = ExamineCommand.Row(
                    address: module.base &+ symbol.rva, name: "\(name)!\(symbol.name)",
                    symbol: symbol, pdb: source as? PDBSymbolSource)
                invocation.out.line("    \(row.name)\(ExamineCommand.suffix(row, target: target))")
            }
        }
    }
}

extension Builtins {
    /// `.lines [-e | -d | -t]`: source line support (`k` shows `[file @ line]`).
    static let lines = Command(
        name: ".lines",
        summary: "toggle source line support (-e on, -d off, -t toggle)",
        usage: ".lines [-e | -d | -t]",
        effect: .changesSession,
        argument: .text
    ) { invocation in
        let state = invocation.state
        switch invocation.trimmedArguments.lowercased() {
        case "", "-t": state.sourceLines.toggle()
        case "-e": state.sourceLines = true
        case "-d": state.sourceLines = false
        default: throw CommandError.syntax(at: invocation.arguments.firstIndex { $0 != " " })
        }
        invocation.out.line(
            "Line number information will \(state.sourceLines ? "" : "not ")be loaded")
    }
}
