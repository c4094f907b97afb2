extension Builtins {
    /// `.help [name|pattern]`: meta-commands, or the full entry for one command.
    static let help = Command(
        name: ".help",
        summary: "list meta-commands, or describe one command",
        usage: ".help [Command|Pattern]",
        details: [
            "With no argument, lists every meta-command (. commands).",
            "With a command name (k, .logopen, !analyze) shows its syntax, what it needs and",
            "what it changes. Wildcards (* and ?) list every matching command.",
        ],
        argument: .commandName
    ) { invocation in
        let query = invocation.trimmedArguments
        if query.isEmpty {
            HelpPrinter.listFamily(.dot, title: ". commands:", in: invocation)
            invocation.out.line(
                "Type ? for regular commands, !help for extension commands, "
                    + ".help NAME for one command.")
            return
        }
        try HelpPrinter.describe(query, in: invocation)
    }

    /// `?` with no expression: the regular commands.
    static let questionHelp = Command(
        name: "?",
        summary: "evaluate an expression; alone, list the regular commands",
        usage: "? [Expression]",
        argument: .expression
    ) { invocation in
        let expression = invocation.trimmedArguments
        guard expression.isEmpty else {
            try Builtins.evaluateAndPrint(expression, in: invocation)
            return
        }
        HelpPrinter.listFamily(.regular, title: "Regular commands:", in: invocation)
        invocation.out.line(
            "Type .help for meta-commands, !help for extension commands, "
                + ".help NAME for one command.")
    }

    /// `!help`: the extension commands.
    static let bangHelp = Command(
        name: "!help",
        summary: "list extension commands",
        usage: "!help [Command]",
        argument: .commandName
    ) { invocation in
        let query = invocation.trimmedArguments
        if query.isEmpty {
            HelpPrinter.listFamily(.bang, title: "Extension commands:", in: invocation)
        } else {
            try HelpPrinter.describe(query.hasPrefix("!") ? query : "!" + query, in: invocation)
        }
    }
}

/// Formats help text from the command table.
enum HelpPrinter {
    static func listFamily(_ kind: Command.Kind, title: String, in invocation: CommandInvocation) {
        let commands = invocation.table.commands.filter { $0.kind == kind }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
        invocation.out.line(title)
        for command in commands {
            invocation.out.line("   \(command.usage) - \(command.summary)")
        }
    }

    static func describe(_ query: String, in invocation: CommandInvocation) throws {
        let table = invocation.table
        if query.contains("*") || query.contains("?") && query != "?" && query != "??" {
            let matches = table.commands.filter {
                $0.allNames.contains { WildcardPattern(query).matches($0) }
            }
            guard !matches.isEmpty else {
                throw CommandError.message("No command matches '\(query)'")
            }
            for command in matches {
                invocation.out.line("   \(command.usage) - \(command.summary)")
            }
            return
        }
        guard let command = table.command(named: query) ?? table.lookup(query[...])?.command
        else {
            throw CommandError.message(
                "No command named '\(query)'. Type .help, ? or !help for the lists.")
        }
        let out = invocation.out
        out.line(command.usage)
        out.line("  \(command.summary)")
        for detail in command.details { out.line("  \(detail)") }
        if !command.aliases.isEmpty {
            out.line("  Also: \(command.aliases.joined(separator: ", "))")
        }
        var needs: [String] = []
        if command.requirements.contains(.liveTarget) { needs.append("a live target") }
        if command.requirements.contains(.kernelTarget) { needs.append("a kernel target") }
        if command.requirements.contains(.userTarget) { needs.append("a user-mode target") }
        if needs.isEmpty && command.requirements.contains(.target) { needs.append("a target") }
        if !needs.isEmpty { out.line("  Needs: \(needs.joined(separator: ", "))") }
        out.lines(effectLines(command.effect))
    }

    /// What each form changes and whether read-only participants may run it.
    static func effectLines(_ effect: CommandEffect) -> [String] {
        if let kind = effect.uniform {
            switch kind {
            case .none: return ["  Read-only participants may run it."]
            case .changesTarget:
                return ["  Changes the target; read-only participants may not run it."]
            case .changesSession:
                return ["  Changes the session; read-only participants may not run it."]
            }
        }
        var lines = ["  Forms:"]
        for form in effect.forms {
            let note: String
            switch form.kind {
            case .none: note = "read-only participants may run it"
            case .changesTarget: note = "changes the target; not for read-only participants"
            case .changesSession: note = "changes the session; not for read-only participants"
            }
            lines.append("    \(form.syntax): \(note)")
        }
        return lines
    }
}
