extension Builtins {
    /// `.kframes [Count]`: the default number of frames `k` shows (and words `kd` shows).
    static let stackLength = Command(
        name: ".kframes",
        summary: "show or set the default stack trace length",
        usage: ".kframes [FrameCountDefault]",
        effect: .displaysUnlessArguments(
            display: ".kframes", change: ".kframes Count", kind: .changesSession),
        argument: .expression
    ) { invocation in
        let state = invocation.state
        if !invocation.trimmedArguments.isEmpty {
            let value = try invocation.evaluate(invocation.arguments)
            guard value > 0, value <= UInt64(StackService.maximumFrameCount) else {
                throw CommandError.message(
                    "The stack trace depth must be 1 to 0n\(StackService.maximumFrameCount)")
            }
            state.defaultFrameCount = Int(value)
        }
        // -kframes--set-stack-length-.md.
        invocation.out.line("Default stack trace depth is 0n\(state.defaultFrameCount) frames")
    }
}
