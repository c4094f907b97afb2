import FoundationEssentials
import Glibc

extension Builtins {
    /// Evaluates a MASM expression and prints `Evaluate expression: ...` (the `?` command).
    static func evaluateAndPrint(_ expression: String, in invocation: CommandInvocation) throws {
        let start = invocation.arguments.drop { $0 == " " || $0 == "\t" }
        let value = try invocation.evaluate(start)
        invocation.out.line(
            EvaluateExpressionFormat.line(for: value, pointerSize: invocation.state.pointerSize))
        _ = expression
    }

    /// `.formats Expression`.
    static let formats = Command(
        name: ".formats",
        summary: "show a number in every format",
        usage: ".formats Expression",
        argument: .expression
    ) { invocation in
        let value = try invocation.evaluate(invocation.arguments)
        invocation.out.lines(
            NumberFormats.lines(for: value, pointerSize: invocation.state.pointerSize))
    }

    /// `n [Radix]`.
    static let radix = Command(
        name: "n",
        summary: "show or set the default number base (8, 10 or 16)",
        usage: "n [8 | 10 | 16]",
        effect: .displaysUnlessArguments(display: "n", change: "n Radix", kind: .changesSession),
        argument: .expression
    ) { invocation in
        let argument = invocation.trimmedArguments
        guard !argument.isEmpty else {
            invocation.out.line("base is \(invocation.state.radix)")
            return
        }
        // The radix argument is always decimal, whatever the current radix.
        guard let base = Int(argument), [8, 10, 16].contains(base) else {
            throw CommandError.syntax(at: invocation.arguments.firstIndex { $0 != " " })
        }
        invocation.state.radix = base
    }

    /// `.expr`.
    static let expressionEvaluator = Command(
        name: ".expr",
        summary: "show the expression evaluator (MASM)",
        usage: ".expr [/q] [/s masm]",
        argument: .text
    ) { invocation in
        let argument = invocation.trimmedArguments.lowercased()
        switch argument {
        case "", "/s masm":
            invocation.out.line(
                "Current expression evaluator: MASM - Microsoft Assembler expressions")
        case "/q":
            invocation.out.line("Available expression evaluators:")
            invocation.out.line("MASM - Microsoft Assembler expressions")
            invocation.out.line("")
            invocation.out.line(
                "Current expression evaluator: MASM - Microsoft Assembler expressions")
        default:
            throw CommandError.message("Only the MASM evaluator is available.")
        }
    }

    /// `.sleep Milliseconds`.
    static let sleep = Command(
        name: ".sleep",
        summary: "pause for a number of milliseconds (Ctrl-C interrupts)",
        usage: ".sleep Milliseconds",
        argument: .expression
    ) { invocation in
        let milliseconds = try invocation.evaluate(invocation.arguments)
        let deadline = Date().addingTimeInterval(Double(min(milliseconds, 86_400_000)) / 1000)
        while Date() < deadline {
            try invocation.checkInterrupt()
            let seconds = min(0.01, max(0, deadline.timeIntervalSinceNow))
            usleep(UInt32(seconds * 1_000_000))
        }
    }
}
