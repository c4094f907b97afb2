/// Why a symbol file could not be used.
public struct SymbolFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String?
    public var message: String

    public init(path: String?, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.map { "\($0): \(message)" } ?? message
    }
}
