extension Builtins {
    /// `bp`, `bu`, `bm`, `ba`, `bl`, `bc`, `bd`, `be`.
    static var breakpoints: [Command] {
        [
            Command.live(
                name: "bp", summary: "set a breakpoint",
                usage: "bp[ID] [/1] [Address [Passes]] [\"Commands\"]"
            ) { invocation, control in
                try BreakpointCommand.set(invocation, control: control, deferred: false)
            },
            Command.live(
                name: "bu", summary: "set an unresolved breakpoint (resolved on module loads)",
                usage: "bu[ID] [/1] [Address [Passes]] [\"Commands\"]"
            ) { invocation, control in
                try BreakpointCommand.set(invocation, control: control, deferred: true)
            },
            Command.live(
                name: "bm", summary: "set breakpoints on matching symbols",
                usage: "bm [/1] Module!Pattern [Passes] [\"Commands\"]"
            ) { invocation, control in
                try BreakpointCommand.setMatching(invocation, control: control)
            },
            Command.live(
                name: "ba", summary: "break on access",
                usage: "ba[ID] r|w|e 1|2|4|8 Address [Passes] [\"Commands\"]"
            ) { invocation, control in
                try BreakpointCommand.setAccess(invocation, control: control)
            },
            Command.live(name: "bc", summary: "clear breakpoints", usage: "bc IDs|*") {
                invocation, control in
                for id in try BreakpointCommand.ids(invocation) {
                    control.removeBreakpoint(id: id)
                    invocation.state.live.breakpoints[id] = nil
                }
            },
            Command.live(name: "bd", summary: "disable breakpoints", usage: "bd IDs|*") {
                invocation, control in
                for id in try BreakpointCommand.ids(invocation) {
                    control.removeBreakpoint(id: id)
                    invocation.state.live.breakpoints[id]?.enabled = false
                }
            },
            Command.live(name: "be", summary: "enable breakpoints", usage: "be IDs|*") {
                invocation, control in
                for id in try BreakpointCommand.ids(invocation) {
                    guard var breakpoint = invocation.state.live.breakpoints[id] else { continue }
                    breakpoint.enabled = true
                    invocation.state.live.breakpoints[id] = breakpoint
                    try BreakpointArming.arm(breakpoint, on: control)
                }
            },
            breakpointList,
        ]
    }

    /// `bl`: on targets that cannot run there are no breakpoints to list.
    static let breakpointList = Command(
        name: "bl",
        summary: "list breakpoints",
        usage: "bl [IDs]",
        argument: .text
    ) { invocation in
        let state = invocation.state
        let wanted =
            invocation.trimmedArguments.isEmpty ? nil : Set(try BreakpointCommand.ids(invocation))
        for (id, breakpoint) in state.live.breakpoints.sorted(by: { $0.key < $1.key })
        where wanted?.contains(id) ?? true {
            invocation.out.line(BreakpointCommand.listLine(breakpoint, state: state))
        }
    }
}

/// Parsing and listing for the breakpoint commands.
enum BreakpointCommand {
    /// `bp[ID] [/1] [Address [Passes]] ["Commands"]` (also `bu`).
    static func set(_ invocation: CommandInvocation, control: any ExecutionControl, deferred: Bool)
        throws
    {
        let state = invocation.state
        var rest = invocation.arguments
        let requestedID = takeID(&rest)
        var oneShot = false
        rest = rest.drop { $0 == " " || $0 == "\t" }
        while rest.hasPrefix("/") {
            let option = rest.prefix { !$0.isWhitespace }
            if option == "/1" {
                oneShot = true
            } else {
                throw CommandError.syntax(at: option.startIndex)
            }
            rest = rest[option.endIndex...].drop { $0 == " " || $0 == "\t" }
        }
        let (expressionText, afterExpression, command) = split(rest)
        let expression: String
        let address: UInt64?
        if expressionText.isEmpty {
            guard let ip = state.currentRegisters?.instructionPointer else {
                throw CommandError.message("No current instruction to break on.")
            }
            address = ip
            expression = "0x" + String(ip, radix: 16)
        } else {
            expression = String(expressionText)
            if deferred {
                address = try? invocation.evaluate(expressionText)
            } else {
                do {
                    address = try invocation.evaluate(expressionText)
                } catch {
                    // CDB makes an unresolvable `bp` deferred.
                    invocation.out.line(
                        "Bp expression '\(expression)' could not be resolved, adding deferred bp")
                    address = nil
                }
            }
        }
        let passes = afterExpression.isEmpty ? 1 : try invocation.evaluate(afterExpression)
        let id = requestedID ?? state.live.nextFreeID
        if let old = state.live.breakpoints[id] {
            _ = old
            control.removeBreakpoint(id: id)
        }
        var breakpoint = Breakpoint(
            id: id, kind: .code, expression: expression, address: address,
            deferred: deferred || address == nil)
        breakpoint.remainingPasses = max(1, passes)
        breakpoint.initialPasses = max(1, passes)
        breakpoint.command = command
        breakpoint.oneShot = oneShot
        breakpoint.threadIndex = invocation.state.threadPrefix
        try BreakpointArming.arm(breakpoint, on: control)
        state.live.breakpoints[id] = breakpoint
    }

    /// `bm [/1] Module!Pattern [Passes] ["Commands"]`: a `bu` per matching symbol.
    static func setMatching(_ invocation: CommandInvocation, control: any ExecutionControl) throws {
        let state = invocation.state
        var rest = invocation.arguments.drop { $0 == " " || $0 == "\t" }
        var oneShot = false
        if rest.hasPrefix("/1") {
            oneShot = true
            rest = rest.dropFirst(2).drop { $0 == " " || $0 == "\t" }
        }
        let (patternText, passesText, command) = split(rest)
        guard !patternText.isEmpty else { throw CommandError.syntax(at: rest.startIndex) }
        let passes = passesText.isEmpty ? 1 : try invocation.evaluate(passesText)
        let matches = SymbolSearch.matching(String(patternText), state: state)
        if matches.isEmpty {
            invocation.out.line("No matching symbols found, no breakpoints set.")
            return
        }
        for match in matches {
            let id = state.live.nextFreeID
            var breakpoint = Breakpoint(
                id: id, kind: .code, expression: match.name, address: match.address,
                deferred: true)
            breakpoint.remainingPasses = max(1, passes)
            breakpoint.initialPasses = max(1, passes)
            breakpoint.command = command
            breakpoint.oneShot = oneShot
            try BreakpointArming.arm(breakpoint, on: control)
            state.live.breakpoints[id] = breakpoint
            invocation.out.line(
                "\(String(id).leftPadded(to: 3)): \(Hex.pointer(match.address, size: state.pointerSize)) @!\"\(match.name)\""
            )
        }
    }

    /// `ba[ID] Access Size Address [Passes] ["Commands"]`.
    static func setAccess(_ invocation: CommandInvocation, control: any ExecutionControl) throws {
        let state = invocation.state
        var rest = invocation.arguments
        let requestedID = takeID(&rest)
        var words = ArgumentWords(rest)
        guard let accessWord = words.next() else { throw CommandError.syntax(at: rest.endIndex) }
        // `ba w4 addr` and `ba w 4 addr` both work.
        var sizeText = accessWord.dropFirst()
        if sizeText.isEmpty {
            guard let word = words.next() else {
                throw CommandError.syntax(at: accessWord.endIndex)
            }
            sizeText = word
        }
        let access: BreakAccess
        switch accessWord.first?.lowercased() {
        case "r": access = .read
        case "w": access = .write
        case "e": access = .execute
        default: throw CommandError.syntax(at: accessWord.startIndex)
        }
        guard let size = UInt64(sizeText), [1, 2, 4, 8].contains(size) else {
            throw CommandError.syntax(at: sizeText.startIndex)
        }
        guard let addressWord = words.remainder() else {
            throw CommandError.syntax(at: sizeText.endIndex)
        }
        let (addressText, passesText, command) = split(addressWord)
        let address = try invocation.evaluate(addressText)
        guard address % size == 0 else {
            throw CommandError.message("Data breakpoint must be aligned")
        }
        if access == .execute, size != 1 {
            throw CommandError.message("Execution breakpoints must have a size of 1")
        }
        let passes = passesText.isEmpty ? 1 : try invocation.evaluate(passesText)
        let id = requestedID ?? state.live.nextFreeID
        if state.live.breakpoints[id] != nil { control.removeBreakpoint(id: id) }
        var breakpoint = Breakpoint(
            id: id, kind: .data(access, size: size), expression: String(addressText),
            address: address, deferred: false)
        breakpoint.remainingPasses = max(1, passes)
        breakpoint.initialPasses = max(1, passes)
        breakpoint.command = command
        breakpoint.threadIndex = invocation.state.threadPrefix
        do {
            try BreakpointArming.arm(breakpoint, on: control)
        } catch {
            throw CommandError.message("Unable to set the data breakpoint: \(error)")
        }
        state.live.breakpoints[id] = breakpoint
    }

    /// A breakpoint id right after the command name (`bp3`, `ba12`).
    static func takeID(_ rest: inout Substring) -> Int? {
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let id = Int(digits), id < InternalBreakpointID.first else {
            return nil
        }
        rest = rest[digits.endIndex...]
        return id
    }

    /// `Address [Passes] ["Commands"]` → the three parts (address and passes trimmed).
    static func split(_ text: Substring) -> (Substring, Substring, String?) {
        var command: String?
        var body = text
        if let quote = text.firstIndex(of: "\"") {
            let inner = text[text.index(after: quote)...]
            let end = inner.lastIndex(of: "\"") ?? inner.endIndex
            command = String(inner[..<end])
            body = text[..<quote]
        }
        let trimmed = body.drop { $0 == " " || $0 == "\t" }
        // The address is the first word unless it is a parenthesised or spaced expression;
        // `bp prog!main 3` and `bp @rip+4` both work.
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count > 1, let last = words.last else {
            return (Substring(trimmed.trimmingWhitespace()), Substring(""), command)
        }
        let address = trimmed[..<last.startIndex].trimmingWhitespace()
        return (Substring(address), last, command)
    }

    /// `bc`/`bd`/`be`/`bl` id lists: `*`, `1 2 3`, `1,3`, `2-5`.
    static func ids(_ invocation: CommandInvocation) throws -> [Int] {
        let state = invocation.state
        let text = invocation.trimmedArguments
        guard !text.isEmpty else { throw CommandError.syntax(at: invocation.arguments.endIndex) }
        if text == "*" { return state.live.breakpoints.keys.sorted() }
        var ids: [Int] = []
        for word in ArgumentWords(invocation.arguments) {
            if let dash = word.firstIndex(of: "-"), dash != word.startIndex {
                guard let low = Int(word[..<dash]),
                    let high = Int(word[word.index(after: dash)...]),
                    low <= high, high - low < 100_000
                else { throw CommandError.syntax(at: word.startIndex) }
                ids.append(contentsOf: low...high)
            } else {
                let value = try invocation.evaluate(word)
                guard value < UInt64(InternalBreakpointID.first) else {
                    throw CommandError.syntax(at: word.startIndex)
                }
                ids.append(Int(value))
            }
        }
        return ids
    }

    /// ` 0 e 00007ff6`6e76b0a0     0001 (0001)  0:**** prog!main`.
    static func listLine(_ breakpoint: Breakpoint, state: DebuggerState) -> String {
        var flags = breakpoint.enabled ? "e" : "d"
        if breakpoint.address == nil { flags += "u" }
        var line = String(breakpoint.id).leftPadded(to: 2) + " " + flags.rightPadded(to: 2)
        if let address = breakpoint.address {
            line += Hex.pointer(address, size: state.pointerSize)
        } else {
            line += "(" + breakpoint.expression + ")"
        }
        if case .data(let access, let size) = breakpoint.kind {
            let letter = access == .read ? "r" : access == .write ? "w" : "e"
            line += " \(letter) \(size)"
        }
        line += "     " + Hex.digits(breakpoint.remainingPasses, width: 4)
        line += " (" + Hex.digits(breakpoint.initialPasses, width: 4) + ")"
        let thread = breakpoint.threadIndex.map { String($0).leftPadded(to: 3, with: "0") } ?? "***"
        line += "  0:\(breakpoint.threadIndex == nil ? "****" : "~" + thread)"
        if let address = breakpoint.address,
            let symbol = state.symbols.nearestSymbol(to: address, in: state)
        {
            line += " " + SymbolText.format(symbol.name, offset: symbol.offset)
        }
        if let command = breakpoint.command { line += " \"\(command)\"" }
        return line
    }
}
