import FoundationEssentials
import HostSystem

extension Builtins {
    /// `$<File`: run each line of a file as a command, echoing it.
    static let runScript = Command(
        name: "$<",
        summary: "run a script file (the rest of the line is the file name)",
        usage: "$<Filename",
        effect: ScriptRunner.effect,
        argument: .filePath,
        takesRestOfLine: true
    ) { invocation in
        try ScriptRunner.run(invocation, condensed: false, withArguments: false)
    }

    /// `$><File`: run a file as one command block.
    static let runScriptCondensed = Command(
        name: "$><",
        summary: "run a script file as one command block",
        usage: "$><Filename",
        effect: ScriptRunner.effect,
        argument: .filePath,
        takesRestOfLine: true
    ) { invocation in
        try ScriptRunner.run(invocation, condensed: true, withArguments: false)
    }

    /// `$$<File`: like `$<`, but the file name ends at `;`.
    static let runScriptAllowingCommands = Command(
        name: "$$<",
        summary: "run a script file; commands may follow after ';'",
        usage: "$$<Filename",
        effect: ScriptRunner.effect,
        argument: .filePath
    ) { invocation in
        try ScriptRunner.run(invocation, condensed: false, withArguments: false)
    }

    /// `$$><File`: like `$><`, but the file name ends at `;`.
    static let runScriptCondensedAllowingCommands = Command(
        name: "$$><",
        summary: "run a script file as one block; commands may follow after ';'",
        usage: "$$><Filename",
        effect: ScriptRunner.effect,
        argument: .filePath
    ) { invocation in
        try ScriptRunner.run(invocation, condensed: true, withArguments: false)
    }

    /// `$$>a<File args...`: run a script with `${$arg1}`... replaced by the arguments.
    static let runScriptWithArguments = Command(
        name: "$$>a<",
        summary: "run a script file with arguments (${$arg1} ...)",
        usage: "$$>a<Filename [Arg1 Arg2 ...]",
        effect: ScriptRunner.effect,
        argument: .filePath
    ) { invocation in
        try ScriptRunner.run(invocation, condensed: true, withArguments: true)
    }
}

/// Reads and runs script files.
enum ScriptRunner {
    /// Running a script changes nothing by itself; each of its lines is checked as if its
    /// starter had typed it (a read-only participant's script cannot say `q` or `g`). How deep
    /// scripts nest is bounded by the line's `ExecutionBudget`.
    static let effect = CommandEffect(
        forms: [CommandEffect.Form("$< File (each line is checked as if typed)", .none)]
    ) { _ in .none }

    /// Scripts are text; anything bigger is a mistake.
    static let maximumSize = 16 << 20

    static func run(_ invocation: CommandInvocation, condensed: Bool, withArguments: Bool) throws {
        let state = invocation.state
        var arguments: [String] = []
        let path: String
        if withArguments {
            var words = ArgumentWords(invocation.arguments)
            guard let first = words.next() else { throw CommandError.syntax() }
            path = unquoted(first)
            while let word = words.next() { arguments.append(unquoted(word)) }
        } else {
            path = unquoted(invocation.trimmedArguments)
        }
        guard !path.isEmpty else { throw CommandError.syntax() }
        let lines = try readLines(path)
        if condensed {
            var block = lines.filter { !$0.trimmingWhitespace().isEmpty }.joined(separator: ";")
            guard withArguments else {
                try invocation.runNested(block, echo: true, asScript: true)
                return
            }
            block = substitute(block, script: path, arguments: arguments)
            // The arguments are aliases too, so `${/d:$arg2}` tells whether one was given.
            var bindings = ["$arg0": path, "$n": String(arguments.count)]
            for (index, argument) in arguments.enumerated() {
                bindings["$arg\(index + 1)"] = argument
            }
            try invocation.budget.flow.withScope(bindings) {
                _ = try invocation.runNested(block, echo: false, asScript: true)
            }
            return
        }
        for line in lines where !line.trimmingWhitespace().isEmpty {
            try invocation.runNested(line, echo: true, asScript: true)
            if state.quitRequested { return }
            // A `.break`/`.continue`/`.leave` in the script belongs to a construct around it.
            if invocation.budget.flow.pendingJump != nil { throw ErrorAlreadyShown() }
        }
    }

    static func readLines(_ path: String) throws -> [String] {
        let expanded = PathText.expandingTilde(path)
        switch FileKind(path: expanded) {
        case .missing: throw CommandError.message("Couldn't open script file '\(path)'")
        case .directory, .special:
            throw CommandError.message("Script file '\(path)' is not a regular file")
        case .regularFile: break
        }
        guard let file = HostFile(readingAtPath: expanded) else {
            throw CommandError.message("Couldn't open script file '\(path)'")
        }
        // Read one byte past the limit, so a file that grows meanwhile is still refused.
        guard let data = file.read(upTo: maximumSize + 1) else {
            throw CommandError.message("Couldn't read script file '\(path)'")
        }
        guard data.count <= maximumSize else {
            throw CommandError.message("Script file '\(path)' is larger than 16 MB")
        }
        let text = String(decoding: data, as: UTF8.self)
        // `\r\n` is one Character in Swift, and a newline.
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(
            String.init)
    }

    /// Replaces `${$arg0}` (the script name), `${$argN}` and `${$n}` (the count). Missing
    /// arguments stay literal, as CDB leaves them.
    static func substitute(_ text: String, script: String, arguments: [String]) -> String {
        var result = text.replacing("${$n}", with: String(arguments.count))
        result = result.replacing("${$arg0}", with: script)
        // Highest numbers first so ${$arg1} does not eat the start of ${$arg12}.
        for (index, argument) in arguments.enumerated().reversed() {
            result = result.replacing("${$arg\(index + 1)}", with: argument)
        }
        return result
    }
}
