extension Builtins {
    /// `.restart`: starts the program again and stops at the initial breakpoint; `bu`
    /// breakpoints are resolved again, `bp` ones stay at their addresses.
    static let restart = Command.live(
        name: ".restart", summary: "restart the target program", usage: ".restart",
        argument: .none
    ) { invocation, control in
        let state = invocation.state
        do {
            try control.restart()
        } catch {
            throw CommandError.message("Unable to restart the program: \(error)")
        }
        let live = state.live
        state.targetChanged()
        state.live.breakpoints = live.breakpoints.filter {
            $0.value.deferred || $0.value.address != nil
        }
        for (id, breakpoint) in state.live.breakpoints where breakpoint.deferred {
            state.live.breakpoints[id]?.address = nil
            control.removeBreakpoint(id: id)
        }
        state.live.filters = live.filters
        state.live.ignoreFinalBreakpoint = live.ignoreFinalBreakpoint
        state.currentThread = 0
        invocation.out.lines(control.startLines)
        try invocation.runControl(control).start(ignoreInitialBreakpoint: false)
    }

    /// `.kill`: ends the process; the session stays.
    static let kill = Command.live(
        name: ".kill", summary: "end the target process", usage: ".kill", argument: .none
    ) { invocation, control in
        guard !control.hasEnded else { throw CommandError.noRunnableDebuggees }
        control.kill()
        invocation.state.targetStopped(modulesChanged: true)
        invocation.out.line("Terminated.  Exit thread and process events will occur.")
    }

    /// `.detach`: xcdb's process exists only under the debugger, so detaching ends it too.
    static let detach = Command.live(
        name: ".detach", summary: "end the debugging of the target", usage: ".detach",
        argument: .text
    ) { invocation, control in
        if !control.hasEnded { control.kill() }
        invocation.state.targetStopped(modulesChanged: true)
        invocation.out.line(
            "Detached (the simulated process exists only under the debugger, so it ended).")
    }
}
