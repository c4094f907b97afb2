extension Builtins {
    /// Control-flow tokens run other lines, each checked on its own (as `~* cmd` and scripts).
    static let controlFlowEffect = CommandEffect(
        forms: [
            CommandEffect.Form("Token ... { Commands } (each command checked as if typed)", .none)
        ]
    ) { _ in .none }

    /// `.if (Condition) { Commands } [.elsif (Condition) { Commands }] [.else { Commands }]`.
    static let ifBlock = Command(
        name: ".if",
        summary: "run a block when a condition is nonzero, with .elsif and .else blocks",
        usage:
            ".if (Condition) { Commands } [.elsif (Condition) { Commands }] [.else { Commands }]",
        effect: controlFlowEffect,
        argument: .text,
        extent: { IfSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try IfSyntax(invocation.text)
        let runner = BlockRunner(invocation: invocation)
        for branch in syntax.branches {
            if let condition = branch.condition, try !runner.isTrue(condition) { continue }
            try runner.run(branch.body)
            return
        }
    }

    /// `.elsif` and `.else` only continue an `.if`.
    static let elsifBlock = Command(
        name: ".elsif", summary: "continues an .if: .elsif (Condition) { Commands }",
        usage: ".if (...) { ... } .elsif (Condition) { Commands }", argument: .text
    ) { _ in throw CommandError.syntax() }

    static let elseBlock = Command(
        name: ".else", summary: "continues an .if: .else { Commands }",
        usage: ".if (...) { ... } .else { Commands }", argument: .text
    ) { _ in throw CommandError.syntax() }

    /// `.block { Commands }`: a block only, so its aliases are replaced when it is entered.
    static let block = Command(
        name: ".block",
        summary: "run a block (its aliases are replaced when it is entered)",
        usage: ".block { Commands }",
        effect: controlFlowEffect,
        argument: .text,
        extent: { SingleBlockSyntax.extent(of: $0) }
    ) { invocation in
        let body = try SingleBlockSyntax(invocation.text).body
        try BlockRunner(invocation: invocation).run(body)
    }

    /// `.catch { Commands }`: an error inside ends the block, not the program.
    static let catchBlock = Command(
        name: ".catch",
        summary: "run a block; an error in it ends the block, not the whole program",
        usage: ".catch { Commands }",
        effect: controlFlowEffect,
        argument: .text,
        extent: { SingleBlockSyntax.extent(of: $0) }
    ) { invocation in
        let body = try SingleBlockSyntax(invocation.text).body
        let flow = invocation.budget.flow
        flow.catchDepth += 1
        defer { flow.catchDepth -= 1 }
        if try invocation.runNested(String(body), echo: false) { return }
        switch flow.pendingJump {
        case nil:
            return  // the error was shown; the program goes on after the block
        case .leaveCatch:
            flow.pendingJump = nil
        case .breakLoop, .continueLoop:
            throw ErrorAlreadyShown()
        }
    }

    static let leave = jumpCommand(
        ".leave", jump: .leaveCatch, summary: "leave the enclosing .catch block",
        outside: ".leave is only allowed inside a .catch block"
    ) { $0.catchDepth > 0 }

    static let breakLoop = jumpCommand(
        ".break", jump: .breakLoop, summary: "leave the enclosing .for, .while, .do or .foreach",
        outside: ".break is only allowed inside a .for, .while, .do or .foreach loop"
    ) { $0.loopDepth > 0 }

    static let continueLoop = jumpCommand(
        ".continue", jump: .continueLoop,
        summary: "go on with the next iteration of the enclosing loop",
        outside: ".continue is only allowed inside a .for, .while, .do or .foreach loop"
    ) { $0.loopDepth > 0 }

    /// A jump: it fails quietly so every block up to its construct stops; the construct
    /// (loop or `.catch`) takes the jump and goes on.
    private static func jumpCommand(
        _ name: String, jump: ScriptFlow.Jump, summary: String, outside: String,
        allowed: @escaping @Sendable (ScriptFlow) -> Bool
    ) -> Command {
        Command(name: name, summary: summary, effect: .none) { invocation in
            let flow = invocation.budget.flow
            guard allowed(flow) else { throw CommandError.message(outside) }
            flow.pendingJump = jump
            throw ErrorAlreadyShown()
        }
    }
}

/// `.if (c) { } .elsif (c) { } .else { }`, parsed.
struct IfSyntax {
    /// Each branch in order; the `.else` branch has no condition.
    var branches: [(condition: Substring?, body: Substring)] = []
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        branches.append((try scanner.condition(), try scanner.blockOrCommand()))
        while true {
            if scanner.consumeWord(".elsif") {
                branches.append((try scanner.condition(), try scanner.blockOrCommand()))
            } else if scanner.consumeWord(".else") {
                branches.append((nil, try scanner.blockOrCommand()))
                break
            } else {
                break
            }
        }
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? IfSyntax(text))?.end ?? text.endIndex
    }
}

/// `.block { }` and `.catch { }`, parsed.
struct SingleBlockSyntax {
    var body: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        body = try scanner.block()
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? SingleBlockSyntax(text))?.end ?? text.endIndex
    }
}
