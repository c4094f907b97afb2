extension Builtins {
    /// `.echo [String | "String"]`.
    static let echo = Command(
        name: ".echo",
        summary: "display a comment string",
        usage: ".echo [String | \"String\"]",
        details: ["Unquoted text ends at ';'. Participants sharing the session see it too."],
        argument: .text
    ) { invocation in
        var text = invocation.trimmedArguments
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast())
        }
        invocation.out.line(text)
    }

    /// `.cls`.
    static let clearScreen = Command(
        name: ".cls",
        summary: "clear the screen",
        usage: ".cls"
    ) { invocation in
        invocation.out.clearScreen()
    }
}
