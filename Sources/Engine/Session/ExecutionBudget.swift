/// How much one typed line may make the session do, whatever runs nested lines: `~*`/`~N`
/// prefixes, scripts (`$<` and friends), and anything later that runs commands (control flow,
/// aliases, breakpoint commands).
///
/// A depth limit alone does not bound `~* ~* ~* k` (the work grows as threads to the power of
/// the depth), so there is also a total count of commands per typed line.
public struct ExecutionLimits: Sendable, Equatable {
    /// How deeply nested lines may nest (a script inside a `~*` inside a script ...).
    public var maximumDepth: Int
    /// How many commands one typed line may run in all, nested ones included.
    public var maximumCommands: Int
    /// Wall-clock time one typed line may take; nil for no limit (people have Ctrl-C; the
    /// fuzzer, which has none, sets one).
    public var timeLimit: Duration?

    public init(maximumDepth: Int, maximumCommands: Int, timeLimit: Duration? = nil) {
        self.maximumDepth = maximumDepth
        self.maximumCommands = maximumCommands
        self.timeLimit = timeLimit
    }

    /// Deep enough for real scripts, shallow enough that a script running itself ends long
    /// before the stack does. Ten thousand commands is more than a person reads from one line
    /// and a few seconds of work for the slowest command, `k`.
    public static let standard = ExecutionLimits(maximumDepth: 32, maximumCommands: 10_000)
}

/// The budget of one typed line. The session makes one per top-level line and hands it down
/// through every nested run (`CommandInvocation.runNested`), so everything the line causes
/// draws from the same account. It also answers "should this line stop now?" for Ctrl-C (the
/// session's `InterruptFlag`, which a remote participant's interrupt raises too) and for the
/// time limit. Only touched on the session queue.
public final class ExecutionBudget {
    public let limits: ExecutionLimits
    private let interrupt: InterruptFlag
    private let deadline: ContinuousClock.Instant?
    /// Nesting depth of the line being run (0 for the typed line itself).
    public private(set) var depth = 0
    /// Commands started so far, nested ones included.
    public private(set) var commandsRun = 0
    /// Set once a limit was hit: the error has been shown and everything still running on
    /// behalf of this line winds down without another word.
    public private(set) var isExhausted = false
    /// Control flow, scoped names and output capture of this line's scripts.
    public let flow = ScriptFlow()

    init(limits: ExecutionLimits, interrupt: InterruptFlag) {
        self.limits = limits
        self.interrupt = interrupt
        deadline = limits.timeLimit.map { ContinuousClock.now.advanced(by: $0) }
    }

    /// True once the line must stop: Ctrl-C, a limit hit, or the time limit passed.
    public var shouldStop: Bool {
        if isExhausted || interrupt.isRaised { return true }
        if let deadline, ContinuousClock.now >= deadline {
            isExhausted = true
            return true
        }
        return false
    }

    /// Throws `CommandInterrupted` when the line must stop; long loops call it.
    public func check() throws(CommandInterrupted) {
        if shouldStop { throw CommandInterrupted() }
    }

    /// Counts one command about to run. Throws the error to show when this one is over the
    /// limit (once; afterwards the line is exhausted and stops silently).
    func startCommand() throws(CommandError) {
        guard commandsRun < limits.maximumCommands else {
            isExhausted = true
            throw CommandError.message(
                "Stopped: this line ran \(limits.maximumCommands) commands, the most one line "
                    + "may run (nested ~* prefixes and scripts multiply quickly).")
        }
        commandsRun += 1
    }

    /// Enters a nested line; pair with `leaveNested()`. Throws the error to show when nesting
    /// is too deep.
    func enterNested() throws(CommandError) {
        guard depth < limits.maximumDepth else {
            isExhausted = true
            throw CommandError.message(
                "Stopped: commands nested more than \(limits.maximumDepth) levels deep "
                    + "(~ prefixes and scripts inside each other).")
        }
        depth += 1
    }

    func leaveNested() {
        depth -= 1
    }
}

/// Thrown when a line must stop (Ctrl-C, a limit hit, the time limit): everything running on
/// its behalf unwinds without printing anything more.
public struct CommandInterrupted: Error {
    public init() {}
}

/// Thrown by a command that failed after its error was shown (a block whose command failed,
/// a `.break` on its way out of the loop): the line stops without another message.
public struct ErrorAlreadyShown: Error {
    public init() {}
}
