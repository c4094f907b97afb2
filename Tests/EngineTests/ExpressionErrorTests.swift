import Engine
import Testing

/// An expression CDB rejects, the error class and where it points.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var text: String
    var kind: ExpressionError.Kind
    var offset: Int
    var radix: Radix = .hexadecimal

    init(_ text: String, _ kind: ExpressionError.Kind, at offset: Int, radix: Radix = .hexadecimal)
    {
        self.text = text
        self.kind = kind
        self.offset = offset
        self.radix = radix
    }

    var testDescription: String { "'\(text)' → \(kind) at \(offset)" }
}

@Suite("MASM evaluator: errors")
struct ExpressionErrorTests {
    static let cases: [ErrorCase] = [
        // Syntax.
        ErrorCase("", .syntax, at: 0),
        ErrorCase("   ", .syntax, at: 3),
        ErrorCase("1+", .syntax, at: 2),
        ErrorCase("(1", .syntax, at: 2),
        ErrorCase("1)", .syntax, at: 1),
        ErrorCase("*1", .syntax, at: 0),
        ErrorCase("1 2", .syntax, at: 2),
        ErrorCase("12g", .syntax, at: 0),
        ErrorCase("0x1h", .syntax, at: 0),
        ErrorCase("0xg", .syntax, at: 0),
        ErrorCase("9", .syntax, at: 0, radix: .octal),
        ErrorCase("1`", .syntax, at: 1),
        ErrorCase("@", .syntax, at: 1),
        ErrorCase("1 != ", .syntax, at: 5),
        ErrorCase("!=1", .syntax, at: 0),
        ErrorCase("app!", .syntax, at: 4),
        ErrorCase("ntdll!`oops", .syntax, at: 6),
        ErrorCase("`app.c:12", .syntax, at: 0),
        ErrorCase(".x", .syntax, at: 0),
        ErrorCase("@@masm 1", .syntax, at: 0),
        ErrorCase("$scmp(\"a\")", .syntax, at: 5),
        ErrorCase("$scmp \"a\"", .syntax, at: 6),
        ErrorCase("$vvalid(1000 8)", .syntax, at: 13),
        ErrorCase("$iment(400000", .syntax, at: 13),
        // Unavailable pseudo-registers are syntax errors (pseudo-register documentation).
        ErrorCase("$peb", .syntax, at: 0),
        ErrorCase("@$tid+1", .syntax, at: 0),
        // Couldn't resolve.
        ErrorCase("foo", .couldNotResolve, at: 0),
        ErrorCase("1+foo+2", .couldNotResolve, at: 2),
        ErrorCase("app!nothere", .couldNotResolve, at: 0),
        ErrorCase("!nothere", .couldNotResolve, at: 0),
        ErrorCase("$foo", .couldNotResolve, at: 0),
        ErrorCase("$t20", .couldNotResolve, at: 0),
        ErrorCase("`other.c:1`", .couldNotResolve, at: 0),
        ErrorCase("beef", .couldNotResolve, at: 0, radix: .decimal),
        // Bad register.
        ErrorCase("@foo", .badRegister, at: 0),
        ErrorCase("1 + @$foo", .badRegister, at: 4),
        ErrorCase("@$ea", .badRegister, at: 0),
        ErrorCase("$ea", .badRegister, at: 0),
        // Division.
        ErrorCase("1/0", .divideByZero, at: 2),
        ErrorCase("1 % 0", .divideByZero, at: 4),
        ErrorCase("5 mod (1-1)", .divideByZero, at: 10),
        ErrorCase("1/0+poi(0)", .divideByZero, at: 2),
        // Memory: CDB points at the operand's last token (`Memory access error at ')'`).
        ErrorCase("poi(0)", .memoryAccess, at: 5),
        ErrorCase("poi 0", .memoryAccess, at: 4),
        ErrorCase("1 + dwo(@rsp+1000)", .memoryAccess, at: 17),
        ErrorCase("poi(0)+1/0", .memoryAccess, at: 5),
        ErrorCase("$pby(2000)", .memoryAccess, at: 9),
        ErrorCase("$iment(10)", .memoryAccess, at: 9),
        ErrorCase("$iment(rsp)", .operand, at: 10),
        // Overflow.
        ErrorCase("10000000000000000", .overflow, at: 0),
        ErrorCase("1 + 0x1ffffffffffffffff", .overflow, at: 4),
        ErrorCase("0n18446744073709551616", .overflow, at: 0),
        ErrorCase("0y" + String(repeating: "1", count: 65), .overflow, at: 0),
        // Operand.
        ErrorCase("$iment(1000)", .operand, at: 11),
        // Not supported.
        ErrorCase("@@c++(1)", .unsupportedCPlusPlus, at: 0),
        ErrorCase("1 + @@(1)", .unsupportedCPlusPlus, at: 4),
    ]

    @Test(arguments: cases)
    func reportsError(_ testCase: ErrorCase) {
        var environment = TestEnvironment.standard
        environment.radix = testCase.radix
        #expect(
            throws: ExpressionError(
                kind: testCase.kind, offset: testCase.offset,
                remainder: String(
                    decoding: Array(testCase.text.utf8).dropFirst(testCase.offset), as: UTF8.self))
        ) {
            try MASMEvaluator.evaluate(testCase.text, in: environment)
        }
    }

    @Test func messagesReadLikeCDB() {
        func message(_ text: String) -> String {
            do {
                _ = try MASMEvaluator.evaluate(text, in: TestEnvironment.standard)
                return "no error"
            } catch {
                return error.message
            }
        }
        #expect(message("poi(0)") == "Memory access error at ')'")
        #expect(message("foo+1") == "Couldn't resolve error at 'foo+1'")
        #expect(message("1/0") == "Divide by zero error at '0'")
        #expect(message("@foo") == "Bad register error at '@foo'")
        #expect(message("1 +") == "Syntax error at ''")
        #expect(message("10000000000000000") == "Overflow error at '10000000000000000'")
        // The documentation's `$spat` example with an escaped closing quote.
        #expect(
            message(#"$spat( "c:\dir\", "*filename*" )"#)
                == #"Syntax error at '( "c:\dir\", "*filename*" )'"#)
    }

    @Test func commandFormPointsAtTheColumn() throws {
        let error = try #require(throws: ExpressionError.self) {
            try MASMEvaluator.evaluate("1 + ", in: TestEnvironment.standard)
        }
        #expect(error.message(inCommand: "? 1 + ") == "Syntax error in '? 1 + '")
        #expect(error.offset == 4)
    }

    @Test func nestingIsCapped() {
        let depth = 10_000
        let nested =
            String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(throws: ExpressionError.self) {
            try MASMEvaluator.evaluate(nested, in: TestEnvironment.standard)
        }
        let unary = String(repeating: "-", count: 100_000) + "1"
        let error = try? #require(throws: ExpressionError.self) {
            try MASMEvaluator.evaluate(unary, in: TestEnvironment.standard)
        }
        #expect(error?.kind == .tooDeeplyNested)
    }

    @Test func longFlatExpressionsDoNotRecurse() throws {
        // 100 KB of `1+1+...`: precedence climbing loops, so this is fine at any length.
        let terms = 50_000
        let text = Array(repeating: "1", count: terms).joined(separator: "+")
        #expect(text.utf8.count >= 99_999)
        #expect(try MASMEvaluator.evaluate(text, in: TestEnvironment.standard) == UInt64(terms))
    }

    @Test func deepestAllowedNestingFitsASmallStack() async throws {
        // Just inside the cap, on a thread with a 512 KiB stack (the size of secondary threads
        // on some platforms): must evaluate without overflowing the stack.
        let depth = MASMEvaluator.maximumNestingDepth / 2 - 1
        let text =
            String(repeating: "(-", count: depth) + "1" + String(repeating: ")", count: depth)
        let value = try await SmallStackThread.run(stackSize: 512 * 1024) {
            try MASMEvaluator.evaluate(text, in: TestEnvironment.standard)
        }
        #expect(value == (depth % 2 == 0 ? 1 : UInt64.max))
    }
}
