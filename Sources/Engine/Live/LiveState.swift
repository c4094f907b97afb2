/// What the session keeps about a running target between commands: breakpoints, event
/// filters, the last event and how `g` answers it. Lives in `DebuggerState` and is reset when a
/// new target is opened.
public final class LiveState {
    /// User breakpoints by id.
    public var breakpoints: [Int: Breakpoint] = [:]
    public var filters = EventFilters()
    /// The last event as `.lastevent` describes it (`Exit process 0:1c, code 0`).
    public var lastEventDescription: String?
    /// The OS thread of the last event.
    public var lastEventThreadID: UInt32?
    /// The debugger number of the last event's thread (`~#`).
    public var lastEventThreadIndex: Int?
    /// The exception the target stopped in, when it did: `g` answers it with its filter.
    public var pendingException: ExceptionRecord?
    public var pendingExceptionFirstChance = true
    /// Set once the initial breakpoint was seen (its `ibp` filter applies only once).
    public var sawInitialBreakpoint = false
    /// `-G`: no final breakpoint at process exit.
    public var ignoreFinalBreakpoint = false
    /// Set while a stop's commands run (a breakpoint's `"k; g"`): `g` then asks the run that
    /// stopped to go on instead of starting a nested one.
    var stopCommandDepth = 0
    /// What a `g`-like command run as a stop's command asked for (`.some(nil)`: resume as the
    /// filters say).
    var resumeRequest: ExceptionAnswer??
    /// The next id for an internal breakpoint.
    var nextInternalID = InternalBreakpointID.first

    public init() {}

    /// The lowest id not in use (`bp` without an id).
    public var nextFreeID: Int {
        var id = 0
        while breakpoints[id] != nil { id += 1 }
        return id
    }

    func makeInternalID() -> Int {
        nextInternalID += 1
        return nextInternalID
    }
}
