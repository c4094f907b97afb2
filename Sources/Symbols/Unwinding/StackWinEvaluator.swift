/// The caller's x86 frame as a `STACK WIN` record describes it.
public struct StackWinFrameResult: Sendable, Hashable {
    /// Caller registers by bare name: always `eip`, `esp` and `ebp` (the callee's `ebp` when
    /// the program did not assign it), plus `ebx`, `esi`, `edi` when the program assigned them.
    public var registers: [String: UInt64]
    /// Where the program looked for the return address (`.raSearchStart`). An unwinder that
    /// finds `eip` implausible may scan the stack from here, as Breakpad does.
    public var returnAddressSearchStart: UInt64
    /// The program that was evaluated: the record's own, or the one Breakpad generates for
    /// records without a program string.
    public var program: String

    public init(registers: [String: UInt64], returnAddressSearchStart: UInt64, program: String) {
        self.registers = registers
        self.returnAddressSearchStart = returnAddressSearchStart
        self.program = program
    }
}

/// Evaluates `STACK WIN` records the way Breakpad's `StackwalkerX86` does, without its
/// stack-scanning fallbacks (those need module knowledge and belong to the unwinder).
public enum StackWinEvaluator {
    /// Program Breakpad uses for a record without a program string whose function saved the
    /// caller's `ebp` among its saved registers.
    public static let allocatesBasePointerProgram =
        "$eip .raSearchStart ^ = $ebp $esp .cbCalleeParams + .cbSavedRegs + 8 - ^ = "
        + "$esp .raSearchStart 4 + ="
    /// Program Breakpad uses for a record without a program string whose function does not
    /// touch `ebp` (which then carries through unchanged).
    public static let framePointerOmittedProgram =
        "$eip .raSearchStart ^ = $esp .raSearchStart 4 + ="

    /// Computes the caller's registers.
    ///
    /// The program sees `$esp`, `$ebp` (and `$ebx` when known) of the callee, and the
    /// constants `.cbParams`, `.cbCalleeParams`, `.cbSavedRegs`, `.cbLocals`, `.raSearch` and
    /// `.raSearchStart`. The return-address search start is
    /// `esp + calleeParameterSize + localSize + savedRegisterSize`, or `ebp + 4` when the
    /// program aligns the stack with `@`. For the first (context) frame of an FPO function,
    /// a return address that is still on the stack although the callee returned (it equals
    /// the current `eip`) is skipped.
    ///
    /// - Parameters:
    ///   - info: from `CallFrameInfoProvider.windowsFrameInfo(at:)`.
    ///   - registers: the callee's registers by bare name; `esp` and `ebp` are required,
    ///     `eip` is used for the leftover-return-address check, `ebx` is passed on if present.
    ///   - calleeParameterSize: parameter size of the frame below this one (the function
    ///     this frame called), from `parameterSize(at:)`; 0 for the context frame.
    ///   - isContextFrame: true when unwinding the frame the thread context describes.
    ///   - readMemory: reads target memory (4-byte reads).
    /// - Throws: when a required register is missing, the program fails, leaves values on
    ///   its stack, or does not assign both `$eip` and `$esp`.
    public static func evaluate(
        _ info: WindowsFrameInfo, registers: [String: UInt64], calleeParameterSize: UInt32,
        isContextFrame: Bool = false, readMemory: @escaping UnwindMemoryReader
    ) throws(UnwindRuleError) -> StackWinFrameResult {
        let word: UInt64 = 0xFFFF_FFFF
        func register(_ name: String) -> UInt64? {
            (registers[name] ?? registers["$" + name]).map { $0 & word }
        }
        guard let esp = register("esp") else { throw UnwindRuleError("STACK WIN needs esp") }
        guard let ebp = register("ebp") else { throw UnwindRuleError("STACK WIN needs ebp") }
        let ebx = register("ebx")

        var variables: [String: UInt64] = [
            "$esp": esp, "$ebp": ebp,
            ".cbCalleeParams": UInt64(calleeParameterSize),
            ".cbSavedRegs": UInt64(info.savedRegisterSize),
            ".cbLocals": UInt64(info.localSize),
            ".cbParams": UInt64(info.parameterSize),
        ]
        if let ebx { variables["$ebx"] = ebx }

        var searchStart =
            (esp &+ UInt64(calleeParameterSize) &+ UInt64(info.localSize)
                &+ UInt64(info.savedRegisterSize)) & word
        if isContextFrame, info.type == .fpo, let eip = register("eip"),
            readMemory(searchStart, 4).map({ $0 & word }) == eip
        {
            searchStart = (searchStart &+ 4) & word
        }

        let program: String
        if let own = info.programString, !own.isEmpty {
            program = own
        } else if info.allocatesBasePointer {
            program = allocatesBasePointerProgram
        } else {
            program = framePointerOmittedProgram + (ebx != nil ? " $ebx $ebx =" : "")
        }
        if program.contains("@") {
            // The function aligned its stack, so esp-relative offsets are lossy; with a
            // standard frame the return address sits just above the saved ebp.
            searchStart = (ebp &+ 4) & word
        }
        variables[".raSearchStart"] = searchStart
        variables[".raSearch"] = searchStart

        var machine = PostfixMachine(
            variables: variables, wordSize: 4, allowsAssignment: true, stripsDollarPrefix: false,
            readMemory: readMemory)
        do throws(UnwindRuleError) {
            let left = try machine.run(program)
            guard left.isEmpty else {
                throw UnwindRuleError("leaves \(left.count) values on its stack")
            }
        } catch {
            throw UnwindRuleError("STACK WIN program (\(program)): \(error.message)")
        }
        guard machine.assigned.contains("$eip"), machine.assigned.contains("$esp"),
            let callerEIP = machine.variables["$eip"], let callerESP = machine.variables["$esp"]
        else {
            throw UnwindRuleError("STACK WIN program (\(program)) does not set both $eip and $esp")
        }
        var caller: [String: UInt64] = [
            "eip": callerEIP, "esp": callerESP, "ebp": machine.variables["$ebp"] ?? ebp,
        ]
        for name in ["ebx", "esi", "edi"] where machine.assigned.contains("$" + name) {
            caller[name] = machine.variables["$" + name]
        }
        return StackWinFrameResult(
            registers: caller, returnAddressSearchStart: searchStart, program: program)
    }
}
