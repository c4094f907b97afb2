/// One entry of a PE export table, as whoever parsed the image hands it over.
public struct ExportEntry: Sendable, Hashable {
    /// The exported name; nil for an export by ordinal only (such entries are not symbols).
    public var name: String?
    public var ordinal: UInt32?
    /// The entry's RVA. For a forwarder this points at the forwarder string, not code.
    public var rva: UInt64
    /// `OTHERDLL.Function` when the export forwards to another module; such entries are not
    /// symbols of this module and are ignored.
    public var forwarder: String?

    public init(name: String?, ordinal: UInt32? = nil, rva: UInt64, forwarder: String? = nil) {
        self.name = name
        self.ordinal = ordinal
        self.rva = rva
        self.forwarder = forwarder
    }
}

/// Anything that can list a module's exports (the PE reader, an emulated stub DLL).
/// `Symbols` does not import the PE reader; the engine adapts it to this protocol.
public protocol ExportTableProviding {
    var exportEntries: [ExportEntry] { get }
}

/// Symbols from a PE export table: what `lm` calls `(export symbols)`.
///
/// Exports have no sizes, so an address resolves to the nearest export at or below it. To
/// avoid naming data or code far beyond the last export after something unrelated, a lookup
/// fails when the address is at or past `imageSize` (when known) or more than
/// `maximumDisplacement` bytes past the export.
public final class ExportSymbolSource: SymbolSource {
    /// Default for `maximumDisplacement`: 1 MiB. Export-only modules routinely have large
    /// gaps of internal code between exports, and CDB itself prints large displacements.
    public static let defaultMaximumDisplacement: UInt64 = 0x10_0000

    /// Named, non-forwarded exports sorted by (rva, name).
    private let sorted: [Symbol]
    public let imageSize: UInt64?
    public let maximumDisplacement: UInt64

    public var kind: SymbolKind { sorted.isEmpty ? .none : .exports }
    public var symbolFilePath: String? { nil }

    public init(
        exports: some Sequence<ExportEntry>, imageSize: UInt64? = nil,
        maximumDisplacement: UInt64 = ExportSymbolSource.defaultMaximumDisplacement
    ) {
        var symbols: [Symbol] = []
        for entry in exports {
            guard entry.forwarder == nil, let name = entry.name, !name.isEmpty else { continue }
            if let imageSize, entry.rva >= imageSize { continue }
            symbols.append(Symbol(name: name, rva: entry.rva, origin: .export))
        }
        symbols.sort { ($0.rva, $0.name) < ($1.rva, $1.name) }
        // The same name at the same RVA twice is one symbol.
        var unique: [Symbol] = []
        unique.reserveCapacity(symbols.count)
        for symbol in symbols where unique.last != symbol { unique.append(symbol) }
        self.sorted = unique
        self.imageSize = imageSize
        self.maximumDisplacement = maximumDisplacement
    }

    public convenience init(
        provider: some ExportTableProviding, imageSize: UInt64? = nil,
        maximumDisplacement: UInt64 = ExportSymbolSource.defaultMaximumDisplacement
    ) {
        self.init(
            exports: provider.exportEntries, imageSize: imageSize,
            maximumDisplacement: maximumDisplacement)
    }

    public func nearestSymbol(atOrBelow rva: UInt64) -> SymbolMatch? {
        if let imageSize, rva >= imageSize { return nil }
        guard let index = SortedSearch.lastIndex(in: sorted, atOrBelow: rva, key: { $0.rva }) else {
            return nil
        }
        // Several names at one address: report the first by name (deterministic).
        let start = sorted[index].rva
        var first = index
        while first > 0, sorted[first - 1].rva == start { first -= 1 }
        let displacement = rva - start
        guard displacement <= maximumDisplacement else { return nil }
        return SymbolMatch(symbol: sorted[first], displacement: displacement)
    }

    public func allSymbols() -> [Symbol] { sorted }

    public func nextSymbol(after rva: UInt64) -> Symbol? {
        let index = SortedSearch.firstIndex(in: sorted, above: rva) { $0.rva }
        return index.map { sorted[$0] }
    }

    public func symbols(at rva: UInt64) -> [Symbol] {
        guard let last = SortedSearch.lastIndex(in: sorted, atOrBelow: rva, key: { $0.rva }),
            sorted[last].rva == rva
        else { return [] }
        var first = last
        while first > 0, sorted[first - 1].rva == rva { first -= 1 }
        return Array(sorted[first...last])
    }
}
