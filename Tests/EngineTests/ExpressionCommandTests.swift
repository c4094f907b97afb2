import Engine
import Testing

/// The evaluator wired into commands: `?`, `.formats`, `n`, `.printf`, registers and memory.
@Suite struct ExpressionCommandTests {
    @Test func questionMarkEvaluates() {
        let harness = SessionHarness()
        #expect(harness.run("? 0n10 + 0x10") == ["Evaluate expression: 26 = 00000000`0000001a"])
        #expect(harness.run("? 1/0") == ["          ^ Divide by zero error in '? 1/0'"])
        #expect(harness.run("? nosuch") == ["        ^ Couldn't resolve error at 'nosuch'"])
    }

    @Test func radixChangesHowNumbersRead() {
        let harness = SessionHarness()
        #expect(harness.run("n") == ["base is 16"])
        harness.run("n 10")
        #expect(harness.run("? 10") == ["Evaluate expression: 10 = 00000000`0000000a"])
        #expect(harness.run("n 7").first?.contains("Syntax error") == true)
    }

    @Test func expressionsSeeTargetRegistersMemoryAndModules() {
        let target = FakeTarget.windowsX64()
        target.memory = [(0x32_e36f_e000, [0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0])]
        let harness = SessionHarness.with(target)
        harness.run(".ecxr")
        #expect(
            harness.run("? poi(@rsp)") == ["Evaluate expression: 305419896 = 00000000`12345678"])
        #expect(harness.run("? rip - notepad") == ["Evaluate expression: 4660 = 00000000`00001234"])
        #expect(harness.run("? @$tid") == ["Evaluate expression: 23912 = 00000000`00005d68"])
        #expect(harness.run("dd @rsp L1") == ["00000032`e36fe000  12345678"])
    }

    @Test func printfFormats() {
        let harness = SessionHarness()
        #expect(
            harness.run(#".printf "%d|%5x|%-4u|%08X|%s|%%\n", 0n-1, 0x1f, 3, 0xbeef, "hi""#)
                == ["-1|   1f|3   |0000BEEF|hi|%"])
        #expect(harness.run(#".printf "no newline""#) == ["no newline"])
        #expect(harness.run(#".printf "%d\n""#) == ["Too few arguments for the format string"])
    }
}
