extension Builtins {
    /// `.for (InitialCommand ; Condition ; IncrementCommands) { Commands }`.
    static let forLoop = Command(
        name: ".for",
        summary: "run a block while a condition holds, with initial and increment commands",
        usage: ".for (InitialCommand ; Condition ; IncrementCommands) { Commands }",
        effect: controlFlowEffect,
        argument: .text,
        extent: { ForSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try ForSyntax(invocation.text)
        let runner = BlockRunner(invocation: invocation)
        if !syntax.initial.trimmingWhitespace().isEmpty { try runner.run(syntax.initial) }
        try runner.asLoop {
            while true {
                try runner.startIteration()
                // An empty condition is true, as in C (the page leaves it to the increments).
                if !syntax.condition.trimmingWhitespace().isEmpty,
                    try !runner.isTrue(syntax.condition)
                {
                    return
                }
                if try runner.runLoopBody(syntax.body) == .exit { return }
                if !syntax.increment.trimmingWhitespace().isEmpty {
                    try runner.run(syntax.increment)
                }
            }
        }
    }

    /// `.while (Condition) { Commands }`.
    static let whileLoop = Command(
        name: ".while",
        summary: "run a block while a condition is nonzero",
        usage: ".while (Condition) { Commands }",
        effect: controlFlowEffect,
        argument: .text,
        extent: { WhileSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try WhileSyntax(invocation.text)
        let runner = BlockRunner(invocation: invocation)
        try runner.asLoop {
            while true {
                try runner.startIteration()
                guard try runner.isTrue(syntax.condition) else { return }
                if try runner.runLoopBody(syntax.body) == .exit { return }
            }
        }
    }

    /// `.do { Commands } (Condition)`.
    static let doLoop = Command(
        name: ".do",
        summary: "run a block, then again while a condition is nonzero",
        usage: ".do { Commands } (Condition)",
        effect: controlFlowEffect,
        argument: .text,
        extent: { DoSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try DoSyntax(invocation.text)
        let runner = BlockRunner(invocation: invocation)
        try runner.asLoop {
            while true {
                try runner.startIteration()
                if try runner.runLoopBody(syntax.body) == .exit { return }
                guard try runner.isTrue(syntax.condition) else { return }
            }
        }
    }
}

/// `.for (...) { }`, parsed.
struct ForSyntax {
    var initial: Substring
    var condition: Substring
    var increment: Substring
    var body: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        scanner.skipBlanks()
        let open = scanner.index
        let header = try scanner.group("(", ")")
        let parts = BlockSyntax.splitAtSemicolons(header)
        guard parts.count >= 3 else { throw CommandError.syntax(at: open) }
        initial = parts[0]
        condition = parts[1]
        // Several increment commands are separated by `;`: everything after the condition.
        increment = header[parts[2].startIndex...]
        body = try scanner.block()
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? ForSyntax(text))?.end ?? text.endIndex
    }
}

/// `.while (c) { }`, parsed.
struct WhileSyntax {
    var condition: Substring
    var body: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        condition = try scanner.condition()
        body = try scanner.block()
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? WhileSyntax(text))?.end ?? text.endIndex
    }
}

/// `.do { } (c)`, parsed. The condition's parentheses are optional; without them it runs to
/// the next `;`.
struct DoSyntax {
    var body: Substring
    var condition: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        body = try scanner.block()
        scanner.skipSeparators()
        if scanner.current == "(" {
            condition = try scanner.group("(", ")")
        } else {
            let start = scanner.index
            scanner.index = CommandLineSplitter.endOfCommand(text, from: start)
            condition = text[start..<scanner.index]
            guard !condition.trimmingWhitespace().isEmpty else {
                throw CommandError.syntax(at: start)
            }
        }
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? DoSyntax(text))?.end ?? text.endIndex
    }
}
