/// Runs the blocks of control-flow commands through the session's nested-run API, so they
/// work in any line (typed, a script's, a breakpoint's command string) and draw from the
/// typed line's `ExecutionBudget`: every body is a nested run (depth), every loop iteration
/// counts as a command (so even `.while (1) {}` ends), and Ctrl-C stops them.
struct BlockRunner {
    let invocation: CommandInvocation
    var flow: ScriptFlow { invocation.budget.flow }

    /// How a loop goes on after its body ran.
    enum LoopStep {
        case next
        case exit
    }

    /// Runs a block; a failure inside it (already shown) fails the command running it.
    func run(_ body: Substring) throws {
        guard try invocation.runNested(String(body), echo: false) else {
            throw ErrorAlreadyShown()
        }
    }

    /// Evaluates a condition (MASM, like CDB's default evaluator): nonzero is true.
    func isTrue(_ condition: Substring) throws -> Bool {
        try invocation.evaluate(condition) != 0
    }

    /// Runs `loop` with this command counted as a loop for `.break`/`.continue`.
    func asLoop(_ loop: () throws -> Void) throws {
        flow.loopDepth += 1
        defer { flow.loopDepth -= 1 }
        try loop()
    }

    /// Starts one more iteration: counted against the line's command budget and interruptible.
    func startIteration() throws {
        try invocation.checkInterrupt()
        try invocation.budget.startCommand()
    }

    /// Runs a loop body and takes the `.break`/`.continue` meant for this loop.
    func runLoopBody(_ body: Substring) throws -> LoopStep {
        if try invocation.runNested(String(body), echo: false) { return .next }
        switch flow.pendingJump {
        case .breakLoop:
            flow.pendingJump = nil
            return .exit
        case .continueLoop:
            flow.pendingJump = nil
            return .next
        case .leaveCatch, nil:
            throw ErrorAlreadyShown()
        }
    }
}
