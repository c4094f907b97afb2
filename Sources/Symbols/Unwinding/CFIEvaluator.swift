/// The caller's frame as `STACK CFI` rules describe it.
public struct CFIFrameResult: Sendable, Hashable {
    /// The canonical frame address: the caller's stack pointer on x86, x86-64 and ARM64.
    public var cfa: UInt64
    /// The return address: the caller's instruction pointer.
    public var returnAddress: UInt64
    /// Registers the rules recovered, by bare name (`rbx`, `x29`). A register whose rule
    /// failed to evaluate is absent, as in Breakpad.
    public var registers: [String: UInt64]

    public init(cfa: UInt64, returnAddress: UInt64, registers: [String: UInt64]) {
        self.cfa = cfa
        self.returnAddress = returnAddress
        self.registers = registers
    }

    /// The caller's register set, the way Breakpad's `SimpleCFIWalker` builds it: the
    /// recovered registers, the instruction pointer from `.ra` and the stack pointer from
    /// `.cfa` (unless a rule recovered them explicitly), and callee-saved registers the rules
    /// do not mention carried over from the callee.
    ///
    /// - Parameters:
    ///   - instructionPointer: e.g. `rip`, `eip`, `pc`.
    ///   - stackPointer: e.g. `rsp`, `esp`, `sp`.
    ///   - calleeSaved: registers the ABI preserves across calls (x86-64 SysV: `rbx rbp r12
    ///     r13 r14 r15`).
    ///   - callee: the callee's registers.
    public func callerRegisters(
        instructionPointer: String, stackPointer: String, calleeSaved: [String] = [],
        callee: [String: UInt64]
    ) -> [String: UInt64] {
        var caller = registers
        if caller[instructionPointer] == nil { caller[instructionPointer] = returnAddress }
        if caller[stackPointer] == nil { caller[stackPointer] = cfa }
        for name in calleeSaved where caller[name] == nil {
            if let value = callee[name] { caller[name] = value }
        }
        return caller
    }
}

/// Evaluates `STACK CFI` rule sets (Breakpad's `CFIFrameInfo::FindCallerRegs`).
public enum CFIEvaluator {
    /// Computes the caller's frame from the callee's registers.
    ///
    /// `.cfa` is computed first from the callee's registers; `.ra` and every register rule
    /// then see the callee's registers plus `.cfa`. Register names may be written with or
    /// without `$`; `registers` is keyed by bare name.
    ///
    /// - Parameters:
    ///   - rules: from `CallFrameInfoProvider.cfiRules(at:)`.
    ///   - registers: the callee's registers by bare name (`rsp`, `rip`, ...).
    ///   - wordSize: 8 for 64-bit targets, 4 for 32-bit; arithmetic and `^` use this size.
    ///   - readMemory: reads target memory.
    /// - Throws: when `.cfa` or `.ra` has no rule or its rule cannot be evaluated.
    public static func evaluate(
        _ rules: CFIRuleSet, registers: [String: UInt64], wordSize: Int,
        readMemory: @escaping UnwindMemoryReader
    ) throws(UnwindRuleError) -> CFIFrameResult {
        guard wordSize == 4 || wordSize == 8 else {
            throw UnwindRuleError("unsupported word size \(wordSize)")
        }
        guard let cfaRule = rules.cfaRule else { throw UnwindRuleError("no .cfa rule") }
        guard let raRule = rules.returnAddressRule else { throw UnwindRuleError("no .ra rule") }

        var base: [String: UInt64] = [:]
        for (name, value) in registers where name != ".cfa" {
            base[name.first == "$" ? String(name.dropFirst()) : name] = value
        }
        let cfa = try evaluateExpression(
            cfaRule, named: ".cfa", variables: base, wordSize: wordSize, readMemory: readMemory)
        base[".cfa"] = cfa
        let ra = try evaluateExpression(
            raRule, named: ".ra", variables: base, wordSize: wordSize, readMemory: readMemory)

        var recovered: [String: UInt64] = [:]
        for (name, rule) in rules.registerRules {
            if let value = try? evaluateExpression(
                rule, named: name, variables: base, wordSize: wordSize, readMemory: readMemory)
            {
                recovered[name] = value
            }
        }
        return CFIFrameResult(cfa: cfa, returnAddress: ra, registers: recovered)
    }

    /// Evaluates one expression to a single value.
    static func evaluateExpression(
        _ expression: String, named name: String, variables: [String: UInt64], wordSize: Int,
        readMemory: @escaping UnwindMemoryReader
    ) throws(UnwindRuleError) -> UInt64 {
        var machine = PostfixMachine(
            variables: variables, wordSize: wordSize, allowsAssignment: false,
            stripsDollarPrefix: true, readMemory: readMemory)
        do throws(UnwindRuleError) {
            let left = try machine.run(expression)
            guard left.count == 1, let only = left.first else {
                throw UnwindRuleError("leaves \(left.count) values instead of one")
            }
            return try machine.value(of: only)
        } catch {
            throw UnwindRuleError("CFI rule for \(name) (\(expression)): \(error.message)")
        }
    }
}
