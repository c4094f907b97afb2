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

    let session: Session

    init(
        match: CommandTable.Match, line: String, text: Substring, source: CommandSource,
        state: DebuggerState, out: OutputWriter, session: Session
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

    /// For commands that only sometimes change the session (`~1s` but not `~`): refuses
    /// read-only participants.
    public func requireChangeAllowed() throws {
        if let participant = source.remoteParticipant, participant.readOnly {
            throw CommandError.message(
                "'\(text.trimmingWhitespace())' is not allowed: you joined this session read-only")
        }
    }

    /// True once Ctrl-C was pressed.
    public var isInterrupted: Bool { session.interrupt.isRaised }

    /// Throws `CommandInterrupted` once Ctrl-C was pressed; call it in long loops.
    public func checkInterrupt() throws {
        if session.interrupt.isRaised { throw CommandInterrupted() }
    }

    /// Runs another command line inside this one (scripts, `~*e`), on the same queue.
    /// - Parameter echo: show `prompt + line` first, as CDB does for script lines.
    public func runNested(_ line: String, source: CommandSource, echo: Bool) {
        out.flush()
        if echo {
            session.hub.emit(.commandEcho, state.prompt + line, origin: source)
        }
        session.run(line: line, source: source, state: state)
    }

    /// Emits a notice line (not command output) in order with everything else.
    public func notice(_ text: String) {
        out.flush()
        session.hub.emit(.notice, text, origin: source)
    }

    /// The session's output hub (log files attach here).
    public var hub: OutputHub { session.hub }
}
