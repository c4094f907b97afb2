import Engine
import Testing

/// A command argument string: the value of its leading expression and the text left after it.
struct PrefixCase: Sendable, CustomTestStringConvertible {
    var text: String
    var value: UInt64
    var rest: String

    init(_ text: String, _ value: UInt64, rest: String) {
        self.text = text
        self.value = value
        self.rest = rest
    }

    var testDescription: String { "'\(text)' → \(String(value, radix: 16)), rest '\(rest)'" }
}

@Suite("MASM evaluator: expression boundaries in command arguments")
struct ExpressionPrefixTests {
    static let cases: [PrefixCase] = [
        PrefixCase("@rsp+4 L8", 0x0000_00C8_2F5F_F004, rest: " L8"),
        PrefixCase("rsp + 4 L4", 0x0000_00C8_2F5F_F004, rest: " L4"),
        PrefixCase("  rsp+4", 0x0000_00C8_2F5F_F004, rest: ""),
        PrefixCase("1000 2000", 0x1000, rest: " 2000"),
        PrefixCase("1000 b", 0x1000, rest: " b"),
        PrefixCase("poi(rsp) L3", 0x0000_7FF6_1A2B_2000, rest: " L3"),
        PrefixCase("1000 l?4", 0x1000, rest: " l?4"),
        PrefixCase("1000 L-4", 0x1000, rest: " L-4"),
        PrefixCase("1000,2000", 0x1000, rest: ",2000"),
        PrefixCase("1000 and 3 L2", 0, rest: " L2"),
        PrefixCase("1000 mod 3 2000", 0x1000 % 3, rest: " 2000"),
        PrefixCase("1000 - 4 \"text\"", 0xFFC, rest: " \"text\""),
        PrefixCase(
            "app!main+0x10 \"j @eax==0 'gc'\"", 0x0000_7FF6_1A2B_1010,
            rest: " \"j @eax==0 'gc'\""),
        PrefixCase("@$t5;r", 0x1234, rest: ";r"),
        PrefixCase("1000 andy", 0x1000, rest: " andy"),
        PrefixCase("5 = 5 L1", 1, rest: " L1"),
        PrefixCase("main l10", 0x0000_7FF6_1A2B_1000, rest: " l10"),
    ]

    @Test(arguments: cases)
    func stopsAfterTheExpression(_ testCase: PrefixCase) throws {
        let result = try MASMEvaluator.evaluatePrefix(testCase.text, in: TestEnvironment.standard)
        #expect(result.value == testCase.value)
        #expect(String(testCase.text[result.end...]) == testCase.rest)
        #expect(result.utf8Length == testCase.text.utf8.count - testCase.rest.utf8.count)
    }

    @Test func worksOnSubstringsOfACommandLine() throws {
        let line = "dd esp+4 L8"
        let arguments = line.dropFirst(3)
        var environment = TestEnvironment.x86
        environment.registers["esp"] = RegisterValue(value: 0x0012_FF00, bitWidth: 32)
        let result = try MASMEvaluator.evaluatePrefix(arguments, in: environment)
        #expect(result.value == 0x0012_FF04)
        #expect(line[result.end...] == " L8")
    }

    @Test func anOperatorWithoutOperandIsAnError() {
        #expect(throws: ExpressionError.self) {
            try MASMEvaluator.evaluatePrefix("1000 + ", in: TestEnvironment.standard)
        }
        #expect(throws: ExpressionError.self) {
            try MASMEvaluator.evaluatePrefix("1000 mod", in: TestEnvironment.standard)
        }
    }

    @Test func nonASCIITextAfterTheExpressionKeepsValidIndices() throws {
        let text = "10 ñandú"
        let result = try MASMEvaluator.evaluatePrefix(text, in: TestEnvironment.standard)
        #expect(result.value == 0x10)
        #expect(text[result.end...] == " ñandú")
        #expect(throws: ExpressionError.self) {
            try MASMEvaluator.evaluate(text, in: TestEnvironment.standard)
        }
    }

    @Test func userPseudoRegisterNames() {
        #expect(UserPseudoRegisters.index(ofName: "$t0") == 0)
        #expect(UserPseudoRegisters.index(ofName: "@$T19") == 19)
        #expect(UserPseudoRegisters.index(ofName: "$t20") == nil)
        #expect(UserPseudoRegisters.index(ofName: "$t+1") == nil)
        #expect(UserPseudoRegisters.index(ofName: "$t") == nil)
        var registers = UserPseudoRegisters()
        registers[3] = 42
        registers[99] = 1
        #expect(registers[3] == 42)
        #expect(registers[99] == 0)
        #expect(registers[-1] == 0)
    }
}
