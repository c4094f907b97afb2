extension Builtins {
    /// `sx` lists the event filters; `sxe`, `sxd`, `sxn`, `sxi` change them.
    static var eventFilters: [Command] {
        [
            Command(
                name: "sx", summary: "list the event filters", usage: "sx",
                requirements: .target, argument: .none
            ) { invocation in
                invocation.out.lines(invocation.state.live.filters.listing)
            },
            filterCommand(
                "sxe", "break on an event (first chance for exceptions)", .breakFirstChance),
            filterCommand("sxd", "break on an exception's second chance only", .breakSecondChance),
            filterCommand("sxn", "print an event without breaking", .output),
            filterCommand("sxi", "ignore an event", .ignore),
        ]
    }

    private static func filterCommand(
        _ name: String, _ summary: String, _ action: EventFilters.Action
    ) -> Command {
        Command(
            name: name, summary: summary,
            usage: "\(name) [-c \"Cmd1\"] [-c2 \"Cmd2\"] [-h] Event|Code ...",
            requirements: .target, effect: .changesSession, argument: .text
        ) { invocation in
            try EventFilterCommand.run(invocation, action: action)
        }
    }
}

enum EventFilterCommand {
    static func run(_ invocation: CommandInvocation, action: EventFilters.Action) throws {
        var words = ArgumentWords(invocation.arguments)
        var command: String?
        var secondCommand: String?
        var handlingOnly = false
        var events: [Substring] = []
        while let word = words.next() {
            switch word.lowercased() {
            case "-c":
                guard let text = words.next() else { throw CommandError.syntax(at: word.endIndex) }
                command = unquoted(text)
            case "-c2":
                guard let text = words.next() else { throw CommandError.syntax(at: word.endIndex) }
                secondCommand = unquoted(text)
            case "-h":
                handlingOnly = true
            default:
                events.append(word)
            }
        }
        guard !events.isEmpty else { throw CommandError.syntax(at: invocation.arguments.endIndex) }
        for event in events {
            let known = invocation.state.live.filters.update(String(event)) { filter in
                if handlingOnly {
                    // `sxe -h` changes the handling status: e = handled, d = not handled.
                    if filter.exceptionCode != nil {
                        filter.handled = action == .breakFirstChance || action == .output
                    }
                } else {
                    filter.action = action
                }
                if let command { filter.command = command }
                if let secondCommand { filter.secondCommand = secondCommand }
            }
            guard known else { throw CommandError.syntax(at: event.startIndex) }
        }
    }
}
