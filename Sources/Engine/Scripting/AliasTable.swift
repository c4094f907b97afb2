/// The session's aliases (see the debugger documentation's "Using Aliases"): user-named aliases
/// set with `as`/`aS` and listed by `al`, and the fixed-name aliases `$u0`...`$u9` set with
/// `r $.u0=...`. Automatic aliases (`$ntsym`, `$CurrentDumpFile`, ...) are computed from the
/// session when asked (`AutomaticAliases`).
public struct AliasTable: Sendable, Equatable {
    /// User-named aliases: name → equivalent (both case-sensitive).
    public private(set) var named: [String: String] = [:]
    /// `$u0`...`$u9`; empty until set.
    public private(set) var fixed = [String](repeating: "", count: 10)

    /// More aliases than this is a runaway script, not a person.
    public static let maximumCount = 10_000
    /// An alias equivalent longer than this is refused (aliases are text, expanded into lines).
    public static let maximumValueLength = 1 << 20

    public init() {}

    /// Defines or redefines a user-named alias.
    public mutating func set(_ name: String, to value: String) throws(CommandError) {
        guard value.utf8.count <= Self.maximumValueLength else {
            throw CommandError.message(
                "Alias value is longer than \(Self.maximumValueLength) bytes")
        }
        guard named[name] != nil || named.count < Self.maximumCount else {
            throw CommandError.message("Too many aliases (at most \(Self.maximumCount))")
        }
        named[name] = value
    }

    /// Removes a user-named alias; false when there was none.
    @discardableResult
    public mutating func remove(_ name: String) -> Bool {
        named.removeValue(forKey: name) != nil
    }

    public mutating func removeAll() {
        named.removeAll()
    }

    /// Sets `$uN`.
    public mutating func setFixed(_ index: Int, to value: String) throws(CommandError) {
        guard fixed.indices.contains(index) else { throw CommandError.syntax() }
        guard value.utf8.count <= Self.maximumValueLength else {
            throw CommandError.message(
                "Alias value is longer than \(Self.maximumValueLength) bytes")
        }
        fixed[index] = value
    }

    /// The user-named aliases in the order `al` lists them (by name).
    public var sortedNamed: [(name: String, value: String)] {
        named.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
