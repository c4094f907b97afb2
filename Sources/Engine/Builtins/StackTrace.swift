import Symbols
import Unwind

extension Builtins {
    /// `k`, `kb`, `kc`, `kn`, `kp`, `kP`, `kv` and their combinations.
    static let stackTrace = Command(
        name: "k",
        summary: "display the stack backtrace",
        usage: "k[b|c|p|P|v][n][f][L] [FrameCount]",
        details: [
            "b first three (x86) or four (x64) stack arguments, c module!function only,",
            "v like b (x86 adds FPO data), n frame numbers (always shown), f frame sizes.",
            "FrameCount is in the current radix. Frames found by stack scanning are guesses",
            "and are marked [scan].",
        ],
        requirements: .target,
        repeatBehavior: .sameLine,
        argument: .expression,
        suffixLetters: "bcdfLMnpPv"
    ) { invocation in
        try StackTraceCommand.run(invocation)
    }

    /// `.frame [/r] [N]`.
    static let frame = Command(
        name: ".frame",
        summary: "show or set the current stack frame (/r with registers)",
        usage: ".frame [/c] [/r] [FrameNumber]",
        requirements: .target,
        effect: FrameCommand.effect,
        argument: .expression
    ) { invocation in
        try FrameCommand.run(invocation)
    }
}

/// Options of one `k` invocation.
struct StackTraceOptions {
    var arguments = false
    var clean = false
    var frameSizes = false
    var verbose = false
    /// `kp`: parameters with types and values; `kP`: one per line.
    var parameters = false
    var parametersOnLines = false
    /// `kL`: no source lines even with `.lines` on (case-sensitive, as on the k page).
    var hideSourceLines = false

    init(suffix: Substring) {
        for letter in suffix {
            switch letter {
            case "p": parameters = true
            case "P":
                parameters = true
                parametersOnLines = true
            case "b": arguments = true
            case "v":
                arguments = true
                verbose = true
            case "c": clean = true
            case "f": frameSizes = true
            case "L": hideSourceLines = true
            default: break
            }
        }
    }
}

enum StackTraceCommand {
    /// `kd [WordCount]`: the raw stack, one dword per line with symbols, from the stack
    /// pointer (`dds @$csp`); -kframes--set-stack-length-.md shows it.
    static func rawStack(_ invocation: CommandInvocation) throws {
        var count = UInt64(invocation.state.defaultFrameCount)
        if !invocation.trimmedArguments.isEmpty {
            count = try invocation.evaluate(invocation.arguments)
        }
        guard count > 0 else { return }
        guard try invocation.runNested("dds @$csp L0x\(String(count, radix: 16))", echo: false)
        else { throw ErrorAlreadyShown() }
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        let options = StackTraceOptions(suffix: invocation.suffix)
        if invocation.typedName.lowercased() == "kd" {
            try rawStack(invocation)
            return
        }
        var count = state.defaultFrameCount
        let argument = invocation.trimmedArguments
        if argument.hasPrefix("=") {
            throw CommandError.message("k = StackPtr ... is not supported; use .cxr or ~Ns.")
        }
        if !argument.isEmpty {
            let value = try invocation.evaluate(invocation.arguments)
            count = Int(min(value, UInt64(StackService.maximumFrameCount)))
        }
        guard let registers = state.currentRegisters else {
            throw CommandError.message("Registers are not available for this thread.")
        }
        if state.contextOverride != nil {
            invocation.out.line("  *** Stack trace for last set context - .thread/.cxr resets it")
        }
        // One frame more than shown, so the last shown frame knows its return address.
        guard
            let walk = StackService.walk(
                state: state, registers: registers,
                maximumFrames: count + 1)
        else { return }
        invocation.out.lines(
            StackTraceFormatter(state: state, target: target, options: options).lines(
                Array(walk.frames.prefix(count))))
    }
}

/// Renders frames as CDB's `k` does.
struct StackTraceFormatter {
    let state: DebuggerState
    let target: any Target
    let options: StackTraceOptions

    var pointerSize: Int { target.machine.pointerSize }
    var isX86Style: Bool { pointerSize == 4 }
    var argumentCount: Int { isX86Style ? 3 : 4 }

    func header() -> String {
        if options.clean { return " # Call Site" }
        var text = " # "
        if options.frameSizes { text += "  Memory  " }
        if isX86Style {
            text += "ChildEBP RetAddr  "
            if options.arguments { text += "Args to Child              " }
        } else {
            text += "Child-SP          RetAddr               "
            if options.arguments {
                text +=
                    ": Args to Child"
                    + String(repeating: " ", count: 59) + ": "
            }
        }
        return text + "Call Site"
    }

    func lines(_ frames: [StackFrame]) -> [String] {
        var lines = [header()]
        for (position, frame) in frames.enumerated() {
            lines.append(line(frame, previous: position > 0 ? frames[position - 1] : nil))
        }
        return lines
    }

    func line(_ frame: StackFrame, previous: StackFrame?) -> String {
        let number = Hex.digits(UInt64(frame.index), width: 2)
        let site = callSite(frame)
        if options.clean { return "\(number) \(site)" }
        var text = number + " "
        if options.frameSizes {
            let size = previous.map { frame.stackPointer &- $0.stackPointer }
            text += (size.map { String($0, radix: 16) } ?? "").leftPadded(to: 8) + " "
        }
        let returnAddress = frame.returnAddress ?? 0
        if isX86Style {
            text +=
                Hex.digits(frame.framePointer ?? 0, width: 8) + " "
                + Hex.digits(returnAddress, width: 8) + " "
            if options.arguments { text += arguments(frame).joined(separator: " ") + " " }
        } else {
            text += Hex.split64(frame.stackPointer) + " " + Hex.split64(returnAddress) + "     "
            if options.arguments { text += ": " + arguments(frame).joined(separator: " ") + " : " }
        }
        return text + site
    }

    /// The first stack arguments (`????????` where unreadable).
    func arguments(_ frame: StackFrame) -> [String] {
        (0..<argumentCount).map { index in
            let slot = frame.argumentsAddress.map { $0 &+ UInt64(index * pointerSize) }
            guard let slot, let value = target.readPointer(at: slot) else {
                return isX86Style ? "????????" : "????????`????????"
            }
            return Hex.pointer(value, size: pointerSize)
        }
    }

    /// `module!function+0x1a`, `module+0x1234` or `0x12345678`, plus source and trust marks.
    func callSite(_ frame: StackFrame) -> String {
        let address = frame.instructionPointer
        var text: String
        let map = state.moduleMap
        if let index = map.index(containing: frame.lookupAddress) {
            let module = map.modules[index]
            let name = map.names[index]
            if let source = state.symbols.source(for: module, in: state),
                let match = source.nearestSymbol(atOrBelow: frame.lookupAddress - module.base)
            {
                var symbolName = "\(name)!\(match.symbol.name)"
                if options.parameters, let list = parameterText(frame) { symbolName += list }
                text = SymbolText.format(
                    symbolName, offset: address &- module.base &- match.symbol.rva)
                if options.verbose && !options.clean, target.machine == .x86,
                    let fpo = Self.fpoText(source, rva: frame.lookupAddress - module.base)
                {
                    text += " (FPO: \(fpo))"
                }
                if state.sourceLines && !options.clean && !options.hideSourceLines,
                    let line = source.sourceLine(at: frame.lookupAddress - module.base)
                {
                    text += " [\(line.file) @ \(line.line)]"
                }
            } else {
                text = "\(name)+\(Hex.prefixed(address &- module.base))"
            }
        } else {
            text = Hex.prefixed(address)
        }
        if frame.trust == .scan && !options.clean { text += " [scan]" }
        if options.verbose && !options.clean { text += " (\(trustText(frame.trust)))" }
        return text
    }

    /// `(int a = 0n5, char * b = 0x... "text")` for `kp`, or the same one per line for `kP`;
    /// nil when the frame's module has no private symbols.
    func parameterText(_ frame: StackFrame) -> String? {
        let registers =
            frame.index == 0 && state.contextOverride == nil
            ? (state.currentRegisters
                ?? RegisterConversion.registerSet(from: frame.registers, machine: target.machine))
            : RegisterConversion.registerSet(from: frame.registers, machine: target.machine)
        guard
            let scope = FrameScope(state: state, target: target, frame: frame, registers: registers)
        else { return nil }
        let parameters = scope.variables.filter(\.isParameter).map { variable in
            scope.pdb.types.name(of: variable.type) + " " + variable.name + " = "
                + scope.text.short(scope.value(of: variable))
        }
        if options.parametersOnLines {
            guard !parameters.isEmpty else { return "(void)" }
            return "(\n" + parameters.map { "\t\t\t" + $0 }.joined(separator: ", \n") + ")"
        }
        return "(" + parameters.joined(separator: ", ") + ")"
    }

    /// `kv`'s FPO column on x86, from the symbol file's `STACK WIN` record for the frame's
    /// code: `[Params,Locals,Registers]` in dwords (FPO_DATA's `cdwParams`, `cdwLocals`,
    /// `cbRegs`) for code that does not keep a frame pointer, `[Non-Fpo]` for code whose
    /// frame-data program finds its frame through `ebp` (the forms of the k command page).
    /// Nil without a record, where CDB prints nothing.
    static func fpoText(_ source: any Symbols.SymbolSource, rva: UInt64) -> String? {
        guard let rules = source as? any Symbols.CallFrameInfoProvider,
            let info = rules.windowsFrameInfo(at: rva)
        else { return nil }
        switch info.type {
        case .fpo:
            break
        case .frameData:
            if let program = info.programString, program.hasPrefix("$T0 $ebp ") {
                return "[Non-Fpo]"
            }
        default:
            return nil
        }
        return "[\(info.parameterSize / 4),\(info.localSize / 4),\(info.savedRegisterSize / 4)]"
    }

    func trustText(_ trust: FrameTrust) -> String {
        switch trust {
        case .context: "context"
        case .unwindInfo: "unwind info"
        case .callFrameInfo: "symbol file CFI"
        case .framePointer: "frame pointer"
        case .scan: "stack scan"
        }
    }
}

enum FrameCommand {
    /// `.frame` and `.frame /r` show the current frame; a frame number selects one.
    static let effect = CommandEffect(
        forms: [
            CommandEffect.Form(".frame [/r]", .none),
            CommandEffect.Form(".frame [/r] FrameNumber", .changesSession),
        ]
    ) { match in
        var words = ArgumentWords(match.arguments)
        while let word = words.next() {
            if !["/r", "/c"].contains(word.lowercased()) { return .changesSession }
        }
        return .none
    }

    static func run(_ invocation: CommandInvocation) throws {
        let target = try invocation.requireTarget()
        let state = invocation.state
        var showRegisters = false
        var numberText: Substring?
        var words = ArgumentWords(invocation.arguments)
        while let word = words.next() {
            switch word.lowercased() {
            case "/r": showRegisters = true
            case "/c": break
            default: numberText = invocation.arguments[word.startIndex...]
            }
            if numberText != nil { break }
        }
        var frameNumber = state.currentFrame
        if let numberText {
            let value = try invocation.evaluate(numberText)
            // Negative numbers arrive as huge ones; nothing past the walker's limit exists.
            guard value < UInt64(StackService.maximumFrameCount) else {
                throw CommandError(.inCommand(kind: "Bad frame number error"))
            }
            frameNumber = Int(value)
        }
        guard let registers = state.currentRegisters,
            let walk = StackService.walk(
                state: state, registers: registers, maximumFrames: frameNumber + 2),
            walk.frames.indices.contains(frameNumber)
        else {
            throw CommandError(.inCommand(kind: "Bad frame number error"))
        }
        state.currentFrame = frameNumber
        let frame = walk.frames[frameNumber]
        let formatter = StackTraceFormatter(
            state: state, target: target, options: StackTraceOptions(suffix: ""))
        invocation.out.line(formatter.line(frame, previous: nil))
        if showRegisters {
            // As `r` shows a context: the thread's registers with those the unwinder
            // recovered for this frame in their place, then the frame's instruction.
            let recovered = RegisterConversion.registerSet(
                from: frame.registers, machine: target.machine)
            var set = registers
            for register in recovered.registers {
                _ = set.set(register.name, to: register.value)
            }
            invocation.out.lines(RegisterDisplay.lines(set))
            invocation.out.lines(
                CurrentInstruction.lines(state: state, registers: set, annotate: false))
        }
    }
}
