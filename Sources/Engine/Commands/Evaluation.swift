extension CommandInvocation {
    /// Evaluates the MASM expression at the start of `text` (a substring of the command line);
    /// returns its value and the text after it.
    public func evaluatePrefix(_ text: Substring) throws -> (value: UInt64, rest: Substring) {
        let start = text.drop { $0 == " " || $0 == "\t" }
        guard !start.isEmpty else { throw CommandError.syntax(at: start.startIndex) }
        do {
            let result = try MASMEvaluator.evaluatePrefix(start, in: environment)
            return (result.value, start[result.end...])
        } catch {
            throw Self.commandError(error, in: start)
        }
    }

    /// Evaluates a whole argument as one expression.
    public func evaluate(_ text: Substring) throws -> UInt64 {
        let start = text.drop { $0 == " " || $0 == "\t" }
        guard !start.trimmingWhitespace().isEmpty else {
            throw CommandError.syntax(at: start.startIndex)
        }
        do {
            return try MASMEvaluator.evaluate(start, in: environment)
        } catch {
            throw Self.commandError(error, in: start)
        }
    }

    /// The evaluator's view of this session.
    var environment: SessionExpressionEnvironment { SessionExpressionEnvironment(state: state) }

    /// Maps an evaluator error to CDB's caret form at the right column of the line.
    static func commandError(_ error: ExpressionError, in text: Substring) -> CommandError {
        let offset = min(max(0, error.offset), text.utf8.count)
        let position = text.utf8.index(text.startIndex, offsetBy: offset)
        switch error.kind {
        case .couldNotResolve, .memoryAccess:
            return CommandError(
                .atPosition(kind: "\(error.kind.text) error", text: error.remainder), at: position)
        default:
            return CommandError(.inCommand(kind: "\(error.kind.text) error"), at: position)
        }
    }
}
