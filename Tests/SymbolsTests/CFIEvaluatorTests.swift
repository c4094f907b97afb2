import TestSupport
import Testing

@testable import Symbols

/// STACK CFI evaluation over synthetic registers and memory; expected values worked out by
/// hand from the rules.
@Suite struct CFIEvaluatorTests {
    static let libc = BreakpadSymbolSource(
        path: Corpus.symbols.appendingPathComponent(
            "libc-2.13.so/F4F8DFCD5A5FB5A7CE64717E9E6AE3890/libc-2.13.so.sym"
        ).path)

    // __libc_start_main in libc-2.13.so.sym:
    //   STACK CFI INIT 1edb0 1c7 .cfa: $rsp 8 + .ra: .cfa -8 + ^
    //   STACK CFI 1edbd $rbp: .cfa -40 + ^ $rbx: .cfa -48 + ^
    //   STACK CFI 1edd3 .cfa: $rsp 192 +
    //   STACK CFI 1edf1 $r12: .cfa -32 + ^ $r13: .cfa -24 + ^ $r14: .cfa -16 + ^
    static let rsp: UInt64 = 0x7fff_0000_1000

    @Test func entryRulesOnly() throws {
        let rules = try #require(Self.libc.cfiRules(at: 0x1edb0))
        #expect(rules.registerRules.isEmpty)
        // cfa = rsp + 8; ra = *(cfa - 8) = *(rsp).
        let memory = TestMemory(start: Self.rsp, words: [0x4005_55aa], wordSize: 8)
        let result = try CFIEvaluator.evaluate(
            rules, registers: ["rsp": Self.rsp, "rip": 0x1edb0], wordSize: 8,
            readMemory: memory.read)
        #expect(result.cfa == Self.rsp + 8)
        #expect(result.returnAddress == 0x4005_55aa)
        #expect(result.registers.isEmpty)
    }

    @Test func deltasApplyUpToTheAddress() throws {
        // At 1ee00 all three deltas apply: cfa = rsp + 192 = rsp + 0xc0; saved registers sit
        // at cfa-48 (rbx), -40 (rbp), -32 (r12), -24 (r13), -16 (r14), and ra at cfa-8.
        let rules = try #require(Self.libc.cfiRules(at: 0x1ee00))
        #expect(rules.cfaRule == "$rsp 192 +")
        #expect(Set(rules.registerRules.keys) == ["rbp", "rbx", "r12", "r13", "r14"])
        let cfa = Self.rsp + 0xc0
        let memory = TestMemory(
            start: cfa - 48, words: [0xb0b, 0xbeef, 0x1212, 0x1313, 0x1414, 0x4006_0000],
            wordSize: 8)
        let callee: [String: UInt64] = ["rsp": Self.rsp, "rip": 0x1ee00, "r15": 0xf15, "rbx": 1]
        let result = try CFIEvaluator.evaluate(
            rules, registers: callee, wordSize: 8, readMemory: memory.read)
        #expect(result.cfa == cfa)
        #expect(result.returnAddress == 0x4006_0000)
        #expect(
            result.registers == [
                "rbx": 0xb0b, "rbp": 0xbeef, "r12": 0x1212, "r13": 0x1313, "r14": 0x1414,
            ])
        let caller = result.callerRegisters(
            instructionPointer: "rip", stackPointer: "rsp",
            calleeSaved: ["rbx", "rbp", "r12", "r13", "r14", "r15"], callee: callee)
        #expect(caller["rip"] == 0x4006_0000)
        #expect(caller["rsp"] == cfa)
        #expect(caller["rbx"] == 0xb0b)  // recovered beats carried over
        #expect(caller["r15"] == 0xf15)  // callee-saved, not mentioned: carried over
        #expect(caller["rax"] == nil)
    }

    @Test func inTheMiddleOnlyEarlierDeltasApply() throws {
        // At 1edc0: the first delta applies (rbp, rbx saved), the cfa is still rsp + 8.
        let rules = try #require(Self.libc.cfiRules(at: 0x1edc0))
        #expect(rules.cfaRule == "$rsp 8 +")
        #expect(Set(rules.registerRules.keys) == ["rbp", "rbx"])
        // Past the INIT range (1edb0 + 1c7) no rules apply; the next function starts afresh.
        #expect(Self.libc.cfiRules(at: 0x1ef77) == nil)
        let next = try #require(Self.libc.cfiRules(at: 0x1ef80))
        #expect(next.cfaRule == "$rsp 8 +")
        #expect(next.registerRules.isEmpty)
    }

    @Test func thirtyTwoBitArithmeticWraps() throws {
        var rules = CFIRuleSet()
        try rules.apply(ruleText: ".cfa: $esp 4 + .ra: .cfa 4 - ^")
        try rules.apply(ruleText: ".cfa: $esp 8 + $ebp: .cfa 8 - ^")
        // esp = 0xfffffffc: cfa = esp + 8 wraps to 4; ra at 0, saved ebp at 0xfffffffc.
        let memory = TestMemory([
            (0, [0x78, 0x56, 0x34, 0x12]), (0xffff_fffc, [0xef, 0xbe, 0xad, 0xde]),
        ])
        let result = try CFIEvaluator.evaluate(
            rules, registers: ["$esp": 0xffff_fffc], wordSize: 4, readMemory: memory.read)
        #expect(result.cfa == 4)
        #expect(result.returnAddress == 0x1234_5678)
        #expect(result.registers == ["ebp": 0xdead_beef])
    }

    @Test func failuresNameTheRule() throws {
        var rules = CFIRuleSet()
        try rules.apply(ruleText: ".cfa: $rbp 16 + .ra: .cfa -8 + ^ $rbx: .undef $r12: .cfa 0 /")
        let memory = TestMemory(start: 0x1000, words: [0x55], wordSize: 8)

        // $rbp unknown: .cfa cannot be computed.
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(
                rules, registers: ["rsp": 0x1000], wordSize: 8, readMemory: memory.read)
        }
        do {
            _ = try CFIEvaluator.evaluate(
                rules, registers: ["rsp": 0x1000], wordSize: 8, readMemory: memory.read)
        } catch {
            #expect(error.message == "CFI rule for .cfa ($rbp 16 +): '$rbp' has no value")
        }
        // With rbp, .cfa and .ra work; the broken register rules are dropped, not fatal.
        let result = try CFIEvaluator.evaluate(
            rules, registers: ["rbp": 0xff8], wordSize: 8, readMemory: memory.read)
        #expect(result.cfa == 0x1008)
        #expect(result.returnAddress == 0x55)
        #expect(result.registers.isEmpty)
        // Unreadable memory for .ra is fatal.
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(
                rules, registers: ["rbp": 0x2000], wordSize: 8, readMemory: memory.read)
        }
    }

    @Test func missingRulesAndMalformedText() throws {
        var onlyCFA = CFIRuleSet()
        try onlyCFA.apply(ruleText: ".cfa: $rsp 8 +")
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(onlyCFA, registers: ["rsp": 0], wordSize: 8) { _, _ in 0 }
        }
        var rules = CFIRuleSet()
        #expect(throws: UnwindRuleError.self) { try rules.apply(ruleText: "$rsp 8 + .cfa:") }
        #expect(throws: UnwindRuleError.self) { try rules.apply(ruleText: ".cfa: $rsp 8 + .ra:") }
        // The rule before the bad one stays applied, as in Breakpad.
        #expect(rules.cfaRule == "$rsp 8 +")
        #expect(throws: UnwindRuleError.self) { try rules.apply(ruleText: "") }
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(rules, registers: ["rsp": 0], wordSize: 3) { _, _ in 0 }
        }
    }

    @Test func hostileExpressionsAreBounded() throws {
        var rules = CFIRuleSet()
        let deep = String(repeating: "1 ", count: 1000) + String(repeating: "+ ", count: 999)
        try rules.apply(ruleText: ".cfa: \(deep) .ra: 1 2 3")
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(rules, registers: [:], wordSize: 8) { _, _ in 0 }
        }
        var leftovers = CFIRuleSet()
        try leftovers.apply(ruleText: ".cfa: 1 2 .ra: 3")
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(leftovers, registers: [:], wordSize: 8) { _, _ in 0 }
        }
        var assignment = CFIRuleSet()
        try assignment.apply(ruleText: ".cfa: $x 1 = .ra: 3")
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(assignment, registers: ["x": 0], wordSize: 8) { _, _ in 0 }
        }
        let long = String(repeating: "1 + ", count: 5000)
        var tooLong = CFIRuleSet()
        try tooLong.apply(ruleText: ".cfa: 0 \(long) .ra: 3")
        #expect(throws: UnwindRuleError.self) {
            try CFIEvaluator.evaluate(tooLong, registers: [:], wordSize: 8) { _, _ in 0 }
        }
    }

    @Test func operatorsFollowBreakpad() throws {
        func value(_ expression: String, wordSize: Int = 8) throws -> UInt64 {
            try CFIEvaluator.evaluateExpression(
                expression, named: "t", variables: ["a": 100], wordSize: wordSize
            ) { address, _ in address &* 2 }
        }
        #expect(try value("7 3 -") == 4)
        #expect(try value("3 7 -") == UInt64.max - 3)
        #expect(try value("3 7 -", wordSize: 4) == 0xffff_fffc)
        #expect(try value("6 7 *") == 42)
        #expect(try value("43 5 /") == 8)
        #expect(try value("43 5 %") == 3)
        #expect(try value("$a 16 @") == 96)  // align down
        #expect(try value("-8") == UInt64.max - 7)
        #expect(try value("a 1 +") == 101)  // names without $ work too (ARM style)
        #expect(try value("$a ^") == 200)
        #expect(throws: UnwindRuleError.self) { try value("1 0 %") }
        #expect(throws: UnwindRuleError.self) { try value("+") }
    }
}
