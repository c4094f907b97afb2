extension Builtins {
    /// `r`: display or change registers and pseudo-registers.
    static let registers = Command(
        name: "r",
        summary: "display or set registers and pseudo-registers",
        usage: "r [Register [= Value]] [, Register ...] | r.",
        details: [
            "r alone shows every integer register, the flags and the current instruction.",
            "r rax shows one; r rax=5 sets it (live targets); r $t0 = 5 sets a user",
            "pseudo-register ($t0..$t19) on any target; r zf shows a flag by its code.",
            "r $.u0=Text sets the fixed-name alias $u0 (the rest of the line, ';' included).",
            "r. shows only the registers the current instruction uses.",
        ],
        effect: RegisterCommand.effect,
        argument: .expression,
        suffixLetters: "MFXYI",
        extent: { FixedAlias.extent(of: $0) }
    ) { invocation in
        try RegisterCommand.run(invocation)
    }
}

enum RegisterCommand {
    /// `r` and `r rax` display; an assignment changes a pseudo-register (the session) or a
    /// register (the target). Any `=` counts as an assignment.
    static let effect = CommandEffect(
        forms: [
            CommandEffect.Form("r | r Register [, Register ...]", .none),
            CommandEffect.Form("r $tN = Value | r $.uN = Text", .changesSession),
            CommandEffect.Form("r Register = Value", .changesTarget),
        ]
    ) { match in
        guard match.arguments.contains("=") else { return .none }
        if FixedAlias.index(in: match.arguments) != nil { return .changesSession }
        let assigned = match.arguments.split(separator: ",").compactMap { part -> String? in
            guard let equals = part.firstIndex(of: "=") else { return nil }
            return part[..<equals].trimmingWhitespace().lowercased()
        }
        let onlyPseudoRegisters =
            !assigned.isEmpty && assigned.allSatisfy { PseudoRegisters.userIndex($0) != nil }
        return onlyPseudoRegisters ? .changesSession : .changesTarget
    }

    static func run(_ invocation: CommandInvocation) throws {
        let state = invocation.state
        let arguments = invocation.arguments.drop { $0 == " " || $0 == "\t" }
        if let mask = try mask(invocation.suffix, arguments: arguments, invocation: invocation) {
            try showMasked(mask, invocation: invocation)
            return
        }
        if arguments.isEmpty {
            _ = try invocation.requireTarget()
            StopDisplay.show(in: invocation)
            return
        }
        if arguments.trimmingWhitespace() == "." {
            invocation.out.line(try usedByCurrentInstruction(invocation))
            return
        }
        if let (index, value) = FixedAlias.assignment(in: arguments) {
            try state.aliases.setFixed(index, to: value)
            return
        }
        var rest = arguments
        while !rest.isEmpty {
            let nameEnd = rest.firstIndex { $0 == "=" || $0 == "," || $0 == " " } ?? rest.endIndex
            let name = rest[..<nameEnd]
            guard !name.isEmpty, !name.hasPrefix("@") else {
                throw CommandError.syntax(at: rest.startIndex)
            }
            var after = rest[nameEnd...].drop { $0 == " " }
            if after.first == "=" {
                let valueText = after.dropFirst()
                let (value, remainder) = try invocation.evaluatePrefix(valueText)
                try assign(String(name), value: value, invocation: invocation, at: name.startIndex)
                after = remainder.drop { $0 == " " }
            } else {
                invocation.out.line(try show(String(name), state: state, at: name.startIndex))
            }
            guard after.isEmpty || after.first == "," else {
                throw CommandError.syntax(at: after.startIndex)
            }
            rest = after.dropFirst().drop { $0 == " " }
        }
    }

    /// The register mask a suffix asks for: `rF` (0x4), `rX` (0x40), `rY` (0x200), `rYI`
    /// (0x400), `rM Mask`; nil for plain `r` and for a suffix followed by register names
    /// (shown as `r Name` shows them).
    static func mask(_ suffix: Substring, arguments: Substring, invocation: CommandInvocation)
        throws -> UInt64?
    {
        switch suffix {
        case "": return nil
        case "F", "X", "Y", "YI":
            let masks: [Substring: UInt64] = ["F": 0x4, "X": 0x40, "Y": 0x200, "YI": 0x400]
            return arguments.isEmpty ? masks[suffix] : nil
        case "M":
            guard !arguments.isEmpty else { throw CommandError.syntax(at: arguments.startIndex) }
            return try invocation.evaluate(arguments)
        default:
            throw CommandError.syntax(at: suffix.startIndex)
        }
    }

    /// `rM Mask`: the groups the mask names, in CDB's order (integer and segment registers
    /// 0x2/0x8, x87 0x4, MMX 0x10, SSE 0x40, AVX 0x200 and 0x400 (as integers), debug 0x20),
    /// then the current instruction.
    static func showMasked(_ mask: UInt64, invocation: CommandInvocation) throws {
        _ = try invocation.requireTarget()
        let state = invocation.state
        guard let registers = state.currentRegisters else {
            invocation.out.line("Registers are not available for this thread.")
            return
        }
        let out = invocation.out
        if mask & 0xB != 0 { out.lines(RegisterDisplay.lines(registers)) }
        if mask & 0x54 != 0 {
            if let fp = registers.floatingPoint {
                if mask & 0x4 != 0 { out.lines(FloatingPointDisplay.x87Lines(fp)) }
                if mask & 0x10 != 0 { out.lines(FloatingPointDisplay.mmxLines(fp)) }
                if mask & 0x40 != 0 { out.lines(FloatingPointDisplay.sseLines(fp)) }
            } else {
                out.line("This context has no floating-point or SSE state.")
            }
        }
        if mask & 0x600 != 0 {
            if let fp = registers.floatingPoint, !fp.ymmHigh.isEmpty {
                if mask & 0x200 != 0 { out.lines(FloatingPointDisplay.avxLines(fp)) }
                if mask & 0x400 != 0 { out.lines(FloatingPointDisplay.avxIntegerLines(fp)) }
            } else {
                out.line("This context has no AVX (YMM) state.")
            }
        }
        if mask & 0x20 != 0 { out.lines(debugLines(registers)) }
        out.lines(CurrentInstruction.lines(state: state, registers: registers))
    }

    /// `dr0=00000000 dr1=00000000 dr2=00000000` / `dr3=… dr6=… dr7=…`.
    static func debugLines(_ registers: RegisterSet) -> [String] {
        let names = ["dr0", "dr1", "dr2", "dr3", "dr6", "dr7"]
        let shown = names.compactMap { RegisterDisplay.single($0, in: registers) }
        return stride(from: 0, to: shown.count, by: 3).map {
            shown[$0..<min($0 + 3, shown.count)].joined(separator: " ")
        }
    }

    /// `r.`: the registers the current instruction uses, as `r Name` shows each, on one line
    /// two spaces apart (`ebp=0006ffc0  esp=0006ff7c`, the documented example). Operand
    /// registers come first in operand order, then implicit ones (the stack pointer of `push`);
    /// the flags register shows as `efl`. Registers xcdb has no value for (x87, SSE) are left
    /// out. The order beyond the documented example is inferred.
    static func usedByCurrentInstruction(_ invocation: CommandInvocation) throws -> String {
        let state = invocation.state
        _ = try invocation.requireTarget()
        guard let registers = state.currentRegisters, let ip = registers.instructionPointer,
            let code = CodeView(state: state)
        else {
            throw CommandError.message("No current instruction: the thread has no registers.")
        }
        let bytes = code.read(ip, code.disassembler.architecture.maximumInstructionLength)
        let names = code.disassembler.registersAccessed(bytes, at: ip)
        return names.compactMap { name in
            let shown = ["eflags", "rflags", "flags", "nzcv", "cpsr"].contains(name) ? "efl" : name
            return RegisterDisplay.single(shown, in: registers)
        }.joined(separator: "  ")
    }

    /// `rax=0000000000000000`, `$t0=...`, `zf=1`.
    static func show(_ name: String, state: DebuggerState, at position: String.Index) throws
        -> String
    {
        let lowered = name.lowercased()
        if lowered.hasPrefix("$") {
            switch PseudoRegisters.value(lowered, state: state) {
            case .success(let value):
                return RegisterDisplay.single(lowered, value: value, bits: state.pointerSize * 8)
            case .failure:
                throw CommandError(.inCommand(kind: "Bad register error"), at: position)
            }
        }
        guard let registers = state.currentRegisters else {
            throw CommandError(.inCommand(kind: "Bad register error"), at: position)
        }
        if let text = RegisterDisplay.single(lowered, in: registers) { return text }
        if let floatingPoint = registers.floatingPoint,
            let text = FloatingPointDisplay.single(lowered, in: floatingPoint)
        {
            return text
        }
        throw CommandError(.inCommand(kind: "Bad register error"), at: position)
    }

    static func assign(
        _ name: String, value: UInt64, invocation: CommandInvocation, at position: String.Index
    ) throws {
        let state = invocation.state
        let lowered = name.lowercased()
        if let index = PseudoRegisters.userIndex(lowered) {
            state.userPseudoRegisters[index] = value
            return
        }
        if lowered.hasPrefix("$") {
            throw CommandError(.inCommand(kind: "Bad register error"), at: position)
        }
        guard state.target != nil else {
            throw CommandError(.inCommand(kind: "Bad register error"), at: position)
        }
        let writable = try invocation.registerWriter()
        guard var registers = state.currentRegisters, registers.set(lowered, to: value) else {
            throw CommandError(.inCommand(kind: "Bad register error"), at: position)
        }
        try writable.setRegisters(registers, ofThread: state.currentThread)
        state.contextOverride = nil
    }
}

/// `r $.uN=Text`: sets the fixed-name alias `$uN` (using-aliases.md). The text is the rest of
/// the line, `;` included, without leading and trailing blanks.
enum FixedAlias {
    /// N when `arguments` start with `$.uN`.
    static func index(in arguments: Substring) -> Int? {
        let text = arguments.drop { $0 == " " || $0 == "\t" }
        guard text.lowercased().hasPrefix("$.u"), text.count >= 4 else { return nil }
        let digit = text[text.index(text.startIndex, offsetBy: 3)]
        return digit.isASCII ? digit.wholeNumberValue : nil
    }

    static func assignment(in arguments: Substring) -> (Int, String)? {
        guard let index = index(in: arguments), let equals = arguments.firstIndex(of: "=") else {
            return nil
        }
        return (index, arguments[arguments.index(after: equals)...].trimmingWhitespace())
    }

    /// Where an `r` command starting `text` ends: the line's end for `r $.uN=`, else at `;`.
    static func extent(of text: Substring) -> Substring.Index {
        let arguments = text.drop { $0.isLetter }
        if index(in: arguments) != nil { return text.endIndex }
        return CommandLineSplitter.endOfCommand(text, from: text.startIndex)
    }
}
