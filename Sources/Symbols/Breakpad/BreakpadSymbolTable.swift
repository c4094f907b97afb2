/// A parsed Breakpad symbol file: sorted record arrays over the file's bytes, answering
/// lookups by binary search. Built by `BreakpadParser`; immutable afterwards.
struct BreakpadSymbolTable: Sendable {
    var text: [UInt8] = []
    var module: BreakpadModuleRecord?
    var codeIdentifier: String?
    var counts = BreakpadRecordCounts()
    var skippedLineCount = 0
    var warnings: [BreakpadParseWarning] = []
    var adjustedRangeCount = 0

    /// In file order (INLINE records refer to them by index).
    var functions: [FunctionRecord] = []
    /// Indices into `functions`, sorted by RVA.
    var functionOrder: [Int32] = []
    var functionRanges = RangeForest()
    /// Sorted by RVA; address-0 publics left out.
    var publics: [PublicRecord] = []
    var lines: [LineRecord] = []
    /// Sorted by id.
    var files: [NamedID] = []
    /// Sorted by id.
    var inlineOrigins: [NamedID] = []
    var inlines: [InlineRecord] = []
    var inlineRanges: [InlineRange] = []
    var inlineRangeIndex = RangeForest()
    var stackWin: [StackWinRecord] = []
    /// `stackWin` indices of frame-data (type 4) and FPO (type 0) records, and their ranges.
    var frameDataRecords: [Int32] = []
    var frameDataRanges = RangeForest()
    var fpoRecords: [Int32] = []
    var fpoRanges = RangeForest()
    var cfiInit: [CFIInitRecord] = []
    var cfiInitRanges = RangeForest()
    /// Sorted by RVA, file order kept among equal RVAs.
    var cfiDeltas: [CFIDeltaRecord] = []

    var kind: SymbolKind {
        if !functions.isEmpty { return .privateSymbols }
        return publics.isEmpty ? .none : .publicSymbols
    }

    var report: BreakpadLoadReport {
        BreakpadLoadReport(
            module: module, codeIdentifier: codeIdentifier, counts: counts,
            skippedLineCount: skippedLineCount, warnings: warnings,
            adjustedRangeCount: adjustedRangeCount)
    }

    func string(_ range: TextRange) -> String {
        let start = Int(range.offset)
        let end = start + Int(range.length)
        guard start <= end, end <= text.count else { return "" }
        return String(decoding: text[start..<end], as: UTF8.self)
    }

    // MARK: Symbols

    func symbol(function index: Int) -> Symbol {
        let record = functions[index]
        return Symbol(
            name: string(record.name), rva: record.rva, size: record.size, origin: .function,
            parameterSize: record.parameterSize, isMultiple: record.isMultiple)
    }

    func symbol(public index: Int) -> Symbol {
        let record = publics[index]
        return Symbol(
            name: string(record.name), rva: record.rva, origin: .publicSymbol,
            parameterSize: record.parameterSize, isMultiple: record.isMultiple)
    }

    func symbol(_ reference: SymbolReference) -> Symbol {
        switch reference {
        case .function(let index): symbol(function: index)
        case .publicSymbol(let index): symbol(public: index)
        }
    }

    /// Breakpad's rule first (the covering FUNC; else the nearest PUBLIC above the nearest
    /// FUNC start), then, unlike Breakpad, the nearest FUNC below even when the address is
    /// past its end, so the engine can still print `func+0x…` as CDB does.
    func nearestSymbol(atOrBelow rva: UInt64) -> SymbolMatch? {
        if let covering = functionRanges.innermost(containing: rva) {
            return SymbolMatch(
                symbol: symbol(function: covering), displacement: rva - functions[covering].rva)
        }
        let function = SortedSearch.lastIndex(in: functionOrder, atOrBelow: rva) {
            functions[Int($0)].rva
        }.map { Int(functionOrder[$0]) }
        let publicIndex = SortedSearch.lastIndex(in: publics, atOrBelow: rva) { $0.rva }
        if let publicIndex {
            // Several publics at one address: the first in file order.
            let address = publics[publicIndex].rva
            var first = publicIndex
            while first > 0, publics[first - 1].rva == address { first -= 1 }
            if function.map({ functions[$0].rva < address }) ?? true {
                return SymbolMatch(symbol: symbol(public: first), displacement: rva - address)
            }
        }
        guard let function else { return nil }
        return SymbolMatch(
            symbol: symbol(function: function), displacement: rva - functions[function].rva)
    }

    func allSymbols() -> [Symbol] {
        var result: [Symbol] = []
        result.reserveCapacity(functions.count + publics.count)
        for index in functions.indices { result.append(symbol(function: index)) }
        for index in publics.indices { result.append(symbol(public: index)) }
        result.sort { ($0.rva, $0.name) < ($1.rva, $1.name) }
        return result
    }

    func nextSymbol(after rva: UInt64) -> Symbol? {
        let function = SortedSearch.firstIndex(in: functionOrder, above: rva) {
            functions[Int($0)].rva
        }.map { symbol(function: Int(functionOrder[$0])) }
        let publicSymbol = SortedSearch.firstIndex(in: publics, above: rva) { $0.rva }
            .map { symbol(public: $0) }
        switch (function, publicSymbol) {
        case (let f?, let p?): return p.rva < f.rva ? p : f
        case (let f?, nil): return f
        case (nil, let p?): return p
        case (nil, nil): return nil
        }
    }

    func symbols(at rva: UInt64) -> [Symbol] {
        var result: [Symbol] = []
        if var index = SortedSearch.firstIndex(
            in: functionOrder, atOrAbove: rva,
            key: {
                functions[Int($0)].rva
            })
        {
            while index < functionOrder.count, functions[Int(functionOrder[index])].rva == rva {
                result.append(symbol(function: Int(functionOrder[index])))
                index += 1
            }
        }
        if var index = SortedSearch.firstIndex(in: publics, atOrAbove: rva, key: { $0.rva }) {
            while index < publics.count, publics[index].rva == rva {
                result.append(symbol(public: index))
                index += 1
            }
        }
        return result
    }

    // MARK: Lines and inlines

    func sourceLine(at rva: UInt64) -> SourceLine? {
        guard let function = functionRanges.innermost(containing: rva) else { return nil }
        let record = functions[function]
        let start = Int(record.lineStart)
        let end = start + Int(record.lineCount)
        guard record.lineCount > 0, end <= lines.count else { return nil }
        let slice = lines[start..<end]
        guard let index = SortedSearch.lastIndex(in: slice, atOrBelow: rva, key: { $0.rva }) else {
            return nil
        }
        let line = lines[index]
        let (lineEnd, overflow) = line.rva.addingReportingOverflow(line.size)
        guard overflow || rva < lineEnd, let file = fileName(Int64(line.fileID)) else {
            return nil
        }
        return SourceLine(file: file, line: Int(line.line), rva: line.rva, size: line.size)
    }

    func fileName(_ id: Int64) -> String? {
        guard let index = Self.index(of: id, in: files) else { return nil }
        return string(files[index].name)
    }

    func inlineFrames(at rva: UInt64) -> [InlineFrame] {
        guard !inlines.isEmpty, let function = functionRanges.innermost(containing: rva) else {
            return []
        }
        var seen = Set<Int32>()
        var frames: [InlineFrame] = []
        for rangeIndex in inlineRangeIndex.all(containing: rva) {
            let range = inlineRanges[rangeIndex]
            let record = inlines[Int(range.inline)]
            guard Int(record.function) == function, seen.insert(range.inline).inserted else {
                continue
            }
            let name =
                Self.index(of: Int64(record.originID), in: inlineOrigins)
                .map { string(inlineOrigins[$0].name) } ?? "<name omitted>"
            frames.append(
                InlineFrame(
                    name: name, depth: Int(record.depth),
                    callSiteFile: record.callSiteFileID >= 0
                        ? fileName(record.callSiteFileID) : nil,
                    callSiteLine: Int(record.callSiteLine), rangeRVA: range.start,
                    rangeSize: range.size))
        }
        // Innermost (deepest) first.
        frames.sort { $0.depth > $1.depth }
        return frames
    }

    private static func index(of id: Int64, in records: [NamedID]) -> Int? {
        guard let wanted = UInt32(exactly: id) else { return nil }
        var low = 0
        var high = records.count
        while low < high {
            let middle = low + (high - low) / 2
            if records[middle].id < wanted { low = middle + 1 } else { high = middle }
        }
        return low < records.count && records[low].id == wanted ? low : nil
    }

    // MARK: Unwind records

    func cfiRules(at rva: UInt64) -> CFIRuleSet? {
        guard let initIndex = cfiInitRanges.innermost(containing: rva) else { return nil }
        let initRecord = cfiInit[initIndex]
        var rules = CFIRuleSet()
        do {
            try rules.apply(ruleText: string(initRecord.rules))
        } catch {
            return nil
        }
        guard
            var index = SortedSearch.firstIndex(
                in: cfiDeltas, atOrAbove: initRecord.rva, key: { $0.rva })
        else { return rules }
        while index < cfiDeltas.count, cfiDeltas[index].rva <= rva {
            // A malformed delta keeps the rules it managed to apply (as Breakpad does).
            try? rules.apply(ruleText: string(cfiDeltas[index].rules))
            index += 1
        }
        return rules
    }

    func windowsFrameInfo(at rva: UInt64) -> WindowsFrameInfo? {
        let index =
            frameDataRanges.innermost(containing: rva).map { frameDataRecords[$0] }
            ?? fpoRanges.innermost(containing: rva).map { fpoRecords[$0] }
        guard let index else { return nil }
        let record = stackWin[Int(index)]
        return WindowsFrameInfo(
            type: record.type, rva: record.rva, codeSize: record.codeSize,
            prologSize: record.prologSize, epilogSize: record.epilogSize,
            parameterSize: record.parameterSize, savedRegisterSize: record.savedRegisterSize,
            localSize: record.localSize, maxStackSize: record.maxStackSize,
            programString: record.program.length > 0 ? string(record.program) : nil,
            allocatesBasePointer: record.allocatesBasePointer)
    }

    func parameterSize(at rva: UInt64) -> UInt32? {
        if let info = windowsFrameInfo(at: rva) { return info.parameterSize }
        return functionRanges.innermost(containing: rva).map { functions[$0].parameterSize }
    }
}

/// A FUNC or PUBLIC record, by index.
enum SymbolReference: Sendable, Hashable {
    case function(Int)
    case publicSymbol(Int)
}
