import Symbols

/// Finds and caches symbols for the target's modules, and answers "what is at this address"
/// and "where is this name" for every command.
///
/// Symbols load lazily, module by module, the first time a command needs them (`lm` shows
/// `(deferred)` until then): a PDB matched by the module's CodeView record (GUID and age) found
/// along the symbol path or beside the image, else a Breakpad `.sym` file, else the export
/// table of the image in the target's memory. What loading says (`!sym noisy` detail, a
/// mismatched PDB, falling back to exports) goes to the output of the command that needed it.
public final class SymbolManager {
    /// What is known about one module's symbols.
    enum Entry {
        case loaded(any SymbolSource)
        case none
    }

    /// By module base (`key(_:)`).
    private var entries: [Int: Entry] = [:]

    /// A module's base as an `Int` (the same bits): the runtime already knows `Int` is
    /// Hashable, while a dictionary keyed by a type it has not seen yet costs a scan of every
    /// conformance in the program on first use (a start-up cost).
    private func key(_ module: TargetModule) -> Int { Int(truncatingIfNeeded: module.base) }
    /// How many times symbols were forgotten (`reset()`); anything cached from them is stale
    /// once this moves.
    public private(set) var generation = 0
    /// `!sym noisy`: say where every symbol file was looked for.
    public var noisy = false
    /// `.srcpath`: where source files are looked for (`lsa`, `ls`).
    public var sourcePath = ""
    /// Where `ls` continues.
    var sourceCursor: SourceCursor?
    /// The output of the command running now; load messages go there.
    weak var output: OutputWriter?

    public init() {}

    /// Forgets every loaded symbol file (`.reload`, `.sympath` changes, a new target).
    public func reset() {
        entries.removeAll()
        generation += 1
    }

    /// Forgets one module's symbols (`.reload Module`).
    public func reset(_ module: TargetModule) {
        entries[key(module)] = nil
        generation += 1
    }

    /// True once the module's symbols were looked for.
    public func isLoaded(_ module: TargetModule) -> Bool { entries[key(module)] != nil }

    /// The symbol state `lm` shows: `(deferred)` until a command needed the module's symbols.
    public func statusText(for module: TargetModule, in state: DebuggerState) -> String {
        switch entries[key(module)] {
        case nil: "(deferred)"
        case .loaded(let source)?: source.kind.lmLabel
        case .none?: "(no symbols)"
        }
    }

    /// The kind of symbols loaded for the module, nil until they were looked for.
    public func kind(of module: TargetModule) -> SymbolKind? {
        switch entries[key(module)] {
        case nil: nil
        case .loaded(let source)?: source.kind
        case .none?: SymbolKind.none
        }
    }

    /// True once symbols of any kind were loaded for the module (`lml`).
    public func hasLoadedSymbols(for module: TargetModule) -> Bool {
        if case .loaded(let source)? = entries[key(module)] { return source.kind != .none }
        return false
    }

    /// True when loading found no symbols or only exports (`lme`: "a symbol problem").
    public func hasSymbolProblem(for module: TargetModule) -> Bool {
        switch entries[key(module)] {
        case nil: false
        case .loaded(let source)?: source.kind == .exports || source.kind == .none
        case .none?: true
        }
    }

    /// The symbol file in use for a module, if one was loaded.
    public func symbolFilePath(for module: TargetModule) -> String? {
        if case .loaded(let source)? = entries[key(module)] { return source.symbolFilePath }
        return nil
    }

    /// The identifier symbol stores file the module's symbols under: GUID + age for PDBs
    /// (`5A9832E5287241C1838ED98914E9B7FF1`), the Breakpad id for ELF build ids.
    public func debugIdentifier(for module: TargetModule) -> String? {
        switch module.debugRecord {
        case .pdb70(_, let guid, let age)?: DebugIdentifier.codeView(guid: guid, age: age)
        case .pdb20(_, let signature, let age)?:
            DebugIdentifier.pdb20(signature: signature, age: age)
        case .elfBuildID(let bytes)?: DebugIdentifier.elf(buildID: bytes)
        case nil: nil
        }
    }

    /// The debug file name a symbol store keys the module by (`ntdll.pdb`, `libc-2.13.so`).
    public func debugFileName(for module: TargetModule) -> String? {
        switch module.debugRecord {
        case .pdb70(let name, _, _)?, .pdb20(let name, _, _)?:
            name.isEmpty ? nil : SymbolFileLocator.fileBaseName(name)
        case .elfBuildID?: module.imageName
        case nil: nil
        }
    }

    /// The module's symbols, loading them on first use.
    public func source(for module: TargetModule, in state: DebuggerState) -> (any SymbolSource)? {
        if let entry = entries[key(module)] {
            if case .loaded(let source) = entry { return source }
            return nil
        }
        let source = load(module, state: state)
        entries[key(module)] = source.map { .loaded($0) } ?? Entry.none
        return source
    }

    /// The module's PDB symbols, when that is what it has.
    public func pdb(for module: TargetModule, in state: DebuggerState) -> PDBSymbolSource? {
        source(for: module, in: state) as? PDBSymbolSource
    }

    /// Where `.reload /v` and `!sym noisy` would say the Breakpad search looked.
    public func search(for module: TargetModule, in state: DebuggerState) -> SymbolFileSearch? {
        guard let file = debugFileName(for: module), let id = debugIdentifier(for: module) else {
            return nil
        }
        return locator(state).locateBreakpadSymbols(debugFile: file, debugIdentifier: id)
    }

    private func locator(_ state: DebuggerState) -> SymbolFileLocator {
        SymbolFileLocator(path: SymbolPath(parsing: state.symbolPath))
    }

    private func say(_ lines: [String]) {
        guard let output else { return }
        output.lines(lines)
    }

    private func load(_ module: TargetModule, state: DebuggerState) -> (any SymbolSource)? {
        if case .pdb70(let recorded, let guid, let age)? = module.debugRecord,
            let name = debugFileName(for: module)
        {
            let outcome = PDBSearch(
                module: module, pdbName: name, recordedPath: recorded, guid: guid, age: age,
                symbolPath: state.symbolPath, imagePath: state.imagePath
            ).run()
            say(noisy ? outcome.noisyLines : outcome.warnings)
            if let source = outcome.source { return source }
        }
        if let search = search(for: module, in: state) {
            if noisy {
                say(
                    search.triedPaths.map {
                        "DBGHELP: \($0) - \($0 == search.foundPath ? "found" : "file not found")"
                    })
            }
            if let found = search.foundPath {
                let source = BreakpadSymbolSource(path: found)
                if (try? source.load()) != nil { return source }
            }
        }
        if let image = state.images.image(for: module, in: state),
            let table = try? image.exports(), !table.exports.isEmpty
        {
            let entries = table.exports.map {
                ExportEntry(
                    name: $0.name, ordinal: $0.ordinal, rva: UInt64($0.rva), forwarder: $0.forwarder
                )
            }
            if module.debugRecord != nil {
                say([
                    "*** ERROR: Symbol file could not be found.  Defaulted to export symbols for "
                        + "\(module.imageName) - "
                ])
            } else if noisy {
                say(["DBGHELP: \(module.moduleName) - export symbols"])
            }
            return ExportSymbolSource(exports: entries, imageSize: UInt64(image.sizeOfImage))
        }
        if noisy
            || (module.debugRecord.map { if case .pdb70 = $0 { true } else { false } } ?? false)
        {
            say([
                "*** ERROR: Module load completed but symbols could not be loaded for \(module.imageName)"
            ])
        }
        return nil
    }

    /// The symbol at or below `address` as CDB names it (`ntdll!RtlFoo` and the offset), or the
    /// module and its offset when the module has no symbol there (`ntdll+0x1234`). Nil outside
    /// every module.
    public func nearestSymbol(to address: UInt64, in state: DebuggerState) -> (
        name: String, offset: UInt64
    )? {
        guard let target = state.target, let index = state.moduleMap.index(containing: address)
        else { return nil }
        let module = target.modules[index]
        let name = state.moduleMap.names[index]
        let rva = address - module.base
        if let source = source(for: module, in: state),
            let match = source.nearestSymbol(atOrBelow: rva)
        {
            return (name + "!" + match.symbol.name, match.displacement)
        }
        return (name, rva)
    }

    /// Source file and line of an address, when symbols have lines.
    public func sourceLine(at address: UInt64, in state: DebuggerState) -> SourceLine? {
        guard let target = state.target, let index = state.moduleMap.index(containing: address)
        else { return nil }
        let module = target.modules[index]
        return source(for: module, in: state)?.sourceLine(at: address - module.base)
    }

    /// The address of `module!name` (or a bare name, searched in every module).
    public func address(of reference: SymbolReference, in state: DebuggerState) -> UInt64? {
        guard let target = state.target else { return nil }
        let names = state.moduleMap.names
        for (index, module) in target.modules.enumerated() {
            if let wanted = reference.module, names[index].lowercased() != wanted.lowercased() {
                continue
            }
            guard let source = source(for: module, in: state) else { continue }
            if let symbol = source.symbols(named: reference.name).first {
                return module.base &+ symbol.rva
            }
        }
        return nil
    }
}
