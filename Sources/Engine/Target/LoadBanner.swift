/// What CDB prints after loading a dump, from the symbol path to the event and the prompt's
/// thread (reference §2.2).
enum LoadBanner {
    static func show(state: DebuggerState, out: OutputWriter) {
        guard let target = state.target else { return }
        let kernel = target.capabilities.contains(.isKernel)
        out.line()
        out.line(
            "Symbol search path is: \(state.symbolPath.isEmpty ? "<empty>" : state.symbolPath)")
        out.line("Executable search path is: \(state.imagePath)")
        if let system = target.system {
            out.line(SystemDescription.osLine(system, kernel: kernel))
            if let product = SystemDescription.productLine(system) { out.line(product) }
            if let lab = system.buildLab { out.line(lab) }
            out.line("Machine Name:")
            out.line(SystemDescription.sessionTimeLine(system))
            out.lines(SystemDescription.uptimeLines(system, includeProcess: !kernel))
        }
        let modules = target.modules
        if !modules.isEmpty { out.line(String(repeating: ".", count: modules.count)) }
        let unloaded = target.unloadedModules
        if !unloaded.isEmpty {
            out.line("Loading unloaded module list")
            out.line(String(repeating: ".", count: unloaded.count))
        }
        guard let event = target.lastEvent else { return }
        if let index = event.threadIndex { state.currentThread = index }
        out.line("This dump file has an exception of interest stored in it.")
        out.line("The stored exception information can be accessed via .ecxr.")
        out.line(ExceptionDisplay.eventLine(event, platform: target.system?.platform))
        if let registers = state.currentRegisters {
            out.lines(RegisterDisplay.lines(registers))
            out.lines(CurrentInstruction.lines(state: state, registers: registers))
        }
    }
}
