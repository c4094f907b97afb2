/// A symbol search path as `.sympath` and `-y` take it: elements separated by `;`.
///
/// Element forms (Microsoft's "Symbol path" documentation):
/// * a plain directory;
/// * `srv*`, `srv*Store*…*Server`: a symbol-server chain; stores are searched in order, an
///   empty entry (`srv**url`) or a bare `srv*` means the default downstream store;
/// * `symsrv*symsrv.dll*Store*…*Server`: the same with an explicit server DLL;
/// * `cache*Dir` / `cache*`: a local cache (default cache when no directory is given).
///
/// xcdb has no network access: `http://` and `https://` locations are kept (so `.sympath`
/// shows them) but never searched; see `SymbolFileLocator`.
public struct SymbolPath: Sendable, Hashable, CustomStringConvertible {
    public var elements: [SymbolPathElement]

    public init(elements: [SymbolPathElement]) {
        self.elements = elements
    }

    /// Parses a path string; empty elements are dropped, white space around elements trimmed.
    public init(parsing text: String) {
        elements = text.split(separator: ";").compactMap { raw in
            let element = raw.trimmingBlanks()
            return element.isEmpty ? nil : SymbolPathElement(parsing: element)
        }
    }

    /// `.sympath+ more`: this path followed by the elements of `text`.
    public func appending(_ text: String) -> SymbolPath {
        SymbolPath(elements: elements + SymbolPath(parsing: text).elements)
    }

    /// The path written back in canonical form (`srv*`, `cache*` in lower case).
    public var description: String {
        elements.map(\.description).joined(separator: ";")
    }

    /// Every remote (URL) location in the path, which xcdb does not contact.
    public var remoteLocations: [String] {
        elements.flatMap { element -> [String] in
            guard case .symbolServer(let chain) = element else { return [] }
            return chain.locations.compactMap {
                if case .remote(let url) = $0 { return url }
                return nil
            }
        }
    }
}

/// One `;`-separated element of a symbol path.
public enum SymbolPathElement: Sendable, Hashable, CustomStringConvertible {
    /// A plain directory, searched directly (flat and in store layout).
    case directory(String)
    /// `srv*…` or `symsrv*dll*…`.
    case symbolServer(SymbolServerChain)
    /// `cache*dir`, or `cache*` (nil) for the default cache.
    case cache(String?)

    init(parsing element: String) {
        let parts = element.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        let head = parts[0].lowercased()
        if parts.count >= 2, head == "srv" {
            self = .symbolServer(
                SymbolServerChain(dll: nil, locationTexts: Array(parts.dropFirst())))
        } else if parts.count >= 3, head == "symsrv" {
            self = .symbolServer(
                SymbolServerChain(dll: parts[1], locationTexts: Array(parts.dropFirst(2))))
        } else if parts.count == 2, head == "cache" {
            self = .cache(parts[1].isEmpty ? nil : parts[1])
        } else {
            self = .directory(element)
        }
    }

    public var description: String {
        switch self {
        case .directory(let path): path
        case .cache(let directory): "cache*" + (directory ?? "")
        case .symbolServer(let chain): chain.description
        }
    }
}

/// The stores of one `srv*` / `symsrv*` element, in search order.
public struct SymbolServerChain: Sendable, Hashable, CustomStringConvertible {
    /// The server DLL named by `symsrv*dll*…`; nil for `srv*`.
    public var dll: String?
    public var locations: [SymbolStoreLocation]

    public init(dll: String?, locations: [SymbolStoreLocation]) {
        self.dll = dll
        self.locations = locations
    }

    init(dll: String?, locationTexts: [String]) {
        self.dll = dll
        // `srv*` alone: the default downstream store, then the default server.
        if locationTexts.allSatisfy(\.isEmpty) {
            self.locations = [.defaultDownstreamStore, .defaultServer]
            return
        }
        self.locations = locationTexts.map { text in
            if text.isEmpty { return .defaultDownstreamStore }
            let lower = text.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return .remote(text) }
            return .local(text)
        }
    }

    public var description: String {
        let head = dll.map { "symsrv*\($0)" } ?? "srv"
        if locations == [.defaultDownstreamStore, .defaultServer] { return head + "*" }
        return ([head] + locations.map(\.description)).joined(separator: "*")
    }
}

/// A store in a symbol-server chain.
public enum SymbolStoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A local (or mounted) directory in symbol-store layout.
    case local(String)
    /// An `http(s)://` server; recorded, never contacted.
    case remote(String)
    /// The debugger's default downstream store (the engine decides where it is).
    case defaultDownstreamStore
    /// Microsoft's public server, implied by a bare `srv*`; never contacted.
    case defaultServer

    public var description: String {
        switch self {
        case .local(let path): path
        case .remote(let url): url
        case .defaultDownstreamStore: ""
        case .defaultServer: "<default symbol server>"
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
