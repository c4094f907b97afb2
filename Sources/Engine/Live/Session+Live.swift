extension Session {
    /// Makes a live process the session's target and runs it to its initial breakpoint,
    /// printing what CDB prints when it starts a program: `CommandLine:`, the search paths,
    /// a `ModLoad:` line per module, the initial break with the registers and the instruction
    /// (`ntdll!LdrpDoDebuggerBreak+0x..`). The program's console output goes to the session's
    /// output from now on. Returns false when the program could not be run.
    public func startLive(
        _ target: any ExecutionControl, ignoreInitialBreakpoint: Bool = false,
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
