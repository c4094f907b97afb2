import Disassembly

/// Runs a live target until something stops it, and turns every event on the way into what
/// CDB prints, in order: `ModLoad:` lines, debug strings, exceptions, breakpoint hits. The
/// program's own console output reaches the session through the target's output sink while it
/// runs, between these lines.
///
/// Stepping over a call and stepping out are plans, not single-step loops: a breakpoint at the
/// return address that only the current thread (and only a shallower stack) satisfies.
struct RunControl {
    let state: DebuggerState
    let control: any ExecutionControl
    let out: OutputWriter
    /// Runs breakpoint and filter commands; nil where none may run (start-up).
    let runCommands: ((String) throws -> Void)?
    /// Whether the line has to stop (Ctrl-C pressed before the target ran).
    let budget: ExecutionBudget?
    /// Ctrl-C and remote interrupts: while the target runs they reach its break request.
    let interrupt: InterruptFlag

    /// A place where a plan stops: an address, optionally only on one thread and only once the
    /// stack has unwound past `stackAbove`.
    struct StopPoint {
        var address: UInt64
        var threadIndex: Int?
        var stackAbove: UInt64?
    }

    /// How a run ended.
    enum Outcome: Equatable {
        /// The target stopped and the stop was shown.
        case stopped
        /// The process ended.
        case exited
    }

    /// What an event means for the run.
    private enum Decision {
        case keepGoing
        /// Stop; `show` says whether to print the register block and instruction.
        case stop(show: Bool, command: String?)
    }

    // MARK: Running

    /// `g`: runs all threads until an event breaks (or one of `stops` is reached).
    @discardableResult
    func go(answer: ExceptionAnswer? = nil, stops: [StopPoint] = []) throws -> Outcome {
        guard !control.hasEnded else { throw CommandError.noRunnableDebuggees }
        let live = control.threads.filter { !$0.hasExited }
        if !live.isEmpty, live.allSatisfy(\.isFrozen) {
            throw CommandError.message("Every thread is frozen, so none can run: ~*u thaws them.")
        }
        var ids: [Int: StopPoint] = [:]
        for stop in stops {
            let id = state.live.makeInternalID()
            do {
                try control.setCodeBreakpoint(id: id, at: stop.address)
                ids[id] = stop
            } catch {
                for id in ids.keys { control.removeBreakpoint(id: id) }
                throw CommandError.message(
                    "Unable to set a breakpoint at \(Hex.pointer(stop.address, size: 8)): \(error)")
            }
        }
        defer { for id in ids.keys { control.removeBreakpoint(id: id) } }
        var answer = answer ?? defaultAnswer()
        state.live.pendingException = nil
        while true {
            out.flush()
            let event = runTarget { control.run(answer) }
            answer = .handled
            switch decide(event, planStops: ids) {
            case .keepGoing:
                // An exception the filters let pass goes to the program as its filter says.
                if case .exception(let record, _) = event.kind {
                    answer = Self.answer(for: record, filters: state.live.filters)
                }
                continue
            case .stop(let show, let command):
                // `bp addr "k; g"`, `j (cond) ''; 'gc'`: the commands run; one that resumes
                // ends them and this run goes on (no nested run, so a breakpoint hit a million
                // times does not nest a million deep).
                if let command, !command.isEmpty, runCommands != nil, !control.hasEnded {
                    stopHere(event)
                    if show { showStop() }
                    guard let resume = try runStopCommands(command) else { return .stopped }
                    if let budget, budget.shouldStop { throw CommandInterrupted() }
                    answer = resume ?? defaultAnswer()
                    state.live.pendingException = nil
                    continue
                }
                return try finishStop(event, show: show, command: command)
            }
        }
    }

    /// Runs the commands of a stop (a breakpoint's, a filter's). Returns nil when they left the
    /// target stopped, else how a `g`-like command among them asked to resume (`.some(nil)`:
    /// as the filters say).
    private func runStopCommands(_ command: String) throws -> ExceptionAnswer?? {
        guard let runCommands else { return nil }
        out.flush()
        state.live.stopCommandDepth += 1
        defer { state.live.stopCommandDepth -= 1 }
        state.live.resumeRequest = nil
        try runCommands(command)
        defer { state.live.resumeRequest = nil }
        return state.live.resumeRequest
    }

    /// Steps and `gu` run the current thread: a frozen one would never get there.
    private func requireUnfrozenCurrentThread() throws {
        let index = state.currentThread
        let threads = control.threads
        guard threads.indices.contains(index), threads[index].isFrozen else { return }
        throw CommandError.message(
            "Thread \(index) is frozen, so it cannot step: ~\(index)u thaws it.")
    }

    /// `t`: one instruction of the current thread (a call is entered).
    @discardableResult
    func stepInto() throws -> Outcome {
        guard !control.hasEnded else { throw CommandError.noRunnableDebuggees }
        try requireUnfrozenCurrentThread()
        let answer = defaultAnswer()
        state.live.pendingException = nil
        out.flush()
        let event = runTarget { control.step(threadIndex: state.currentThread, answer) }
        switch decide(event, planStops: [:]) {
        case .keepGoing:
            // The step ended in something that does not stop (a module load): the step is
            // over all the same.
            return try finishStop(event, show: true, command: nil)
        case .stop(let show, let command):
            return try finishStop(event, show: show, command: command)
        }
    }

    /// `p`: like `t`, but a call runs to its return on this thread.
    @discardableResult
    func stepOver() throws -> Outcome {
        try requireUnfrozenCurrentThread()
        guard let registers = state.currentRegisters, let ip = registers.instructionPointer,
            let instruction = decode(at: ip)
        else { return try stepInto() }
        if instruction.isCall || instruction.flow == .interrupt && instruction.mnemonic != "syscall"
            || instruction.mnemonic.hasPrefix("rep")
        {
            let sp = registers.stackPointer ?? 0
            return try go(stops: [
                StopPoint(
                    address: instruction.nextAddress, threadIndex: state.currentThread,
                    stackAbove: sp &- 1)
            ])
        }
        return try stepInto()
    }

    /// `gu`: runs until the current function returns to its caller.
    @discardableResult
    func stepOut() throws -> Outcome {
        try requireUnfrozenCurrentThread()
        guard let registers = state.currentRegisters,
            let walk = StackService.walk(state: state, registers: registers, maximumFrames: 2),
            walk.frames.count >= 2
        else {
            throw CommandError.message("Unable to find the return address of this function.")
        }
        let caller = walk.frames[1]
        return try go(stops: [
            StopPoint(
                address: caller.instructionPointer, threadIndex: state.currentThread,
                stackAbove: caller.stackPointer &- 1)
        ])
    }

    /// `pc`/`pt`: steps until the next call or return (the instruction itself is not run).
    func stepUntil(_ flow: ControlFlow, maximumSteps: Int = 1_000_000) throws -> Outcome {
        try requireUnfrozenCurrentThread()
        var steps = 0
        while true {
            guard let registers = state.currentRegisters, let ip = registers.instructionPointer,
                let instruction = decode(at: ip)
            else { return try stepInto() }
            if steps > 0, instruction.flow == flow {
                showStop()
                return .stopped
            }
            let event = runTarget {
                control.step(threadIndex: state.currentThread, defaultAnswer())
            }
            steps += 1
            switch event.kind {
            case .singleStep: break
            default:
                switch decide(event, planStops: [:]) {
                case .keepGoing: break
                case .stop(let show, let command):
                    return try finishStop(event, show: show, command: command)
                }
            }
            if let budget, budget.shouldStop { throw CommandInterrupted() }
            if steps >= maximumSteps {
                showStop()
                return .stopped
            }
            state.targetStopped(modulesChanged: false)
        }
    }

    /// Runs to the initial breakpoint after the program was created (start-up, `.restart`):
    /// `ModLoad:` lines, then the break. With `-g` it goes on.
    @discardableResult
    func start(ignoreInitialBreakpoint: Bool) throws -> Outcome {
        while true {
            out.flush()
            let event = runTarget { control.run(.handled) }
            if case .exception(let exceptionRecord, true) = event.kind,
                exceptionRecord.code == 0x8000_0003,
                !state.live.sawInitialBreakpoint
            {
                state.live.sawInitialBreakpoint = true
                if ignoreInitialBreakpoint { return try go(answer: .handled) }
                let description = "Break instruction exception - code 80000003 (first chance)"
                out.line(prefix(event) + description)
                record(event, description)
                return try finishStop(
                    event, show: true, command: state.live.filters.filter(named: "ibp")?.command)
            }
            switch decide(event, planStops: [:]) {
            case .keepGoing: continue
            case .stop(let show, let command):
                return try finishStop(event, show: show, command: command)
            }
        }
    }

    /// Runs the target with interrupts reaching its break request. A break-in consumes the
    /// interrupt: the stop is shown and the line goes on.
    private func runTarget(_ body: () -> TargetDebugEvent) -> TargetDebugEvent {
        let event = interrupt.whileRunning(control.breakRequest, body)
        if case .breakRequested = event.kind { interrupt.clear() }
        return event
    }

    // MARK: Events

    private func defaultAnswer() -> ExceptionAnswer {
        guard let record = state.live.pendingException else { return .handled }
        return Self.answer(for: record, filters: state.live.filters)
    }

    /// How `g` answers an exception: its filter's handling status.
    static func answer(for record: ExceptionRecord, filters: EventFilters) -> ExceptionAnswer {
        filters.filter(forException: record.code).handled == false ? .notHandled : .handled
    }

    private func prefix(_ event: TargetDebugEvent) -> String {
        let pid = String(control.processID ?? 0, radix: 16)
        return "(\(pid).\(String(event.threadID, radix: 16))): "
    }

    private func decide(_ event: TargetDebugEvent, planStops: [Int: StopPoint]) -> Decision {
        let filters = state.live.filters
        // A partial line of program output goes before whatever this event prints. Breakpoint
        // hits that do not stop (passes, other threads) print nothing and leave it alone, so a
        // breakpoint inside a character-at-a-time write does not split the program's lines.
        switch event.kind {
        case .breakpoint, .dataBreakpoint: break
        default: control.flushProgramOutput()
        }
        switch event.kind {
        case .processCreated(let module):
            out.line(LiveText.modLoad(module))
            state.targetStopped(modulesChanged: true)
            return .keepGoing
        case .moduleLoaded(let module):
            state.targetStopped(modulesChanged: true)
            let filter = filters.filter(named: "ld")
            if filter?.action != .ignore { out.line(LiveText.modLoad(module)) }
            resolveDeferredBreakpoints()
            if filter?.action == .breakFirstChance {
                record(event, "Load module \(module.path) at \(Hex.pointer(module.base, size: 8))")
                return .stop(show: true, command: filter?.command)
            }
            return .keepGoing
        case .moduleUnloaded(let module):
            state.targetStopped(modulesChanged: true)
            let filter = filters.filter(named: "ud")
            if filter?.action != .ignore {
                out.line("Unload module \(module.path) at \(Hex.pointer(module.base, size: 8))")
            }
            if filter?.action == .breakFirstChance {
                record(
                    event, "Unload module \(module.path) at \(Hex.pointer(module.base, size: 8))")
                return .stop(show: true, command: filter?.command)
            }
            return .keepGoing
        case .threadCreated:
            let filter = filters.filter(named: "ct")
            let text =
                "Create thread \(event.threadIndex ?? 0):\(String(event.threadID, radix: 16))"
            if filter?.action != .ignore { out.line(prefix(event) + text) }
            if filter?.action == .breakFirstChance {
                record(event, text)
                return .stop(show: true, command: filter?.command)
            }
            return .keepGoing
        case .threadExited(let code):
            let filter = filters.filter(named: "et")
            let text =
                "Exit thread \(event.threadIndex ?? 0):\(String(event.threadID, radix: 16)), "
                + "code \(String(code, radix: 16))"
            if filter?.action != .ignore { out.line(prefix(event) + text) }
            if filter?.action == .breakFirstChance {
                record(event, text)
                return .stop(show: true, command: filter?.command)
            }
            return .keepGoing
        case .debugOutput(let text):
            if filters.filter(named: "out")?.action != .ignore { out.write(text) }
            if filters.filter(named: "out")?.action == .breakFirstChance {
                out.flush()
                record(event, "Debuggee output")
                return .stop(show: true, command: nil)
            }
            return .keepGoing
        case .exception(let exceptionRecord, let firstChance):
            return decideException(event, exceptionRecord, firstChance: firstChance)
        case .breakpoint(let id, _):
            return decideBreakpoint(event, id: id, planStops: planStops)
        case .dataBreakpoint(let id, _):
            return decideBreakpoint(event, id: id, planStops: planStops)
        case .singleStep:
            record(event, "Single step exception - code 80000004 (first chance)")
            return .stop(show: true, command: nil)
        case .unimplementedImport(let name):
            out.line(
                prefix(event) + "The program called \(name), which \(state.programName) does "
                    + "not implement.")
            out.line("g continues with a failure return to the caller.")
            record(event, "Call to unimplemented import \(name)")
            return .stop(show: true, command: nil)
        case .deadlock(let lines):
            out.line(prefix(event) + "Deadlock: every thread waits forever.")
            for line in lines { out.line("  " + line) }
            record(event, "Deadlock: every thread waits forever")
            return .stop(show: true, command: nil)
        case .breakRequested:
            out.line(prefix(event) + "Break instruction exception - code 80000003 (first chance)")
            record(event, "Break instruction exception - code 80000003 (first chance)")
            return .stop(show: true, command: nil)
        case .processExited(let code):
            let pid = String(control.processID ?? 0, radix: 16)
            let text = "Exit process 0:\(pid), code \(String(code, radix: 16))"
            record(event, text)
            state.targetStopped(modulesChanged: true)
            let filter = filters.filter(named: "epr")
            if filter?.action == .output { out.line(prefix(event) + text) }
            // CDB's final breakpoint: the last thread stands in NtTerminateProcess.
            let breaks = filter?.action == .breakFirstChance || filter?.action == .breakSecondChance
            return .stop(show: breaks, command: filter?.command)
        }
    }

    private func decideException(
        _ event: TargetDebugEvent, _ exception: ExceptionRecord, firstChance: Bool
    ) -> Decision {
        let filter = state.live.filters.filter(forException: exception.code)
        let description =
            ExceptionNames.description(of: exception.code) + " - code "
            + Hex.digits(UInt64(exception.code), width: 8)
            + (firstChance ? " (first chance)" : " (!!! second chance !!!)")
        let breaks: Bool
        switch filter.action {
        case .breakFirstChance: breaks = true
        case .breakSecondChance: breaks = !firstChance
        case .output, .ignore: breaks = false
        }
        if filter.action == .ignore && firstChance { return .keepGoing }
        out.line(prefix(event) + description)
        if firstChance, exception.code != 0x8000_0003, exception.code != 0x8000_0004 {
            out.line("First chance exceptions are reported before any exception handling.")
            out.line("This exception may be expected and handled.")
        }
        guard breaks || !firstChance else { return .keepGoing }
        state.live.pendingException = exception
        state.live.pendingExceptionFirstChance = firstChance
        record(event, description)
        return .stop(show: true, command: firstChance ? filter.command : filter.secondCommand)
    }

    private func decideBreakpoint(_ event: TargetDebugEvent, id: Int, planStops: [Int: StopPoint])
        -> Decision
    {
        if let stop = planStops[id] {
            if let thread = stop.threadIndex, thread != event.threadIndex { return .keepGoing }
            if let above = stop.stackAbove, let index = event.threadIndex,
                let sp = control.registers(ofThread: index)?.stackPointer, sp <= above
            {
                return .keepGoing
            }
            record(event, "Break instruction exception - code 80000003 (first chance)")
            return .stop(show: true, command: nil)
        }
        guard var breakpoint = state.live.breakpoints[id] else { return .keepGoing }
        if let thread = breakpoint.threadIndex, thread != event.threadIndex { return .keepGoing }
        if breakpoint.remainingPasses > 1 {
            breakpoint.remainingPasses -= 1
            state.live.breakpoints[id] = breakpoint
            return .keepGoing
        }
        control.flushProgramOutput()
        out.line("Breakpoint \(id) hit")
        record(event, "Hit breakpoint \(id)")
        if breakpoint.oneShot {
            control.removeBreakpoint(id: id)
            state.live.breakpoints[id] = nil
        }
        return .stop(show: true, command: breakpoint.command)
    }

    private func record(_ event: TargetDebugEvent, _ description: String) {
        state.live.lastEventDescription = description
        state.live.lastEventThreadID = event.threadID
        state.live.lastEventThreadIndex = event.threadIndex
    }

    /// The session's view follows the stop: fresh caches, the event's thread current.
    private func stopHere(_ event: TargetDebugEvent) {
        control.flushProgramOutput()
        state.targetStopped(modulesChanged: false)
        if let index = event.threadIndex, control.registers(ofThread: index) != nil {
            state.currentThread = index
        }
    }

    private func finishStop(_ event: TargetDebugEvent, show: Bool, command: String?) throws
        -> Outcome
    {
        stopHere(event)
        if control.hasEnded {
            // At the final breakpoint CDB shows where the last thread stopped, without the
            // register block: `ntdll!NtTerminateProcess+0x14:` and its `ret`.
            if show, let registers = state.currentRegisters {
                out.lines(CurrentInstruction.lines(state: state, registers: registers))
            }
            if let command, let runCommands { try runCommands(command) }
            return .exited
        }
        if show { showStop() }
        if let command, !command.isEmpty, let resume = try runStopCommands(command) {
            return try go(answer: resume)
        }
        return .stopped
    }

    /// The register block and the current instruction.
    func showStop() {
        guard let registers = state.currentRegisters else { return }
        out.lines(RegisterDisplay.lines(registers))
        out.lines(CurrentInstruction.lines(state: state, registers: registers))
    }

    /// Resolves `bu` breakpoints whose modules have just loaded.
    func resolveDeferredBreakpoints() {
        for (id, breakpoint) in state.live.breakpoints.sorted(by: { $0.key < $1.key })
        where breakpoint.address == nil {
            guard
                let address = try? MASMEvaluator.evaluate(
                    Substring(breakpoint.expression),
                    in: SessionExpressionEnvironment(state: state))
            else { continue }
            var resolved = breakpoint
            resolved.address = address
            state.live.breakpoints[id] = resolved
            if resolved.enabled { try? BreakpointArming.arm(resolved, on: control) }
        }
    }

    private func decode(at address: UInt64) -> Instruction? {
        guard let code = CodeView(state: state) else { return nil }
        let instruction = code.disassembler.decode(code.read(address, 16), at: address)
        return instruction.isValid ? instruction : nil
    }
}

/// Sets a breakpoint of the session's in the target.
enum BreakpointArming {
    static func arm(_ breakpoint: Breakpoint, on control: any ExecutionControl) throws {
        guard let address = breakpoint.address else { return }
        switch breakpoint.kind {
        case .code:
            try control.setCodeBreakpoint(id: breakpoint.id, at: address)
        case .data(let access, let size):
            try control.setDataBreakpoint(
                id: breakpoint.id, at: address, size: size, access: access)
        }
    }
}

/// Lines CDB prints for a live target's events.
enum LiveText {
    /// `ModLoad: 00007ff7`f7450000 00007ff7`f7477000   dotnet.exe`.
    static func modLoad(_ module: TargetModule) -> String {
        "ModLoad: \(Hex.pointer(module.base, size: 8)) \(Hex.pointer(module.end, size: 8))   "
            + module.path
    }
}
