extension Builtins {
    /// `~`: list threads, switch thread (`~Ns`), or run a command per thread (`~* k`, `~2 r`).
    static let threads = Command(
        name: "~",
        summary: "list threads, switch the current thread, or run a command for threads",
        usage: "~[Thread][s | Command]",
        details: [
            "Thread: . current, # event thread, * all, N index (decimal), ~[TID] by OS thread",
            "id. ~Ns makes N current; ~N cmd / ~* cmd runs cmd for those threads; ~*e cmd too.",
        ],
        requirements: [.target, .userTarget],
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
        let name = target.modules.first?.path ?? target.displayName
        invocation.out.line(".  0\tid: \(pid)\t\(kind)\tname: \(name)")
    }
}

/// Parses and runs `~` forms.
enum ThreadCommand {
    enum Selection {
        case all
        case one(Int)
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        var text = invocation.arguments.drop { $0 == " " }
        let selection: Selection?
        (selection, text) = try parseSelection(text, invocation: invocation, target: target)
        let rest = text.drop { $0 == " " }
        let threads = target.threads
        let indexes: [Int]
        switch selection {
        case .all?: indexes = Array(threads.indices)
        case .one(let index)?:
            guard threads.indices.contains(index) else {
                throw CommandError(.inCommand(kind: "Illegal thread error"))
            }
            indexes = [index]
        case nil: indexes = Array(threads.indices)
        }
        if rest.isEmpty {
            for index in indexes {
                invocation.out.line(statusLine(index, target: target, current: state.currentThread))
            }
            return
        }
        if rest.lowercased() == "s" {
            guard case .one(let index)? = selection else {
                throw CommandError.syntax(at: rest.startIndex)
            }
            try invocation.requireChangeAllowed()
            state.currentThread = index
            StopDisplay.show(in: invocation)
            return
        }
        var command = String(rest)
        if command.first == "e" || command.first == "E", command.dropFirst().first == " " {
            command = String(command.dropFirst(2))
        }
        let saved = state.currentThread
        defer { state.currentThread = saved }
        for (position, index) in indexes.enumerated() {
            try invocation.checkInterrupt()
            if indexes.count > 1 {
                if position > 0 { invocation.out.line() }
                invocation.out.line(statusLine(index, target: target, current: saved))
            }
            state.currentThread = index
            invocation.runNested(command, source: invocation.source, echo: false)
        }
    }

    /// Reads the thread part after `~`: `.`, `#`, `*`, a decimal index, `~[tid]`, `[expr]`.
    static func parseSelection(
        _ text: Substring, invocation: CommandInvocation, target: any Target
    ) throws -> (Selection?, Substring) {
        guard let first = text.first else { return (nil, text) }
        switch first {
        case ".": return (.one(invocation.state.currentThread), text.dropFirst())
        case "#":
            let index = target.lastEvent?.threadIndex ?? invocation.state.currentThread
            return (.one(index), text.dropFirst())
        case "*": return (.all, text.dropFirst())
        case "~":
            let inner = text.dropFirst()
            guard inner.first == "[", let close = inner.firstIndex(of: "]") else {
                throw CommandError.syntax(at: inner.startIndex)
            }
            let tid = try invocation.evaluate(inner[inner.index(after: inner.startIndex)..<close])
            guard let index = target.threads.firstIndex(where: { UInt64($0.systemID) == tid })
            else {
                throw CommandError(.inCommand(kind: "Illegal thread error"))
            }
            return (.one(index), inner[inner.index(after: close)...])
        case "[":
            guard let close = text.firstIndex(of: "]") else {
                throw CommandError.syntax(at: text.startIndex)
            }
            let value = try invocation.evaluate(text[text.index(after: text.startIndex)..<close])
            return (.one(Int(clamping: value)), text[text.index(after: close)...])
        default:
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let index = Int(digits) else { return (nil, text) }
            return (.one(index), text[digits.endIndex...])
        }
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
