extension Builtins {
    /// `~`: list threads, switch thread (`~Ns`), or run a command per thread (`~* k`, `~2 r`).
    static let threads = Command(
        name: "~",
        summary: "list threads, switch the current thread, or run a command for threads",
        usage: "~[Thread][s | Command]",
        details: [
            "Thread: . current, # event thread, * all, N index (decimal), ~[TID] by OS thread",
            "id. ~Ns makes N current; ~N cmd / ~* cmd runs cmd for those threads; ~*e cmd too.",
            "~Nf/~Nu freeze/unfreeze and ~Nn/~Nm suspend/resume (live targets).",
        ],
        requirements: [.target, .userTarget],
        effect: ThreadSyntax.effect,
        argument: .text,
        takesRestOfLine: true
    ) { invocation in
        try ThreadCommand.run(invocation)
    }

    /// `|`: the process (dumps hold one).
    static let processes = Command(
        name: "|",
        summary: "list processes",
        usage: "|[Process][s]",
        requirements: [.target, .userTarget],
        // A dump (and xcdb's live process) holds one process: `|0s` changes nothing.
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        let rest = invocation.trimmedArguments
        guard
            rest.isEmpty || rest == "." || rest == "#" || rest == "0" || rest == "*"
                || rest == "0s" || rest == "s"
        else { throw CommandError.syntax(at: invocation.arguments.startIndex) }
        let pid = target.processID.map { String($0, radix: 16) } ?? "0"
        let kind = target.capabilities.contains(.isDump) ? "examine" : "create"
        let name = MainModule.of(invocation.state)?.path ?? target.displayName
        invocation.out.line(".  0\tid: \(pid)\t\(kind)\tname: \(name)")
    }
}

/// The text of a `~` command, split without evaluating anything, so the effect check and the
/// handler read it the same way: `~[Thread][Action]`.
struct ThreadSyntax {
    /// Which threads: `.` current, `#` event thread, `*` all, `N` index (decimal),
    /// `~[TID]` by OS thread id, `[Expression]` index.
    enum Selector {
        case current
        case event
        case all
        case index(Substring)
        case systemID(Substring)
        case expression(Substring)
    }

    enum Action: Equatable {
        /// `~`, `~3`: list.
        case list
        /// `~3s`: make current.
        case select
        /// `~3f` / `~3u`: freeze / unfreeze; `~3n` / `~3m`: suspend / resume.
        case freeze, unfreeze, suspend, resume
        /// `~* k`, `~3e r`: run a command for those threads; `~*e` shows no thread lines.
        case run(Substring, eachQuietly: Bool)
    }

    var selector: Selector?
    /// Where the selector starts (for error carets).
    var selectorStart: Substring.Index
    var action: Action
    /// Commands after `;` that follow a list or a one-letter action (`~; k`, `~1s; k`); `~`
    /// takes the rest of the line, so it runs them itself.
    var following: Substring = ""

    static func parse(_ arguments: Substring) throws(CommandError) -> ThreadSyntax {
        var text = arguments.drop { $0 == " " }
        let start = text.startIndex
        var selector: Selector?
        switch text.first {
        case "."?:
            selector = .current
            text = text.dropFirst()
        case "#"?:
            selector = .event
            text = text.dropFirst()
        case "*"?:
            selector = .all
            text = text.dropFirst()
        case "~"?:
            let inner = text.dropFirst()
            guard inner.first == "[", let close = inner.firstIndex(of: "]") else {
                throw CommandError.syntax(at: inner.startIndex)
            }
            selector = .systemID(inner[inner.index(after: inner.startIndex)..<close])
            text = inner[inner.index(after: close)...]
        case "["?:
            guard let close = text.firstIndex(of: "]") else {
                throw CommandError.syntax(at: text.startIndex)
            }
            selector = .expression(text[text.index(after: text.startIndex)..<close])
            text = text[text.index(after: close)...]
        default:
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty {
                selector = .index(digits)
                text = text[digits.endIndex...]
            }
        }
        let rest = text.drop { $0 == " " }
        var action = Action.list
        var following: Substring = ""
        // A one-letter action ends at the end of the line or at `;`.
        let afterLetter = rest.dropFirst().drop { $0 == " " }
        if rest.first == ";" {
            following = rest.dropFirst()
        } else if let letter = rest.first.flatMap(letterAction),
            afterLetter.isEmpty || afterLetter.first == ";"
        {
            action = letter
            following = afterLetter.dropFirst()
        } else if !rest.isEmpty {
            var command = rest
            var quietly = false
            if command.first == "e" || command.first == "E", command.dropFirst().first == " " {
                command = command.dropFirst(2)
                quietly = true
            }
            action = .run(command, eachQuietly: quietly)
        }
        return ThreadSyntax(
            selector: selector, selectorStart: start, action: action, following: following)
    }

    /// What the form changes: switching changes the session, freezing and suspending change
    /// the target, listing nothing; a command run per thread is checked on its own.
    static func letterAction(_ letter: Character) -> Action? {
        switch letter {
        case "s", "S": .select
        case "f", "F": .freeze
        case "u", "U": .unfreeze
        case "n", "N": .suspend
        case "m", "M": .resume
        default: nil
        }
    }

    static func hasCommands(_ text: Substring) -> Bool {
        text.contains { !$0.isWhitespace }
    }

    static func effect(of match: CommandTable.Match) -> CommandEffect.Kind {
        // Unparsable text changes nothing (the handler refuses it).
        guard let syntax = try? parse(match.arguments) else { return .none }
        switch syntax.action {
        case .list, .run: return .none
        case .select: return .changesSession
        case .freeze, .unfreeze, .suspend, .resume: return .changesTarget
        }
    }

    static let effect = CommandEffect(
        forms: [
            CommandEffect.Form("~ | ~Thread (list)", .none),
            CommandEffect.Form("~Thread Command | ~Thread e Command (checked as if typed)", .none),
            CommandEffect.Form("~Thread s", .changesSession),
            CommandEffect.Form("~Thread f | u | n | m", .changesTarget),
        ],
        classify: effect(of:))
}

/// Runs `~` forms.
enum ThreadCommand {
    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let syntax = try ThreadSyntax.parse(invocation.arguments)
        let indexes = try resolve(syntax.selector, invocation: invocation, target: target)
        switch syntax.action {
        case .list:
            for index in indexes {
                invocation.out.line(statusLine(index, target: target, current: state.currentThread))
            }
            if ThreadSyntax.hasCommands(syntax.following) {
                try invocation.runNested(String(syntax.following), echo: false)
            }
        case .select:
            guard case .some(let selector) = syntax.selector, !isAll(selector),
                let index = indexes.first
            else {
                throw CommandError.syntax(at: syntax.selectorStart)
            }
            state.currentThread = index
            StopDisplay.show(in: invocation)
            if ThreadSyntax.hasCommands(syntax.following) {
                try invocation.runNested(String(syntax.following), echo: false)
            }
        case .freeze, .unfreeze, .suspend, .resume:
            let control = try invocation.executionControl()
            guard !control.hasEnded else { throw CommandError.noRunnableDebuggees }
            // `~f` alone is the current thread's, `~*f` every thread's.
            let chosen = syntax.selector == nil ? [state.currentThread] : indexes
            for index in chosen {
                switch syntax.action {
                case .freeze: try control.setFrozen(true, threadIndex: index)
                case .unfreeze: try control.setFrozen(false, threadIndex: index)
                case .suspend: try control.changeSuspendCount(threadIndex: index, suspend: true)
                default: try control.changeSuspendCount(threadIndex: index, suspend: false)
                }
            }
            if ThreadSyntax.hasCommands(syntax.following) {
                try invocation.runNested(String(syntax.following), echo: false)
            }
        case .run(let command, let quietly):
            // `~N cmd` and `~* cmd` run as if on that thread and leave the selection as it was:
            // the thread, and also the frame and `.cxr` context that changing threads resets.
            // `~N bp` makes a breakpoint for that thread only (`threadPrefix`).
            let saved = (
                thread: state.currentThread, frame: state.currentFrame,
                context: state.contextOverride, prefix: state.threadPrefix
            )
            defer {
                state.currentThread = saved.thread
                state.currentFrame = saved.frame
                state.contextOverride = saved.context
                state.threadPrefix = saved.prefix
            }
            for (position, index) in indexes.enumerated() {
                try invocation.checkInterrupt()
                // `q` in the command ends the session, not just this thread's turn.
                if state.quitRequested { break }
                if indexes.count > 1 && !quietly {
                    if position > 0 { invocation.out.line() }
                    invocation.out.line(statusLine(index, target: target, current: saved.thread))
                }
                state.currentThread = index
                state.threadPrefix = indexes.count == 1 ? index : nil
                try invocation.runNested(String(command), echo: false)
            }
        }
    }

    static func isAll(_ selector: ThreadSyntax.Selector) -> Bool {
        if case .all = selector { return true }
        return false
    }

    /// The thread indexes a selector names (every thread when there is none).
    static func resolve(
        _ selector: ThreadSyntax.Selector?, invocation: CommandInvocation, target: any Target
    ) throws -> [Int] {
        let threads = target.threads
        let index: Int
        switch selector {
        case nil, .all?: return threads.indices.filter { !threads[$0].hasExited }
        case .current?: index = invocation.state.currentThread
        case .event?: index = target.lastEvent?.threadIndex ?? invocation.state.currentThread
        case .index(let digits)?:
            // Decimal whatever the radix; too many digits is no thread at all.
            index = Int(digits, radix: 10) ?? -1
        case .systemID(let expression)?:
            let tid = try invocation.evaluate(expression)
            index = threads.firstIndex { UInt64($0.systemID) == tid } ?? -1
        case .expression(let expression)?:
            let value = try invocation.evaluate(expression)
            index = value > UInt64(Int.max) ? -1 : Int(value)
        }
        guard threads.indices.contains(index) else {
            throw CommandError(.inCommand(kind: "Illegal thread error"))
        }
        return [index]
    }

    /// `.  0  Id: 5500.34d8 Suspend: 1 Teb: 000000c8`262c4000 Unfrozen "name"`.
    static func statusLine(_ index: Int, target: any Target, current: Int) -> String {
        let thread = target.threads[index]
        let marker: String
        if index == current {
            marker = "."
        } else if index == target.lastEvent?.threadIndex {
            marker = "#"
        } else {
            marker = " "
        }
        let pid = String(target.processID ?? 0, radix: 16)
        var line =
            marker + String(index).leftPadded(to: 3)
            + "  Id: \(pid).\(String(thread.systemID, radix: 16))"
            + " Suspend: \(thread.suspendCount) Teb: "
            + Hex.pointer(thread.teb, size: target.machine.pointerSize)
            + (thread.isFrozen ? " Frozen" : " Unfrozen")
        if let name = thread.name, !name.isEmpty { line += " \"\(name)\"" }
        return line
    }
}
