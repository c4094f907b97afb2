/// What CDB shows whenever the current context changes (a stop, `~Ns`, `.ecxr`, `.cxr`): the
/// register block, then the current instruction with its symbol.
enum StopDisplay {
    static func show(in invocation: CommandInvocation) {
        let state = invocation.state
        guard let registers = state.currentRegisters else {
            invocation.out.line("Registers are not available for this thread.")
            return
        }
        invocation.out.lines(RegisterDisplay.lines(registers))
        invocation.out.lines(CurrentInstruction.lines(state: state, registers: registers))
    }
}

/// The `module!symbol+off:` line and the instruction at the instruction pointer, with the
/// effective-address annotation when `registers` are the live context.
enum CurrentInstruction {
    static func lines(state: DebuggerState, registers: RegisterSet, annotate: Bool = true)
        -> [String]
    {
        guard let ip = registers.instructionPointer, let code = CodeView(state: state) else {
            return []
        }
        return code.disassembler.currentInstructionLines(
            at: ip, read: code.read, symbolizer: code.symbolizer,
            readRegister: annotate ? CodeView.registerReader(registers) : nil)
    }
}
