/// One named address in a module, as a symbol source knows it.
///
/// Addresses are RVAs (offsets from the module's load base). A symbol found in a Breakpad
/// `FUNC` record has a size; `PUBLIC` records and PE exports do not.
public struct Symbol: Sendable, Hashable, CustomStringConvertible {
    /// Where a symbol came from; `x /v` and `ln` can show it.
    public enum Origin: Sendable, Hashable {
        /// A function with a known extent (Breakpad `FUNC`, a PDB procedure).
        case function
        /// A public symbol without size (Breakpad `PUBLIC`, a PDB public).
        case publicSymbol
        /// A named entry of the PE export table.
        case export
        /// A global or static variable (a PDB data symbol).
        case data
    }

    /// The name exactly as the symbol file gives it (Breakpad names are already demangled).
    public var name: String
    /// Start of the symbol, relative to the module base.
    public var rva: UInt64
    /// Length in bytes, when the source knows it.
    public var size: UInt64?
    public var origin: Origin
    /// Bytes of stack parameters the function pops or expects (Breakpad's
    /// `stack_param_size`); used by x86 unwinding. `nil` when unknown.
    public var parameterSize: UInt32?
    /// True for Breakpad `FUNC m` / `PUBLIC m`: several functions were folded into this code
    /// (identical-code folding), so the name is one of many possible.
    public var isMultiple: Bool
    /// The symbol's type in its symbol file (a PDB type index), when the file has types.
    public var typeIndex: UInt32?

    public init(
        name: String, rva: UInt64, size: UInt64? = nil, origin: Origin,
        parameterSize: UInt32? = nil, isMultiple: Bool = false, typeIndex: UInt32? = nil
    ) {
        self.name = name
        self.rva = rva
        self.size = size
        self.origin = origin
        self.parameterSize = parameterSize
        self.isMultiple = isMultiple
        self.typeIndex = typeIndex
    }

    /// One past the last byte, when the size is known (saturating at the top of the space).
    public var endRVA: UInt64? {
        guard let size else { return nil }
        let (end, overflow) = rva.addingReportingOverflow(size)
        return overflow ? UInt64.max : end
    }

    /// True when `rva` lies inside `[rva, rva + size)`; `nil` when the size is unknown.
    public func contains(_ address: UInt64) -> Bool? {
        guard let end = endRVA else { return nil }
        return address >= rva && address < end
    }

    public var description: String {
        "\(name) @ 0x\(String(rva, radix: 16))"
            + (size.map { " (0x\(String($0, radix: 16)))" } ?? "")
    }
}

/// The answer to "which symbol covers this RVA": the symbol and how far past its start the
/// address lies.
public struct SymbolMatch: Sendable, Hashable {
    public var symbol: Symbol
    /// `address - symbol.rva`; what CDB prints as `+0x1a`.
    public var displacement: UInt64

    public init(symbol: Symbol, displacement: UInt64) {
        self.symbol = symbol
        self.displacement = displacement
    }

    /// `false` when the symbol has a known size and the address lies past its end (the engine
    /// may then prefer printing `module+0x...`); `true` when inside or when the size is unknown.
    public var isWithinSymbol: Bool {
        guard let size = symbol.size else { return true }
        return displacement < size
    }
}

/// A source position: `[file @ line]` in `k` and `ln`.
public struct SourceLine: Sendable, Hashable {
    /// The file name as the symbol file gives it (often a full build-machine path).
    public var file: String
    public var line: Int
    /// Start of the address range this line record covers.
    public var rva: UInt64
    /// Length of that range.
    public var size: UInt64

    public init(file: String, line: Int, rva: UInt64, size: UInt64) {
        self.file = file
        self.line = line
        self.rva = rva
        self.size = size
    }
}

/// A function inlined at some address, shown by `k` as an `(Inline Function)` frame.
///
/// `inlineFrames(at:)` returns these innermost first, outermost last. The source line of the
/// address itself (`sourceLine(at:)`) belongs to the innermost inline frame; each frame's
/// `callSite` is the position in the function that contains it: the next element of the list,
/// or the enclosing real function for the last element.
public struct InlineFrame: Sendable, Hashable {
    /// Name of the inlined function.
    public var name: String
    /// Nesting depth as recorded (0 = inlined directly into the real function).
    public var depth: Int
    /// Where the enclosing function called the inlined one. `file` is nil when the record
    /// does not name a file (Breakpad's older INLINE format).
    public var callSiteFile: String?
    public var callSiteLine: Int
    /// The inlined code range that contains the queried address.
    public var rangeRVA: UInt64
    public var rangeSize: UInt64

    public init(
        name: String, depth: Int, callSiteFile: String?, callSiteLine: Int, rangeRVA: UInt64,
        rangeSize: UInt64
    ) {
        self.name = name
        self.depth = depth
        self.callSiteFile = callSiteFile
        self.callSiteLine = callSiteLine
        self.rangeRVA = rangeRVA
        self.rangeSize = rangeSize
    }
}

/// What kind of symbols a module has, as `lm` reports it in its unlabelled column.
public enum SymbolKind: Sendable, Hashable {
    /// Symbols are known to be available but not read yet.
    case deferred
    /// Nothing usable (no file found, or the file failed to load).
    case none
    /// Only the PE export table.
    case exports
    /// Public symbols only (a stripped PDB; a Breakpad file with only `PUBLIC` records).
    case publicSymbols
    /// Full symbols with functions and lines (a private PDB; Breakpad `FUNC` records).
    case privateSymbols

    /// The text `lm` prints for this state, e.g. `(export symbols)`.
    public var lmLabel: String {
        switch self {
        case .deferred: "(deferred)"
        case .none: "(no symbols)"
        case .exports: "(export symbols)"
        case .publicSymbols: "(pdb symbols)"
        case .privateSymbols: "(private pdb symbols)"
        }
    }
}
