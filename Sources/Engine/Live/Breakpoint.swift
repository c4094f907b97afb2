/// A breakpoint as the session knows it (`bp`, `bu`, `bm`, `ba`): the target only knows ids and
/// addresses; passes, conditions, commands, threads and deferred resolution live here.
public struct Breakpoint: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `bp`/`bu`/`bm`: before an instruction runs.
        case code
        /// `ba`: on access to `size` bytes.
        case data(BreakAccess, size: UInt64)
    }

    public var id: Int
    public var kind: Kind
    /// The location as typed (`prog!main`, `0x401000`): `bu` resolves it again on module loads.
    public var expression: String
    /// Where it is set; nil while a deferred breakpoint is unresolved.
    public var address: UInt64?
    /// `bu`: follows its expression across module loads and `.restart`.
    public var deferred: Bool
    public var enabled = true
    /// Hits left before it breaks (`bp addr 3`), and the count it was given.
    public var remainingPasses: UInt64 = 1
    public var initialPasses: UInt64 = 1
    /// Commands run when it breaks (`bp addr "k;g"`).
    public var command: String?
    /// `~N bp`: only this thread (debugger number) breaks.
    public var threadIndex: Int?
    /// `bp /1`: removed when it breaks.
    public var oneShot = false

    public init(id: Int, kind: Kind, expression: String, address: UInt64?, deferred: Bool) {
        self.id = id
        self.kind = kind
        self.expression = expression
        self.address = address
        self.deferred = deferred
    }

    /// Whether the target should have it set now.
    var isArmed: Bool { enabled && address != nil }
}

/// Ids the session uses for breakpoints of its own (step plans, `g ADDR`): far above the ids
/// people type (CDB allows up to a few thousand).
enum InternalBreakpointID {
    static let first = 1_000_000
}
