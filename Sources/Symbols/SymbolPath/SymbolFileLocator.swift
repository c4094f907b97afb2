import FoundationEssentials
import HostSystem

/// The outcome of looking for one module's symbol file along a symbol path.
public struct SymbolFileSearch: Sendable, Hashable {
    /// The file found, or nil.
    public var foundPath: String?
    /// Every path looked at, in order (for `!sym noisy` / `.reload /v` style output).
    public var triedPaths: [String]
    /// Locations on the path that were not searched because they need the network
    /// (`http(s)://` servers, the default Microsoft server). xcdb never contacts them.
    public var skippedRemoteLocations: [String]

    public init(foundPath: String?, triedPaths: [String], skippedRemoteLocations: [String]) {
        self.foundPath = foundPath
        self.triedPaths = triedPaths
        self.skippedRemoteLocations = skippedRemoteLocations
    }
}

/// Finds symbol files for modules along a `SymbolPath`, on local disk only.
///
/// Breakpad files are looked for in Breakpad's store layout,
/// `<dir>/<debug file>/<debug identifier>/<debug file minus .pdb>.sym`
/// (`symbols/test_app.pdb/5A98…1/test_app.sym`, `symbols/libc-2.13.so/F4F8…0/libc-2.13.so.sym`),
/// in every local store of the path; plain directories are also searched flat for
/// `<dir>/<debug file minus .pdb>.sym`. Each path component is matched exactly first and
/// then ignoring case, since stores made on Windows differ in case from what dumps record.
///
/// Remote stores (`srv*https://…`) are never contacted; they are listed in
/// `SymbolFileSearch.skippedRemoteLocations` so the engine can tell the user.
public struct SymbolFileLocator: Sendable {
    public var path: SymbolPath
    /// Where `srv*` without an explicit store and `cache*` without a directory point; nil
    /// when the engine has none (such elements are then skipped).
    public var defaultDownstreamStore: String?

    public init(path: SymbolPath, defaultDownstreamStore: String? = nil) {
        self.path = path
        self.defaultDownstreamStore = defaultDownstreamStore
    }

    /// `test_app.pdb` → `test_app.sym`; `libc-2.13.so` → `libc-2.13.so.sym`. A directory
    /// part (`c:\build\test_app.pdb`) is dropped first.
    public static func breakpadSymbolFileName(debugFile: String) -> String {
        let base = fileBaseName(debugFile)
        if base.lowercased().hasSuffix(".pdb") {
            return String(base.dropLast(4)) + ".sym"
        }
        return base + ".sym"
    }

    /// The last component of a Windows or POSIX path.
    public static func fileBaseName(_ path: String) -> String {
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.last.map(String.init) ?? path
    }

    /// Looks for the Breakpad symbol file of a module.
    /// - Parameters:
    ///   - debugFile: the debug file name from the module's CodeView record (`test_app.pdb`,
    ///     possibly with a directory) or, for ELF modules, the module's file name.
    ///   - debugIdentifier: from `DebugIdentifier`.
    public func locateBreakpadSymbols(debugFile: String, debugIdentifier: String)
        -> SymbolFileSearch
    {
        locate(
            storeEntry: Self.fileBaseName(debugFile), identifier: debugIdentifier,
            fileName: Self.breakpadSymbolFileName(debugFile: debugFile))
    }

    /// Looks for `<store>/<storeEntry>/<identifier>/<fileName>` in every local store of the
    /// path, and for `<dir>/<fileName>` in plain directories. The general form behind
    /// `locateBreakpadSymbols`; a PDB reader would pass `ntdll.pdb`, its id and `ntdll.pdb`.
    ///
    /// Names from a dump are untrusted: a component that is empty, `.` or `..`, or contains a
    /// path separator or NUL, is refused (nothing is searched).
    public func locate(storeEntry: String, identifier: String, fileName: String) -> SymbolFileSearch
    {
        let plan = candidates(storeEntry: storeEntry, identifier: identifier, fileName: fileName)
        var tried: [String] = []
        for candidate in plan.candidates {
            tried.append(candidate.display)
            if let found = candidate.existingFile() {
                return SymbolFileSearch(
                    foundPath: found, triedPaths: tried,
                    skippedRemoteLocations: plan.skippedRemoteLocations)
            }
        }
        return SymbolFileSearch(
            foundPath: nil, triedPaths: tried, skippedRemoteLocations: plan.skippedRemoteLocations)
    }

    /// One place a symbol file may be: a root directory and the path components below it.
    public struct Candidate: Sendable, Hashable {
        public var root: String
        public var components: [String]
        /// True for the symbol-store layout (`name.pdb/ID/name.pdb`), false for a flat directory.
        public var isStore: Bool

        /// The path as it is shown to the user.
        public var display: String { SymbolFileLocator.join(root, components) }

        /// The file at this place when it exists, each component matched exactly or else
        /// ignoring case.
        public func existingFile() -> String? {
            SymbolFileLocator.existingFile(root: root, components: components)
        }
    }

    /// Every place along the path where `<store>/<storeEntry>/<identifier>/<fileName>` (store
    /// layout) or `<dir>/<fileName>` (plain directories) could be, in search order, without
    /// looking at the disk; plus the remote locations that are skipped.
    ///
    /// Names from a dump are untrusted: a component that is empty, `.` or `..`, or contains a
    /// path separator or NUL, is refused (no candidates).
    public func candidates(storeEntry: String, identifier: String, fileName: String)
        -> (candidates: [Candidate], skippedRemoteLocations: [String])
    {
        var candidates: [Candidate] = []
        var skipped: [String] = []
        let valid = [storeEntry, identifier, fileName].allSatisfy(Self.isSafeComponent)

        func addStore(_ root: String) {
            candidates.append(
                Candidate(
                    root: root, components: [storeEntry, identifier, fileName], isStore: true))
        }
        for element in path.elements {
            switch element {
            case .directory(let directory):
                addStore(directory)
                candidates.append(
                    Candidate(root: directory, components: [fileName], isStore: false))
            case .cache(let directory):
                if let store = directory ?? defaultDownstreamStore { addStore(store) }
            case .symbolServer(let chain):
                for location in chain.locations {
                    switch location {
                    case .local(let directory): addStore(directory)
                    case .defaultDownstreamStore:
                        if let store = defaultDownstreamStore { addStore(store) }
                    case .remote(let url): skipped.append(url)
                    case .defaultServer: skipped.append("the default symbol server")
                    }
                }
            }
        }
        guard valid else { return ([], skipped) }
        var seen = Set<String>()
        return (candidates.filter { seen.insert($0.display).inserted }, skipped)
    }

    private static func isSafeComponent(_ component: String) -> Bool {
        !component.isEmpty && component != "." && component != ".."
            && !component.contains { $0 == "/" || $0 == "\\" || $0 == "\0" }
    }

    static func join(_ root: String, _ components: [String]) -> String {
        var result = root
        for component in components {
            if !result.hasSuffix("/") { result += "/" }
            result += component
        }
        return result
    }

    /// `root/components…` when it names a regular file, matching each component exactly or,
    /// failing that, ignoring case.
    static func existingFile(root: String, components: [String]) -> String? {
        let manager = FileManager.default
        var current = root
        for component in components {
            let exact = join(current, [component])
            if manager.fileExists(atPath: exact) {
                current = exact
                continue
            }
            guard let entries = try? manager.contentsOfDirectory(atPath: current),
                let match = entries.first(where: {
                    SymbolPattern.equalsIgnoringCase($0, component)
                })
            else { return nil }
            current = join(current, [match])
        }
        guard FileKind(path: current).isPresentAndNotAFolder else { return nil }
        return current
    }
}
