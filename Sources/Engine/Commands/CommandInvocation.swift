/// One running command: what was typed, who typed it, the session state, and where output goes.
/// Handlers receive this and write only through `out`.
public final class CommandInvocation {
    /// The table entry being run.
    public let command: Command
    /// The command word as typed (`kvn`).
    public let typedName: Substring
    /// Option letters after the table name (`vn` for `kvn`).
    public let suffix: Substring
    /// Everything after the command word (a substring of `line`, so positions in it can be
    /// reported in errors).
    public let arguments: Substring
    /// The whole line this command came from.
    public let line: String
    /// This command's own text within `line`.
    public let text: Substring
    /// Who issued it.
    public let source: CommandSource
    /// The session state (target, radix, ...).
    public let state: DebuggerState
    /// Where the command writes.
    public let out: OutputWriter

    /// The budget of the typed line this command belongs to (shared with everything it runs).
    public let budget: ExecutionBudget

    let session: Session

    init(
        match: CommandTable.Match, line: String, text: Substring, source: CommandSource,
        state: DebuggerState, out: OutputWriter, session: Session, budget: ExecutionBudget
    ) {
        self.command = match.command
        self.typedName = match.typedName
        self.suffix = match.suffix
        self.arguments = match.arguments
        self.line = line
        self.text = text
        self.source = source
        self.state = state
        self.out = out
        self.session = session
        self.budget = budget
        // Symbol loading triggered by this command reports into its output.
        state.symbols.output = out
    }

    /// The arguments with surrounding whitespace removed.
    public var trimmedArguments: String { arguments.trimmingWhitespace() }

    /// The command table (for `.help` and friends).
    public var table: CommandTable { session.table }

    /// The current target, or the "needs a target" error.
    public func requireTarget() throws -> any Target {
        guard let target = state.target else {
            throw CommandError.message(
                "No target: '\(command.name)' needs one. Open a dump with .opendump FILE.")
        }
        return target
    }

    /// True once the line must stop (Ctrl-C, a limit hit).
    public var isInterrupted: Bool { budget.shouldStop }

    /// Throws `CommandInterrupted` once the line must stop (Ctrl-C, a limit hit); call it in
    /// long loops.
    public func checkInterrupt() throws(CommandInterrupted) {
        try budget.check()
    }

    /// Runs another command line inside this one (scripts, `~*`, `.remote_exit` final
    /// commands), on the same queue and the same budget, as this command's source, so every
    /// nested command has exactly the rights of whoever started it.
    /// - Parameter echo: show `prompt + line` first, as CDB does for script lines.
    /// - Returns: false when a command of `line` failed (its error was shown).
    /// - Throws: `CommandInterrupted` when the line must stop (Ctrl-C, or a limit was hit: the
    ///   error has been shown), so loops around nested runs end at once.
    @discardableResult
    public func runNested(_ line: String, echo: Bool, asScript: Bool = false) throws -> Bool {
        out.flush()
        try budget.check()
        let source = asScript ? self.source.runningScript() : self.source
        do {
            try budget.enterNested()
        } catch {
            for text in error.render(line: line, command: line[...], promptWidth: 0) {
                out.error(text)
            }
            throw CommandInterrupted()
        }
        defer { budget.leaveNested() }
        if echo {
            session.hub.emit(.commandEcho, state.prompt + line, origin: source)
        }
        let run = session.run(line: line, source: source, state: state, budget: budget)
        try budget.check()
        return !run.failed
    }

    /// Emits a notice line (not command output) in order with everything else.
    public func notice(_ text: String) {
        out.flush()
        session.hub.emit(.notice, text, origin: source)
    }

    /// The session's output hub (log files attach here).
    public var hub: OutputHub { session.hub }
}
