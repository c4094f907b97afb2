extension CommandInvocation {
    /// Evaluates the MASM expression at the start of `text`; returns its value and the text
    /// after it. (Interim: numbers only, until the MASM evaluator is wired in.)
    public func evaluatePrefix(_ text: Substring) throws -> (value: UInt64, rest: Substring) {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let token = trimmed.prefix { !$0.isWhitespace && $0 != "," }
        guard !token.isEmpty else { throw CommandError.syntax(at: trimmed.startIndex) }
        var digits = Substring(token.replacingOccurrences(of: "`", with: ""))
        var radix = state.radix
        if digits.lowercased().hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.lowercased().hasPrefix("0n") {
            radix = 10
            digits = digits.dropFirst(2)
        }
        guard let value = UInt64(digits, radix: radix) else {
            throw CommandError.couldNotResolve(at: token.startIndex)
        }
        return (value, trimmed[token.endIndex...])
    }

    /// Evaluates a whole argument as one expression.
    public func evaluate(_ text: Substring) throws -> UInt64 {
        let (value, rest) = try evaluatePrefix(text)
        if let extra = rest.first(where: { !$0.isWhitespace }) {
            _ = extra
            throw CommandError.syntax(at: rest.firstIndex { !$0.isWhitespace })
        }
        return value
    }
}
