import FoundationEssentials
import HostSystem
import Synchronization

/// Symbols and unwind rules from a Breakpad `.sym` file.
///
/// Creating the source reads nothing: the file is read and parsed on the first lookup (or an
/// explicit `load()`), once, under a lock, so the source can be shared between threads. Until
/// then `kind` is `.deferred`. A file that cannot be read reports `.none` and answers every
/// lookup with nothing; `loadError` says why. Malformed lines are skipped and counted in
/// `loadReport`.
public final class BreakpadSymbolSource: SymbolSource, CallFrameInfoProvider {
    /// Largest file accepted: record offsets are 32-bit.
    public static let maximumFileSize = Int(UInt32.max)

    private enum State {
        case unloaded
        case loaded(BreakpadSymbolTable, BreakpadNameIndex?)
        case failed(SymbolFileError)
    }

    public let symbolFilePath: String?
    private let readContents: @Sendable () throws(SymbolFileError) -> [UInt8]
    private let state = Mutex<State>(.unloaded)

    /// A source for the file at `path`, read on first use.
    public init(path: String) {
        self.symbolFilePath = path
        self.readContents = { () throws(SymbolFileError) in try Self.readFile(path) }
    }

    /// A source over symbol-file text already in memory (parsed on first use).
    public init(contents: [UInt8], name: String? = nil) {
        self.symbolFilePath = name
        self.readContents = { () throws(SymbolFileError) in
            guard contents.count <= Self.maximumFileSize else {
                throw SymbolFileError(path: name, message: "symbol data is larger than 4 GiB")
            }
            return contents
        }
    }

    /// Reads and parses the file now if that has not happened yet (`.reload /f`).
    /// - Returns: what the file held.
    @discardableResult
    public func load() throws(SymbolFileError) -> BreakpadLoadReport {
        switch loadedTable() {
        case .success(let table): return table.report
        case .failure(let error): throw error
        }
    }

    /// True once the file has been read (successfully or not).
    public var isLoaded: Bool {
        state.withLock { state in
            if case .unloaded = state { return false }
            return true
        }
    }

    /// Why loading failed, if it was tried and failed.
    public var loadError: SymbolFileError? {
        state.withLock { state in
            if case .failed(let error) = state { return error }
            return nil
        }
    }

    /// Record counts and skipped lines; loads the file if needed. Nil if loading failed.
    public var loadReport: BreakpadLoadReport? { table?.report }

    /// The file's `MODULE` record; loads the file if needed.
    public var moduleRecord: BreakpadModuleRecord? { table?.module }

    // MARK: SymbolSource

    public var kind: SymbolKind {
        state.withLock { state in
            switch state {
            case .unloaded: .deferred
            case .failed: .none
            case .loaded(let table, _): table.kind
            }
        }
    }

    public func nearestSymbol(atOrBelow rva: UInt64) -> SymbolMatch? {
        table?.nearestSymbol(atOrBelow: rva)
    }

    public func allSymbols() -> [Symbol] { table?.allSymbols() ?? [] }

    public func nextSymbol(after rva: UInt64) -> Symbol? { table?.nextSymbol(after: rva) }

    public func symbols(at rva: UInt64) -> [Symbol] { table?.symbols(at: rva) ?? [] }

    public func symbols(named name: String) -> [Symbol] {
        guard let (table, index) = tableWithNameIndex() else { return [] }
        var found = index.lookup(name, in: table)
        // C++ names carry their parameter list (`crash()`); CDB matches them without it.
        if found.isEmpty && !name.contains("(") {
            found = index.lookup(name + "(", in: table, asPrefix: true)
        }
        return found.map(table.symbol).sorted { $0.rva < $1.rva }
    }

    public func symbols(matching pattern: SymbolPattern) -> [Symbol] {
        if let exact = pattern.exactName { return symbols(named: exact) }
        return allSymbols().filter { pattern.matches($0.name) }
    }

    public func sourceLine(at rva: UInt64) -> SourceLine? { table?.sourceLine(at: rva) }

    public func inlineFrames(at rva: UInt64) -> [InlineFrame] {
        table?.inlineFrames(at: rva) ?? []
    }

    // MARK: CallFrameInfoProvider

    public func cfiRules(at rva: UInt64) -> CFIRuleSet? { table?.cfiRules(at: rva) }

    public func windowsFrameInfo(at rva: UInt64) -> WindowsFrameInfo? {
        table?.windowsFrameInfo(at: rva)
    }

    public func parameterSize(at rva: UInt64) -> UInt32? { table?.parameterSize(at: rva) }

    // MARK: Loading

    private var table: BreakpadSymbolTable? {
        try? loadedTable().get()
    }

    private func loadedTable() -> Result<BreakpadSymbolTable, SymbolFileError> {
        state.withLock { state in
            switch state {
            case .loaded(let table, _): return .success(table)
            case .failed(let error): return .failure(error)
            case .unloaded:
                let result = Result { () throws(SymbolFileError) in
                    BreakpadParser.parse(try readContents())
                }
                switch result {
                case .success(let table): state = .loaded(table, nil)
                case .failure(let error): state = .failed(error)
                }
                return result
            }
        }
    }

    private func tableWithNameIndex() -> (BreakpadSymbolTable, BreakpadNameIndex)? {
        guard case .success = loadedTable() else { return nil }
        return state.withLock { state in
            guard case .loaded(let table, let existing) = state else { return nil }
            if let existing { return (table, existing) }
            let index = BreakpadNameIndex(table: table)
            state = .loaded(table, index)
            return (table, index)
        }
    }

    private static func readFile(_ path: String) throws(SymbolFileError) -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw SymbolFileError(path: path, message: "cannot open the symbol file")
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw SymbolFileError(path: path, message: "not a regular file")
        }
        let size = (attributes[.size] as? UInt64) ?? (attributes[.size] as? Int).map(UInt64.init)
        if let size, size > UInt64(maximumFileSize) {
            throw SymbolFileError(path: path, message: "symbol file is larger than 4 GiB")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            guard data.count <= maximumFileSize else {
                throw SymbolFileError(path: path, message: "symbol file is larger than 4 GiB")
            }
            return [UInt8](data)
        } catch let error as SymbolFileError {
            throw error
        } catch {
            throw SymbolFileError(
                path: path, message: "cannot read the symbol file (\(ErrorText.describe(error)))")
        }
    }
}
