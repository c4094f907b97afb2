/// Symbols of one module, whatever file they come from (PE exports, a Breakpad `.sym` file,
/// later a PDB).
///
/// Every address is an RVA: the caller subtracts the module base before asking and adds it
/// back when printing. Lookups never throw; a source that failed to load simply answers
/// nothing and reports `.none` as its `kind`.
///
/// Conformers must implement the first group of requirements; the rest have default
/// implementations built on `allSymbols()` that a conformer should replace when it can do
/// better (e.g. with a sorted index).
public protocol SymbolSource: AnyObject, Sendable {
    /// What `lm` shows for this module. Must not force a lazy source to load.
    var kind: SymbolKind { get }

    /// The file the symbols come from, if any (`lmv` prints it).
    var symbolFilePath: String? { get }

    /// The symbol starting at or below `rva` that best describes it (the covering function if
    /// there is one). `nil` when no symbol lies at or below `rva`, or the source's sanity
    /// limit rejects the distance.
    func nearestSymbol(atOrBelow rva: UInt64) -> SymbolMatch?

    /// Every symbol, sorted by RVA (then name). For `x *` and indexing by the engine.
    func allSymbols() -> [Symbol]

    /// The first symbol starting strictly above `rva` (for `ln`'s "next symbol" column).
    func nextSymbol(after rva: UInt64) -> Symbol?

    /// All symbols starting exactly at `rva` (`ln`'s "Exact matches").
    func symbols(at rva: UInt64) -> [Symbol]

    /// Symbols whose name equals `name`, ignoring ASCII case (CDB's default).
    func symbols(named name: String) -> [Symbol]

    /// Symbols matching an `x`-style pattern, sorted by RVA.
    func symbols(matching pattern: SymbolPattern) -> [Symbol]

    /// File and line for `rva`, when the source has line information.
    func sourceLine(at rva: UInt64) -> SourceLine?

    /// Functions inlined at `rva`, innermost first, outermost last (see `InlineFrame`).
    func inlineFrames(at rva: UInt64) -> [InlineFrame]
}

extension SymbolSource {
    public func nextSymbol(after rva: UInt64) -> Symbol? {
        allSymbols().first { $0.rva > rva }
    }

    public func symbols(at rva: UInt64) -> [Symbol] {
        allSymbols().filter { $0.rva == rva }
    }

    public func symbols(named name: String) -> [Symbol] {
        allSymbols().filter { SymbolPattern.equalsIgnoringCase($0.name, name) }
    }

    public func symbols(matching pattern: SymbolPattern) -> [Symbol] {
        allSymbols().filter { pattern.matches($0.name) }
    }

    public func sourceLine(at rva: UInt64) -> SourceLine? { nil }

    public func inlineFrames(at rva: UInt64) -> [InlineFrame] { [] }
}
