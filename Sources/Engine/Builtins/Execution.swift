extension Builtins {
    /// The execution commands. On a dump they give CDB's `No runnable debuggees` error (the
    /// table checks `.liveTarget`); `g` right after `.opendump` finishes loading the dump.
    static var execution: [Command] {
        [go, goConditional, goHandled, goNotHandled, goUp] + stepping
    }

    /// `gc`: resume from a conditional breakpoint (as `g` here).
    static let goConditional = Command.live(
        name: "gc", summary: "go from a conditional breakpoint", usage: "gc", argument: .none
    ) { invocation, control in
        try GoCommand.run(invocation, control: control, answer: nil)
    }

    static let go = Command(
        name: "g", summary: "go: resume the target", usage: "g [= StartAddress] [BreakAddress ...]",
        effect: .changesTarget, argument: .expression
    ) { invocation in
        if TargetLoader.finishPendingLoad(state: invocation.state, out: invocation.out) { return }
        let control = try invocation.executionControl()
        try GoCommand.run(invocation, control: control, answer: nil)
    }

    static let goHandled = Command.live(
        name: "gh", summary: "go with the exception handled",
        usage: "gh [= StartAddress] [BreakAddress ...]"
    ) { invocation, control in
        try GoCommand.run(invocation, control: control, answer: .handled)
    }

    static let goNotHandled = Command.live(
        name: "gn", summary: "go with the exception not handled",
        usage: "gn [= StartAddress] [BreakAddress ...]"
    ) { invocation, control in
        try GoCommand.run(invocation, control: control, answer: .notHandled)
    }

    static let goUp = Command.live(
        name: "gu", summary: "go up: run until the current function returns", usage: "gu"
    ) { invocation, control in
        try invocation.runControl(control).stepOut()
    }

    /// `p`, `t` and their `a`/`c`/`t` forms.
    static var stepping: [Command] {
        let entries: [(String, String, String)] = [
            ("p", "step over", "p [= StartAddress] [Count]"),
            ("t", "trace into", "t [= StartAddress] [Count]"),
            ("pa", "step over to an address", "pa [= StartAddress] StopAddress"),
            ("ta", "trace to an address", "ta [= StartAddress] StopAddress"),
            ("pc", "step to the next call", "pc [Count]"),
            ("tc", "trace to the next call", "tc [Count]"),
            ("pt", "step to the next return", "pt [Count]"),
            ("tt", "trace to the next return", "tt [Count]"),
        ]
        return entries.map { name, summary, usage in
            Command.live(name: name, summary: summary, usage: usage, repeatBehavior: .sameLine) {
                invocation, control in
                try StepCommand.run(name, invocation, control: control)
            }
        }
    }
}

extension Command {
    /// A command that needs a target that runs: the table checks `.liveTarget` and the handler
    /// receives the target's execution control.
    static func live(
        name: String, summary: String, usage: String, details: [String] = [],
        effect: CommandEffect = .changesTarget, repeatBehavior: Repeat = .never,
        argument: ArgumentKind = .expression,
        handler: @escaping @Sendable (CommandInvocation, any ExecutionControl) throws -> Void
    ) -> Command {
        Command(
            name: name, summary: summary, usage: usage, details: details,
            requirements: .liveTarget, effect: effect, repeatBehavior: repeatBehavior,
            argument: argument
        ) { invocation in
            try handler(invocation, invocation.executionControl())
        }
    }
}

extension CommandInvocation {
    /// The target's execution control, or CDB's error for a target that cannot run. The
    /// table's `.liveTarget` check makes the error unreachable for commands that declare it.
    func executionControl() throws -> any ExecutionControl {
        guard let control = state.target as? any ExecutionControl else {
            throw CommandError.noRunnableDebuggees
        }
        return control
    }

    /// The target's memory writer; the table's `.writableMemory` check makes the error
    /// unreachable for commands that declare it.
    func memoryWriter() throws -> any MemoryWriting {
        guard let writer = state.target as? any MemoryWriting else {
            throw CommandError.message("Memory cannot be changed on this target (a dump).")
        }
        return writer
    }

    /// The target's register writer (`r rax=1` declares its need per form, so it asks here).
    func registerWriter() throws -> any RegisterWriting {
        guard let writer = state.target as? any RegisterWriting else {
            throw CommandError.message("Registers cannot be changed on this target (a dump).")
        }
        return writer
    }

    /// A run controller writing to this command's output; breakpoint commands run nested.
    func runControl(_ control: any ExecutionControl) -> RunControl {
        RunControl(
            state: state, control: control, out: out,
            runCommands: { [self] line in try self.runNested(line, echo: false) },
            budget: budget, interrupt: session.interrupt)
    }
}

/// `g [= Start] [Break ...]`.
enum GoCommand {
    static func run(
        _ invocation: CommandInvocation, control: any ExecutionControl, answer: ExceptionAnswer?
    ) throws {
        let state = invocation.state
        // Among a stop's commands (`bp addr "k; g"`), `g` ends them and the run that stopped
        // goes on.
        if state.live.stopCommandDepth > 0, invocation.trimmedArguments.isEmpty {
            state.live.resumeRequest = .some(answer)
            throw CommandInterrupted()
        }
        var rest = invocation.arguments.drop { $0 == " " || $0 == "\t" }
        try StepCommand.applyStart(&rest, invocation: invocation, control: control)
        var stops: [RunControl.StopPoint] = []
        while !rest.trimmingWhitespace().isEmpty {
            let (value, after) = try invocation.evaluatePrefix(rest)
            stops.append(RunControl.StopPoint(address: value))
            rest = after
        }
        try invocation.runControl(control).go(answer: answer, stops: stops)
    }
}

/// `p`, `t`, `pa`, `ta`, `pc`, `tc`, `pt`, `tt`.
enum StepCommand {
    static func run(_ name: String, _ invocation: CommandInvocation, control: any ExecutionControl)
        throws
    {
        guard !control.hasEnded else { throw CommandError.noRunnableDebuggees }
        var rest = invocation.arguments.drop { $0 == " " || $0 == "\t" }
        try applyStart(&rest, invocation: invocation, control: control)
        let runner = invocation.runControl(control)
        let over = name.hasPrefix("p")
        switch name.dropFirst() {
        case "a":
            let target = try invocation.evaluate(rest)
            while true {
                let outcome = try over ? runner.stepOver() : runner.stepInto()
                guard outcome == .stopped else { return }
                if invocation.state.currentRegisters?.instructionPointer == target { return }
                try invocation.checkInterrupt()
            }
        case "c", "t":
            let count = rest.trimmingWhitespace().isEmpty ? 1 : try invocation.evaluate(rest)
            for _ in 0..<max(1, min(count, 1 << 20)) {
                guard try runner.stepUntil(name.hasSuffix("c") ? .call : .return) == .stopped
                else { return }
                try invocation.checkInterrupt()
            }
        default:
            let count = rest.trimmingWhitespace().isEmpty ? 1 : try invocation.evaluate(rest)
            for _ in 0..<max(1, min(count, 1 << 20)) {
                let outcome = try over ? runner.stepOver() : runner.stepInto()
                guard outcome == .stopped else { return }
                try invocation.checkInterrupt()
            }
        }
    }

    /// `= StartAddress`: the current thread continues there.
    static func applyStart(
        _ rest: inout Substring, invocation: CommandInvocation, control: any ExecutionControl
    ) throws {
        guard rest.first == "=" else { return }
        let (value, after) = try invocation.evaluatePrefix(rest.dropFirst())
        rest = after
        let state = invocation.state
        let writer = try invocation.registerWriter()
        guard var registers = state.target?.registers(ofThread: state.currentThread) else {
            throw CommandError.message("The current thread has no registers.")
        }
        _ = registers.set(registers.machine == .amd64 ? "rip" : "eip", to: value)
        try writer.setRegisters(registers, ofThread: state.currentThread)
        state.targetStopped(modulesChanged: false)
    }
}
