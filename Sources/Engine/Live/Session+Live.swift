// Threads and a live target: the emulator runs inside `ExecutionControl.run`, on the session's
// queue, like every other target access, so the target and `DebuggerState` stay confined to that
// queue; `SessionCore` (an actor on that queue) owns them and the compiler checks it. What crosses
// threads is `Sendable`: the break request (a C atomic behind `BreakRequesting`), the
// `InterruptFlag` that forwards Ctrl-C and remote interrupts to it, the program-output sink
// (`@Sendable`, emitting to the thread-safe hub) and the adapter's output forwarder (a `Mutex`).
extension Session {
    /// Makes a live process the session's target and runs it to its initial breakpoint,
    /// printing what CDB prints when it starts a program: `CommandLine:`, the search paths,
    /// a `ModLoad:` line per module, the initial break with the registers and the instruction
    /// (`ntdll!LdrpDoDebuggerBreak+0x..`). The program's console output goes to the session's
    /// output from now on. Returns false when the program could not be run. The target is
    /// `sending`: from here on it belongs to the session's queue.
    public func startLive(
        _ target: sending any ExecutionControl, ignoreInitialBreakpoint: Bool = false,
        ignoreFinalBreakpoint: Bool = false
    ) -> Bool {
        let hub = self.hub
        target.setProgramOutput { line in hub.emit(.output, line, origin: .engine) }
        return withState { state in
            state.target = target
            state.targetChanged()
            state.currentThread = 0
            state.live.ignoreFinalBreakpoint = ignoreFinalBreakpoint
            if ignoreFinalBreakpoint {
                _ = state.live.filters.update("epr") { $0.action = .ignore }
            }
            let budget = ExecutionBudget(limits: limits, interrupt: interrupt)
            let out = OutputWriter(hub: hub, origin: .startup, budget: budget)
            defer { out.flush() }
            out.lines(target.startLines)
            out.line(
                "Symbol search path is: \(state.symbolPath.isEmpty ? "<empty>" : state.symbolPath)")
            out.line("Executable search path is: \(state.imagePath)")
            let control = RunControl(
                state: state, control: target, out: out, runCommands: nil, budget: budget,
                interrupt: interrupt)
            do {
                try control.start(ignoreInitialBreakpoint: ignoreInitialBreakpoint)
            } catch {
                out.error("The program could not be started: \(error)")
                return false
            }
            return true
        }
    }
}
