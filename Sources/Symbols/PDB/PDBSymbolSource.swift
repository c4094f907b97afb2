/// Symbols from a PDB file behind the `SymbolSource` interface, plus what only a PDB knows:
/// functions with their types, local variables and their locations, source lines and types.
///
/// Creating the source opens the file (superblock, directory, info stream); the rest is read
/// when a lookup needs it. Lookups never throw: a damaged part answers nothing.
public final class PDBSymbolSource: SymbolSource {
    public let file: PDBFile
    public let symbolFilePath: String?
    /// Names in `x`/`ln` output are undecorated when they come from publics.
    private let kindValue = LazyValue<SymbolKind>()

    public init(file: PDBFile) {
        self.file = file
        self.symbolFilePath = file.path
    }

    public convenience init(path: String) throws(PDBError) {
        self.init(file: try PDBFile(path: path))
    }

    /// `(private pdb symbols)` when modules carry procedure records or types, else
    /// `(pdb symbols)` (a stripped, public-only PDB).
    public var kind: SymbolKind {
        (try? kindValue.get { () throws(PDBError) -> SymbolKind in
            let modules = try file.modules
            let hasPrivate = modules.contains { $0.symbolBytes > 4 }
            let hasTypes = (try? file.types.count).map { $0 > 0 } ?? false
            return hasPrivate || hasTypes ? .privateSymbols : .publicSymbols
        }) ?? .none
    }

    var is64Bit: Bool { file.machine.map { $0 == 0x8664 || $0 == 0xaa64 } ?? true }

    public var types: TypeCatalog { file.typeCatalog }

    // MARK: Functions

    /// The function (procedure with private symbols) containing `rva`.
    public func function(containing rva: UInt64) -> FunctionSymbol? {
        guard let moduleIndex = file.module(containing: rva),
            let module = try? file.symbols(ofModule: moduleIndex),
            let (start, procedure) = module.procedure(containing: rva)
        else { return nil }
        return functionSymbol(procedure, rva: start, module: moduleIndex)
    }

    private func functionSymbol(_ procedure: ProcedureSymbol, rva: UInt64, module: Int)
        -> FunctionSymbol
    {
        FunctionSymbol(
            name: procedure.name, rva: rva, size: UInt64(procedure.codeSize),
            type: functionType(of: procedure), prologEnd: rva + UInt64(procedure.debugStart),
            epilogStart: rva + UInt64(procedure.debugEnd), moduleIndex: module,
            recordOffset: procedure.recordOffset, endOffset: procedure.endOffset,
            section: procedure.section, sectionOffset: procedure.offset)
    }

    /// The TPI function type of a procedure (through its IPI function id for `_ID` records).
    func functionType(of procedure: ProcedureSymbol) -> TypeIndex? {
        guard procedure.typeIsID else { return procedure.typeIndex }
        switch try? file.ids?.record(procedure.typeIndex) {
        case .functionID(_, let type, _)?: return type
        case .memberFunctionID(_, let type, _)?: return type
        default: return nil
        }
    }

    /// The function type's `ProcedureType`, when it has one.
    public func procedureType(of function: FunctionSymbol) -> ProcedureType? {
        guard let type = function.type, case .function(let procedure) = types.shape(of: type)
        else { return nil }
        return procedure
    }

    /// Parameters and locals in scope at `rva` inside `function`, parameters first as
    /// declared, then locals, innermost blocks last.
    public func variables(in function: FunctionSymbol, at rva: UInt64) -> [LocalVariable] {
        guard let module = try? file.symbols(ofModule: function.moduleIndex),
            let sections = try? file.sections
        else { return [] }
        var count = 0
        if let procedure = procedureType(of: function) {
            count = types.parameterTypes(procedure).count + (procedure.thisType == nil ? 0 : 1)
        }
        return ScopeWalker(
            module: module, function: function, sections: sections, is64Bit: is64Bit,
            parameterCount: count
        ).variables(at: rva)
    }

    /// The parameter list as `x` and `ln` print it: `(int, char **)`.
    public func parameterList(of type: TypeIndex) -> String? {
        guard case .function(let procedure) = types.shape(of: type) else { return nil }
        let names = types.parameterTypes(procedure).map { $0 == 0 ? "..." : types.name(of: $0) }
        return names.isEmpty ? "(void)" : "(" + names.joined(separator: ", ") + ")"
    }

    // MARK: SymbolSource

    public func nearestSymbol(atOrBelow rva: UInt64) -> SymbolMatch? {
        if let function = function(containing: rva) {
            return SymbolMatch(symbol: symbol(function), displacement: rva - function.rva)
        }
        guard let (symbolRVA, record) = nearestPublic(atOrBelow: rva) else { return nil }
        return SymbolMatch(
            symbol: Symbol(
                name: MicrosoftDemangler.undecoratedName(record.name), rva: symbolRVA,
                origin: .publicSymbol),
            displacement: rva - symbolRVA)
    }

    func symbol(_ function: FunctionSymbol) -> Symbol {
        Symbol(
            name: function.name, rva: function.rva, size: function.size, origin: .function,
            typeIndex: function.type)
    }

    public func allSymbols() -> [Symbol] {
        var result: [Symbol] = []
        forEachGlobal { result.append($0) }
        result.sort { ($0.rva, $0.name) < ($1.rva, $1.name) }
        return result
    }

    public func nextSymbol(after rva: UInt64) -> Symbol? {
        var best: Symbol?
        if let publics = try? file.publics, let sections = try? file.sections {
            var low = 0
            var high = publics.addressMapCount
            while low < high {
                let middle = (low + high) / 2
                if let entry = publicEntry(middle, publics, sections), entry.rva <= rva {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            if let entry = publicEntry(low, publics, sections) {
                best = Symbol(
                    name: MicrosoftDemangler.undecoratedName(entry.symbol.name), rva: entry.rva,
                    origin: .publicSymbol)
            }
        }
        if let moduleIndex = file.module(containing: rva),
            let module = try? file.symbols(ofModule: moduleIndex),
            let index = SortedSearch.firstIndex(in: module.procedures, above: rva, key: { $0.rva })
        {
            let (start, procedure) = module.procedures[index]
            if best.map({ start <= $0.rva }) ?? true {
                best = symbol(functionSymbol(procedure, rva: start, module: moduleIndex))
            }
        }
        return best
    }

    public func symbols(at rva: UInt64) -> [Symbol] {
        var result: [Symbol] = []
        if let function = function(containing: rva), function.rva == rva {
            result.append(symbol(function))
        }
        if let (start, record) = nearestPublic(atOrBelow: rva), start == rva {
            let name = MicrosoftDemangler.undecoratedName(record.name)
            if !result.contains(where: { $0.name == name }) {
                result.append(Symbol(name: name, rva: start, origin: .publicSymbol))
            }
        }
        return result
    }

    public func symbols(named name: String) -> [Symbol] {
        var result: [Symbol] = []
        if let records = try? file.symbolRecords, let globals = try? file.globals {
            for offset in globals.candidates(for: name) {
                guard let (_, record) = try? records.record(at: Int(offset)),
                    let found = globalSymbol(record),
                    SymbolPattern.equalsIgnoringCase(found.name, name)
                else { continue }
                result.append(found)
            }
        }
        if let records = try? file.symbolRecords, let publics = try? file.publics,
            let sections = try? file.sections
        {
            for offset in publics.index.candidates(for: name) {
                guard case (_, .publicSymbol(let symbol))? = try? records.record(at: Int(offset)),
                    SymbolPattern.equalsIgnoringCase(symbol.name, name),
                    let rva = sections.rva(section: symbol.section, offset: symbol.offset),
                    !result.contains(where: { $0.rva == rva })
                else { continue }
                result.append(
                    Symbol(
                        name: symbol.name, rva: rva,
                        origin: symbol.isFunction ? .publicSymbol : .data))
            }
        }
        if result.isEmpty, name.contains("::") || name.contains("<") {
            // C++ names of public-only symbols are indexed by their decorated form.
            if let pattern = try? SymbolPattern(name, leadingUnderscoreMatchesAny: false) {
                result = scan(pattern)
            }
        }
        return result.sorted { $0.rva < $1.rva }
    }

    public func symbols(matching pattern: SymbolPattern) -> [Symbol] {
        if let exact = pattern.exactName { return symbols(named: exact) }
        return scan(pattern)
    }

    /// Every global and public symbol whose name matches, publics at an address already
    /// named by a function or variable left out. One pass over the symbol record stream, where
    /// both kinds live.
    private func scan(_ pattern: SymbolPattern) -> [Symbol] {
        let filter = NameFilter(pattern)
        guard let records = try? file.symbolRecords, let sections = try? file.sections else {
            return []
        }
        var result: [Symbol] = []
        var publics: [Symbol] = []
        records.forEachRecord(ifName: filter.mayMatch) { record in
            if case .publicSymbol(let symbol) = record {
                guard let rva = sections.rva(section: symbol.section, offset: symbol.offset)
                else { return }
                let name = MicrosoftDemangler.undecoratedName(symbol.name)
                guard pattern.matches(name) else { return }
                publics.append(
                    Symbol(name: name, rva: rva, origin: symbol.isFunction ? .publicSymbol : .data))
            } else if let symbol = globalSymbol(record), pattern.matches(symbol.name) {
                result.append(symbol)
            }
        }
        var addresses = Set(result.map(\.rva))
        for symbol in publics where addresses.insert(symbol.rva).inserted {
            result.append(symbol)
        }
        return result.sorted { ($0.rva, $0.name) < ($1.rva, $1.name) }
    }

    public func sourceLine(at rva: UInt64) -> SourceLine? {
        guard let moduleIndex = file.module(containing: rva),
            let module = try? file.symbols(ofModule: moduleIndex),
            let entry = module.lines.entry(at: rva),
            entry.line != 0xfe_efee, entry.line != 0xf0_0f00, entry.line != 0,
            let name = file.fileName(module: module, checksumOffset: entry.fileChecksumOffset)
        else { return nil }
        return SourceLine(
            file: name, line: Int(entry.line), rva: entry.rva, size: entry.end - entry.rva)
    }

    /// Code ranges of `line` in files whose name ends with `file` (case-insensitive), for
    /// source-line expressions. Scans the line tables of every module.
    public func addresses(ofLine line: Int, inFile file: String) -> [UInt64] {
        guard let modules = try? self.file.modules else { return [] }
        let wanted = file.lowercased().replacing("\\", with: "/")
        var result: [UInt64] = []
        for module in modules where module.c13Bytes > 0 {
            guard let symbols = try? self.file.symbols(ofModule: module.index) else { continue }
            var matchingFiles: [UInt32: Bool] = [:]
            for entry in symbols.lines.entries where Int(entry.line) == line {
                let matches =
                    matchingFiles[entry.fileChecksumOffset]
                    ?? {
                        let name =
                            (self.file.fileName(
                                module: symbols, checksumOffset: entry.fileChecksumOffset) ?? "")
                            .lowercased().replacing("\\", with: "/")
                        let result = name == wanted || name.hasSuffix("/" + wanted)
                        matchingFiles[entry.fileChecksumOffset] = result
                        return result
                    }()
                if matches { result.append(entry.rva) }
            }
        }
        return result.sorted()
    }

    // MARK: Globals and publics

    /// The function or data symbol a globals record stands for.
    private func globalSymbol(_ record: SymbolRecord) -> Symbol? {
        switch record {
        case .procedureReference(let reference):
            guard
                let (rva, procedure) = file.procedure(
                    module: reference.moduleIndex, recordOffset: reference.recordOffset)
            else { return nil }
            return symbol(functionSymbol(procedure, rva: rva, module: reference.moduleIndex))
        case .data(let data):
            guard let rva = try? file.sections.rva(section: data.section, offset: data.offset)
            else { return nil }
            return Symbol(
                name: data.name, rva: rva, size: types.size(of: data.typeIndex), origin: .data,
                typeIndex: data.typeIndex)
        default:
            return nil
        }
    }

    private func forEachGlobal(_ body: (Symbol) -> Void) {
        guard let records = try? file.symbolRecords, let globals = try? file.globals else { return }
        let found = records.records(at: globals.allRecordOffsets, ifName: { _ in true })
        for record in found {
            if let symbol = globalSymbol(record) { body(symbol) }
        }
    }

    private func publicEntry(_ position: Int, _ publics: PublicsStream, _ sections: SectionMap)
        -> (rva: UInt64, symbol: PublicSymbol)?
    {
        guard let offset = publics.addressMapEntry(position),
            case (_, .publicSymbol(let symbol))? = try? file.symbolRecords.record(at: Int(offset)),
            let rva = sections.rva(section: symbol.section, offset: symbol.offset)
        else { return nil }
        return (rva, symbol)
    }

    /// The public symbol at or below `rva`, by binary search of the publics' address map.
    func nearestPublic(atOrBelow rva: UInt64) -> (UInt64, PublicSymbol)? {
        guard let publics = try? file.publics, let sections = try? file.sections else { return nil }
        var low = 0
        var high = publics.addressMapCount
        while low < high {
            let middle = (low + high) / 2
            if let entry = publicEntry(middle, publics, sections), entry.rva <= rva {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0, let entry = publicEntry(low - 1, publics, sections) else { return nil }
        // Stay inside the section of the address.
        guard let here = sections.sectionOffset(of: rva), here.section == entry.symbol.section
        else {
            return nil
        }
        return (entry.rva, entry.symbol)
    }
}

/// A quick test on raw name bytes before decoding: every identifier run of an `x` pattern must
/// appear in the name, in order, ignoring ASCII case. A decorated C++ name (`?name@Class@@...`)
/// spells its identifiers in another order and its built-in types as codes, so for those only
/// the longest run must appear somewhere.
struct NameFilter {
    let literals: [[UInt8]]
    let longest: [UInt8]?

    init(_ pattern: SymbolPattern) {
        literals = pattern.requiredIdentifierRuns
        longest = literals.max { $0.count < $1.count }
    }

    func mayMatch(_ name: UnsafeRawBufferPointer) -> Bool {
        if name.first == UInt8(ascii: "?") {
            guard let longest else { return true }
            return Self.find(longest, in: name, from: 0) != nil
        }
        var start = 0
        for literal in literals {
            guard let found = Self.find(literal, in: name, from: start) else { return false }
            start = found + literal.count
        }
        return true
    }

    private static func find(
        _ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int
    )
        -> Int?
    {
        guard let first = needle.first, haystack.count - start >= needle.count else {
            return needle.isEmpty ? start : nil
        }
        // The needle is lower case; a name's first letter may be either.
        let upperFirst = first >= 0x61 && first <= 0x7a ? first - 0x20 : first
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            let byte = haystack[index]
            if byte == first || byte == upperFirst {
                var matched = true
                for offset in 1..<needle.count
                where TypeCatalog.lower(haystack[index + offset]) != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
