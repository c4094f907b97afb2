import Dispatch
import Synchronization

/// What happened to a command line.
public enum LineOutcome: Sendable, Equatable {
    /// Ready for the next line.
    case proceed
    /// `q`/`qq`/`qd` (or end of input): the debugger should exit.
    case quit
}

/// One debugging session: the target, one serial command queue, one output stream.
///
/// Every command, whether typed at the console, sent by a remote participant or read from a
/// script, runs on the session's queue, one at a time, so a target is never touched by two
/// commands at once. `Session` is the thread-safe façade; `DebuggerState` and the target belong
/// to `SessionCore`, an actor whose executor is that queue, so the compiler keeps them there:
/// the only ways in are `withState`, `submit` and `perform`, and what comes out is `Sendable`.
public final class Session: Sendable {
    /// The session's single output stream.
    public let hub: OutputHub
    /// Raised by Ctrl-C; long commands poll it.
    public let interrupt = InterruptFlag()
    /// The command table (fixed once the session is created).
    public let table: CommandTable
    /// What one typed line may run (see `ExecutionBudget`); read when each line starts.
    public var limits: ExecutionLimits {
        get { limitsStorage.withLock { $0 } }
        set { limitsStorage.withLock { $0 = newValue } }
    }
    private let limitsStorage = Mutex(ExecutionLimits.standard)

    private let queue: DispatchQueue
    private let queueKey = DispatchSpecificKey<Bool>()
    private let core: SessionCore

    public init(
        mode: DebuggerMode, programName: String, table: CommandTable,
        openers: [any TargetOpener] = [], hub: OutputHub = OutputHub()
    ) {
        self.hub = hub
        self.table = table
        let queue = DispatchQueue(label: "xcdb.session")
        self.queue = queue
        self.core = SessionCore(
            queue: queue,
            state: DebuggerState(mode: mode, programName: programName, openers: openers))
        queue.setSpecific(key: queueKey, value: true)
    }

    /// Runs `body` on the session queue with the state and waits for it. Safe to call from a
    /// command handler (it then runs inline). The result is `Sendable`, so no part of the state
    /// leaves the queue this way.
    public func withState<T: Sendable>(_ body: sending (DebuggerState) throws -> T) rethrows -> T {
        if DispatchQueue.getSpecific(key: queueKey) == true {
            return try core.assumeIsolated { try body($0.state) }
        }
        // `body` was received `sending`, so it is free to move to the queue; `queue.sync` hides
        // that from the region checker by capturing it first.
        nonisolated(unsafe) let sent = body
        return try queue.sync { try core.assumeIsolated { try sent($0.state) } }
    }

    /// The prompt for the current state (`0:000> `, `kd> `).
    public var prompt: String { withState { $0.prompt } }

    /// Runs one command line and waits for it to finish.
    /// - Parameters:
    ///   - echo: emit the prompt and the line as a `commandEcho` event first (sinks decide
    ///     whether to show it: the console does not re-print what its user typed).
    @discardableResult
    public func execute(_ line: String, from source: CommandSource, echo: Bool = true)
        -> LineOutcome
    {
        withState { state in
            runTopLevel(line, source: source, echo: echo, state: state)
        }
    }

    /// Queues a command line without waiting; `completion` runs on the session queue after it.
    public func submit(
        _ line: String, from source: CommandSource, echo: Bool = true,
        completion: @escaping @Sendable (LineOutcome) -> Void = { _ in }
    ) {
        queue.async { [self] in
            let outcome = core.assumeIsolated {
                runTopLevel(line, source: source, echo: echo, state: $0.state)
            }
            completion(outcome)
        }
    }

    /// Queues a command line and awaits its outcome.
    public func submit(_ line: String, from source: CommandSource, echo: Bool = true) async
        -> LineOutcome
    {
        await withCheckedContinuation { continuation in
            submit(line, from: source, echo: echo) { continuation.resume(returning: $0) }
        }
    }

    /// Runs `body` on the session queue after everything already queued, without waiting.
    /// For code that must not block (network event loops) but needs the state, such as the
    /// current prompt.
    public func perform(_ body: @escaping @Sendable (DebuggerState) -> Void) {
        queue.async { [core] in core.assumeIsolated { body($0.state) } }
    }

    /// Emits a line outside of any command (banners, notices), in order with command output.
    public func post(_ kind: OutputEvent.Kind, _ text: String, origin: CommandSource = .engine) {
        hub.emit(kind, text, origin: origin)
    }

    // MARK: - Running lines (on the queue)

    private func runTopLevel(
        _ line: String, source: CommandSource, echo: Bool, state: DebuggerState
    ) -> LineOutcome {
        interrupt.clear()
        if echo {
            hub.emit(.commandEcho, state.prompt + line, origin: source)
        }
        var effectiveLine = line
        if line.trimmingWhitespace().isEmpty {
            guard let repeatLine = state.repeatLine else { return .proceed }
            effectiveLine = repeatLine
        } else {
            state.repeatLine = nil
        }
        let budget = ExecutionBudget(limits: limits, interrupt: interrupt)
        let repeatCandidate = run(
            line: effectiveLine, source: source, state: state, budget: budget
        ).repeatLine
        if !line.trimmingWhitespace().isEmpty {
            state.repeatLine = repeatCandidate
        }
        if state.quitRequested { return .quit }
        return .proceed
    }

    /// How running one line went.
    struct LineRun {
        /// What an empty line should repeat afterwards.
        var repeatLine: String?
        /// A command failed (its error was shown), so the rest of the line did not run.
        var failed = false
    }

    /// Runs every command of `line`; stops at the first error, an interrupt, an exhausted
    /// budget or `q`. The line is a block: its aliases are replaced first (`AliasExpander`).
    @discardableResult
    func run(
        line typed: String, source: CommandSource, state: DebuggerState, budget: ExecutionBudget
    ) -> LineRun {
        let line: String
        do {
            line = try AliasExpander(state: state, flow: budget.flow).expand(typed)
        } catch {
            let out = OutputWriter(hub: hub, origin: source, budget: budget)
            report(error, line: typed, command: typed[...], state: state, out: out)
            return LineRun(failed: true)
        }
        let commands = CommandLineSplitter(table: table).split(line)
        var repeatable = commands.count == 1
        var repeatLine: String?
        for text in commands {
            if budget.shouldStop || state.quitRequested { break }
            let result = runCommand(
                text, line: line, source: source, state: state, budget: budget)
            switch result {
            case .failed:
                return LineRun(failed: true)
            case .succeeded(let behavior, let name):
                switch behavior {
                case .never: repeatable = false
                case .sameLine: repeatLine = typed
                case .continuation: repeatLine = name
                }
            }
        }
        return LineRun(repeatLine: repeatable ? repeatLine : nil)
    }

    private enum CommandResult {
        case failed
        case succeeded(Command.Repeat, name: String)
    }

    private func runCommand(
        _ text: Substring, line: String, source: CommandSource, state: DebuggerState,
        budget: ExecutionBudget
    ) -> CommandResult {
        let out = OutputWriter(hub: hub, origin: source, budget: budget)
        defer { out.flush() }
        do {
            try budget.startCommand()
        } catch {
            report(error, line: line, command: text, state: state, out: out)
            return .failed
        }
        guard let match = table.lookup(text) else {
            let error = UnknownCommand.error(
                for: text, table: table, programName: state.programName)
            report(error, line: line, command: text, state: state, out: out)
            return .failed
        }
        let invocation = CommandInvocation(
            match: match, line: line, text: text, source: source, state: state, out: out,
            session: self, budget: budget)
        do {
            // Commands that take no arguments refuse stray text (`qq2`, `.cls x`).
            if match.command.argument == .none,
                let extra = match.arguments.firstIndex(where: { !$0.isWhitespace })
            {
                throw CommandError.syntax(at: extra)
            }
            try checkRights(for: match, text: text, source: source)
            try checkRequirements(of: match.command, source: source, state: state)
            try match.command.handler(invocation)
        } catch let error as CommandError {
            report(error, line: line, command: text, state: state, out: out)
            return .failed
        } catch is CommandInterrupted {
            return .failed
        } catch is ErrorAlreadyShown {
            return .failed
        } catch {
            report(.message("\(error)"), line: line, command: text, state: state, out: out)
            return .failed
        }
        return .succeeded(match.command.repeatBehavior, name: String(match.typedName))
    }

    /// The one read-only check: the table entry says what this form changes, and read-only
    /// participants may run only the forms that change nothing. Nested lines (scripts, `~*`)
    /// carry their starter's source, so they are checked here too.
    private func checkRights(
        for match: CommandTable.Match, text: Substring, source: CommandSource
    ) throws(CommandError) {
        guard let participant = source.remoteParticipant, participant.readOnly else { return }
        let effect = match.command.effect
        guard effect.kind(of: match).isChange else { return }
        // Name the command, or the form when only some forms are refused (`~1s`, `n 8`).
        let shown = effect.uniform == nil ? text.trimmingWhitespace() : match.command.name
        throw CommandError.message(
            "'\(shown)' is not allowed: you joined this session read-only")
    }

    private func checkRequirements(
        of command: Command, source: CommandSource, state: DebuggerState
    ) throws {
        let needs = command.requirements
        if needs.contains(.liveTarget),
            state.target?.capabilities.contains(.canExecute) != true
        {
            throw CommandError.noRunnableDebuggees
        }
        if needs.contains(.writableMemory), let target = state.target,
            !(target is any MemoryWriting)
        {
            throw CommandError.message("Memory cannot be changed on this target (a dump).")
        }
        if needs.contains(.target) || needs.contains(.kernelTarget)
            || needs.contains(.userTarget)
        {
            guard let target = state.target else {
                throw CommandError.message(
                    "No target: '\(command.name)' needs one. Open a dump with .opendump FILE "
                        + "(or start \(state.programName) -z FILE).")
            }
            let isKernel = target.capabilities.contains(.isKernel)
            if needs.contains(.kernelTarget) && !isKernel {
                throw CommandError.message(
                    "'\(command.name)' is only available on kernel-mode targets.")
            }
            if needs.contains(.userTarget) && isKernel {
                throw CommandError.message(
                    "'\(command.name)' is only available on user-mode targets.")
            }
        }
    }

    private func report(
        _ error: CommandError, line: String, command: Substring, state: DebuggerState,
        out: OutputWriter
    ) {
        for text in error.render(line: line, command: command, promptWidth: state.prompt.count) {
            out.error(text)
        }
    }
}
