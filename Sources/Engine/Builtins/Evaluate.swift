extension Builtins {
    /// Evaluates a MASM expression and prints `Evaluate expression: ...`.
    static func evaluateAndPrint(_ expression: String, in invocation: CommandInvocation) throws {
        throw CommandError.message("expression evaluation is not wired yet")
    }
}
