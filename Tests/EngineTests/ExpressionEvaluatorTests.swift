import Engine
import Testing

/// One expression and the value CDB gives for it.
struct ValueCase: Sendable, CustomTestStringConvertible {
    enum Setting: Sendable { case standard, x86, kernel, radix(Radix) }
    var text: String
    var expected: UInt64
    var setting: Setting = .standard

    init(_ text: String, _ expected: UInt64, _ setting: Setting = .standard) {
        self.text = text
        self.expected = expected
        self.setting = setting
    }

    var testDescription: String { "'\(text)' = \(String(expected, radix: 16)) (\(setting))" }

    var environment: TestEnvironment {
        switch setting {
        case .standard: TestEnvironment.standard
        case .x86: TestEnvironment.x86
        case .kernel: TestEnvironment.kernel
        case .radix(let radix):
            {
                var environment = TestEnvironment.standard
                environment.radix = radix
                return environment
            }()
        }
    }
}

/// Two's complement of a small number, for readable negative expectations.
private func negative(_ value: UInt64) -> UInt64 { 0 &- value }

@Suite("MASM evaluator: values")
struct ExpressionValueTests {
    static let numbers: [ValueCase] = [
        ValueCase("10", 0x10),
        ValueCase("0x10", 16),
        ValueCase("0X4aB3", 0x4AB3),
        ValueCase("0n10", 10),
        ValueCase("0t10", 8),
        ValueCase("0y10", 2),
        ValueCase("4ab3h", 0x4AB3),
        ValueCase("4aB3H", 0x4AB3),
        ValueCase("0x", 0),
        ValueCase("0n", 0),
        ValueCase("0t", 0),
        ValueCase("0y", 0),
        ValueCase("cafe", 0xCAFE),
        ValueCase("00007ff6`1a2b0000", 0x0000_7FF6_1A2B_0000),
        ValueCase("0x00007ff6`1a2b0000", 0x0000_7FF6_1A2B_0000),
        ValueCase("ffffffffffffffff", UInt64.max),
        ValueCase("0n18446744073709551615", UInt64.max),
        ValueCase("00000000000000000000000001", 1),
        ValueCase("10", 10, .radix(.decimal)),
        ValueCase("0x10", 16, .radix(.decimal)),
        ValueCase("12h", 0x12, .radix(.decimal)),
        ValueCase("10", 8, .radix(.octal)),
        ValueCase("0n10", 10, .radix(.octal)),
        ValueCase("0y1010 + 0t17", 10 + 15),
        // Documentation example: `? @r10 + 0x10 + 0t10 + 0y10` with r10 = 0 is 26.
        ValueCase("@r10 + 0x10 + 0t10 + 0y10", 26),
    ]

    static let operators: [ValueCase] = [
        ValueCase("1+2*3", 7),
        ValueCase("(1+2)*3", 9),
        ValueCase("10-2-3", 0xB),
        ValueCase("100/10/2", 8),
        ValueCase("7 % 4", 3),
        ValueCase("7 mod 4", 3),
        ValueCase("2*3 mod 4", 2),
        ValueCase("1+2<<3", 0x18),
        ValueCase("1<<2+3", 0x20),
        ValueCase("1|2&3", 3),
        ValueCase("1^3&2", 3),
        ValueCase("6 and 3 or 8", 0xA),
        ValueCase("1 xor 3 or 4", 6),
        ValueCase("1 AND 3", 1),
        ValueCase("5 Mod 2", 1),
        ValueCase("1 Or 2", 3),
        ValueCase("(1)and(3)", 1),
        ValueCase("1+2 == 3", 1),
        ValueCase("1 = 1", 1),
        ValueCase("2 < 1", 0),
        ValueCase("1 < 2 == 1", 1),
        ValueCase("-1 > 0", 1),
        ValueCase("3 != 3", 0),
        ValueCase("2 <= 2", 1),
        ValueCase("3 >= 4", 0),
        ValueCase("1 << 0n63", 0x8000_0000_0000_0000),
        ValueCase("1 << 0n64", 0),
        ValueCase("-0n16 >> 1", 0x7FFF_FFFF_FFFF_FFF8),
        ValueCase("-0n16 >>> 1", negative(8)),
        ValueCase("-1 >>> 0n100", UInt64.max),
        ValueCase("8 >> 1", 4),
        ValueCase("hi(12345678)", 0x1234),
        ValueCase("low 12345678", 0x5678),
        ValueCase("hi 123456789abc", 0x5678),
        ValueCase("-1", UInt64.max),
        ValueCase("--1", 1),
        ValueCase("+5", 5),
        ValueCase("- 1", UInt64.max),
        ValueCase("1 - -1", 2),
        ValueCase("1--1", 2),
        ValueCase("not 0", 1),
        ValueCase("NOT 5", 0),
        ValueCase("not(0)", 1),
        ValueCase("ffffffffffffffff + 2", 1),
        ValueCase("0n4294967296 * 0n4294967296", 0),
        ValueCase(" ( 1 + 2 ) * ( 3 + 4 ) ", 0x15),
        ValueCase("@@masm(1+2)*2", 6),
    ]

    static let memory: [ValueCase] = [
        ValueCase("poi(@rsp)", 0x0000_7FF6_1A2B_2000),
        ValueCase("poi @rsp+8", 0x0000_7FF6_1A2B_2008),
        ValueCase("poi(poi(@$teb+30)+30)", 0x0000_00C8_2F3C_0000),
        ValueCase("poi(@$teb+30)==@$teb", 1),
        ValueCase("by(1000)", 0x01),
        ValueCase("wo(1000)", 0x0201),
        ValueCase("dwo(1000)", 0x0403_0201),
        ValueCase("qwo(1000)", 0x0807_0605_0403_0201),
        ValueCase("by 1001", 0x02),
        ValueCase("$pby(1000)", 0xAA),
        ValueCase("$pwo(1000)", 0xAAAA),
        ValueCase("$pdwo(1000)", 0xAAAA_AAAA),
        ValueCase("$pqwo(1000)", 0xAAAA_AAAA_AAAA_AAAA),
        ValueCase("$ppoi(1000)", 0xAAAA_AAAA_AAAA_AAAA),
        ValueCase("poi(1000)", 0x0807_0605_0403_0201),
        ValueCase("poi(2000)", 0x8765_4321, .x86),
        ValueCase("poi(2000)+poi(2004)", 0x8765_4321 + 0xDEAD_BEEF, .x86),
    ]

    static let registers: [ValueCase] = [
        ValueCase("@rax", 0x1122_3344_8566_7788),
        ValueCase("rax", 0x1122_3344_8566_7788),
        ValueCase("RAX", 0x1122_3344_8566_7788),
        ValueCase("@RaX", 0x1122_3344_8566_7788),
        // 32-bit registers are sign-extended (documentation, "Sign Extension").
        ValueCase("@eax", 0xFFFF_FFFF_8566_7788),
        ValueCase("eax", 0xFFFF_FFFF_8566_7788),
        ValueCase("@eax & 0`ffffffff", 0x8566_7788),
        ValueCase("ebx", 0x10),
        ValueCase("@ax", 0x7788),
        ValueCase("al", 0x88),
        ValueCase("@ah", 0x77),
        ValueCase("ah", 0x77),
        ValueCase("r8", 0x0123_4567_89AB_CDEF),
        ValueCase("r8d", 0xFFFF_FFFF_89AB_CDEF),
        ValueCase("@r8w", 0xCDEF),
        ValueCase("r8b", 0xEF),
        ValueCase("@zf", 1),
        ValueCase("zf", 1),
        ValueCase("@cf", 0),
        // Without `@`, `cf` reads as a hex number first.
        ValueCase("cf", 0xCF),
        ValueCase("@rax+8", 0x1122_3344_8566_7790),
        ValueCase("rbx*2", 0x20),
        ValueCase("ecx", UInt64.max),
    ]

    static let pseudoRegisters: [ValueCase] = [
        ValueCase("$ip", 0x0000_7FF6_1A2B_1000),
        ValueCase("@$ip", 0x0000_7FF6_1A2B_1000),
        ValueCase("@$IP", 0x0000_7FF6_1A2B_1000),
        ValueCase(".", 0x0000_7FF6_1A2B_1000),
        ValueCase(". + 4", 0x0000_7FF6_1A2B_1004),
        ValueCase(".+4", 0x0000_7FF6_1A2B_1004),
        ValueCase("$csp", 0x0000_00C8_2F5F_F000),
        ValueCase("@$teb+30", 0x0000_00C8_2F3C_0030),
        ValueCase("$ptrsize", 8),
        ValueCase("@$pagesize", 0x1000),
        ValueCase("$bp1", 0x0000_7FF6_1A2B_1010),
        ValueCase("$t0", 0),
        ValueCase("@$t19", 0),
        ValueCase("@$t5", 0x1234),
        ValueCase("$T5+1", 0x1235),
        ValueCase("$exp", 0x8F),
        // Documentation example: `? NOT(($ip = .) AND ($ip = @rip) AND (@rip =. ))` is 0.
        ValueCase("NOT(($ip = .) AND ($ip = @rip) AND (@rip =. ))", 0),
    ]

    static let symbols: [ValueCase] = [
        ValueCase("app!main", 0x0000_7FF6_1A2B_1000),
        ValueCase("app!main+0x10", 0x0000_7FF6_1A2B_1010),
        ValueCase("app!main + 10", 0x0000_7FF6_1A2B_1010),
        ValueCase("main", 0x0000_7FF6_1A2B_1000),
        ValueCase("main+10 == app!main+10", 1),
        ValueCase("!cafe", 0x0000_7FF6_1A2B_3000),
        ValueCase("app!cafe", 0x0000_7FF6_1A2B_3000),
        ValueCase("ntdll!NtCreateFile", 0x0000_7FFE_37B2_0000),
        ValueCase("ntdll", 0x0000_7FFE_37A0_0000),
        ValueCase("ntdll!`string'", 0x0000_7FFE_37C0_0000),
        ValueCase("ntdll!`string'+8", 0x0000_7FFE_37C0_0008),
        ValueCase("app!Foo::Bar", 0x0000_7FF6_1A2B_4000),
        ValueCase("app!?foo@@YAXXZ", 0x0000_7FF6_1A2B_5000),
        ValueCase("app!`anonymous namespace'::helper", 0x0000_7FF6_1A2B_6000),
        ValueCase("7z!main", 0x0000_0001_4000_1000),
        ValueCase("counter$1", 0x0000_7FF6_1A2B_7000),
        ValueCase("`app.c:12`", 0x0000_7FF6_1A2B_1040),
        ValueCase("poi(@rsp) != 0 and app!main", 0),
        ValueCase("(poi(@rsp) != 0) + app!main", 0x0000_7FF6_1A2B_1001),
    ]

    static let signExtension: [ValueCase] = [
        ValueCase("80000000", 0x8000_0000),
        ValueCase("80000000", 0xFFFF_FFFF_8000_0000, .kernel),
        ValueCase("0x80000000", 0xFFFF_FFFF_8000_0000, .kernel),
        ValueCase("00000000EEAA1122", 0xFFFF_FFFF_EEAA_1122, .kernel),
        ValueCase("00000000`EEAA1122", 0xEEAA_1122, .kernel),
        ValueCase("0`EEAA1122", 0xEEAA_1122, .kernel),
        ValueCase("7fffffff", 0x7FFF_FFFF, .kernel),
        ValueCase("1`00000000", 0x1_0000_0000, .kernel),
        ValueCase("0n4294967295", 0xFFFF_FFFF_FFFF_FFFF, .kernel),
        // Only the constants are extended, never the result of an operation.
        ValueCase("7fffffff+1", 0x8000_0000, .kernel),
    ]

    static let functions: [ValueCase] = [
        ValueCase("$scmp(\"a\", \"b\")", UInt64.max),
        ValueCase("$scmp(\"b\",\"a\")", 1),
        ValueCase("$scmp(\"abc\", \"abc\")", 0),
        ValueCase("$scmp(\"ab\", \"abc\")", UInt64.max),
        ValueCase("$scmp(\"ABC\", \"abc\")", UInt64.max),
        ValueCase("$sicmp(\"ABC\", \"abc\")", 0),
        ValueCase("$sicmp(\"abd\", \"ABC\")", 1),
        ValueCase("$spat(@\"c:\\dir\\name.txt\", \"*name*\")", 1),
        ValueCase("$spat(\"c:\\dir\\name.txt\", \"*name*\")", 0),
        ValueCase("$spat( \"Program\", \"Prog[er-t7]am\" )", 1),
        ValueCase("$spat(\"Prog7am\", \"prog[er-t7]am\")", 1),
        ValueCase("$spat(\"Progxam\", \"Prog[er-t7]am\")", 0),
        ValueCase("$spat(\"Lp\", \"Lo#p\")", 1),
        ValueCase("$spat(\"Looop\", \"Lo#p\")", 1),
        ValueCase("$spat(\"Lp\", \"Lo+p\")", 0),
        ValueCase("$spat(\"maain\", \"m[ia]#n\")", 1),
        ValueCase("$spat(\"ab\", \"a?+b\")", 0),
        ValueCase("$spat(\"axxb\", \"a?+b\")", 1),
        ValueCase("$spat(\"a*b\", \"a\\\\*b\")", 1),
        ValueCase("$spat(\"axb\", \"a\\\\*b\")", 0),
        ValueCase("not($spat(\"NTDLL\", \"nt*\"))", 0),
        ValueCase("$vvalid(1000, 8)", 1),
        ValueCase("$vvalid(1000, 9)", 0),
        ValueCase("$vvalid(0, 1)", 0),
        ValueCase("$vvalid(1000, 0)", 1),
        ValueCase("$vvalid(ffffffffffffffff, 2)", 0),
        ValueCase("$iment(400000)", 0x40_1234),
        ValueCase("$iment (400000) - 400000", 0x1234),
    ]

    @Test(arguments: numbers + operators)
    func numbersAndOperators(_ testCase: ValueCase) throws {
        #expect(
            try MASMEvaluator.evaluate(testCase.text, in: testCase.environment) == testCase.expected
        )
    }

    @Test(arguments: memory + registers + pseudoRegisters)
    func memoryAndRegisters(_ testCase: ValueCase) throws {
        #expect(
            try MASMEvaluator.evaluate(testCase.text, in: testCase.environment) == testCase.expected
        )
    }

    @Test(arguments: symbols + signExtension + functions)
    func symbolsSignExtensionAndFunctions(_ testCase: ValueCase) throws {
        #expect(
            try MASMEvaluator.evaluate(testCase.text, in: testCase.environment) == testCase.expected
        )
    }
}
