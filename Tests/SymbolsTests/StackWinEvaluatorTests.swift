import TestSupport
import Testing

@testable import Symbols

/// STACK WIN evaluation over synthetic registers and memory; expected values worked out by
/// hand from the records.
@Suite struct StackWinEvaluatorTests {
    static let kernel32 = BreakpadSymbolSource(
        path: Corpus.symbols.appendingPathComponent(
            "kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym"
        ).path)

    static let standardFrame = "$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + ="

    @Test func standardFrameProgram() throws {
        // ebp = 16 holds the caller's ebp, 20 the return address: caller esp = 24.
        let memory = TestMemory(start: 16, words: [0x1111, 0x2222], wordSize: 4)
        let info = WindowsFrameInfo(
            type: .frameData, rva: 0, codeSize: 0x10, programString: Self.standardFrame)
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["ebp": 16, "esp": 1600], calleeParameterSize: 0,
            readMemory: memory.read)
        #expect(result.registers == ["eip": 0x2222, "esp": 24, "ebp": 0x1111])
        #expect(result.returnAddressSearchStart == 1600)
    }

    @Test func assignmentGluedToTheNextToken() throws {
        // MSVC 2010 LTO sometimes writes "=$eip" for "= $eip".
        let memory = TestMemory(start: 16, words: [0x1111, 0x2222], wordSize: 4)
        let info = WindowsFrameInfo(
            type: .frameData, rva: 0, codeSize: 0x10,
            programString: "$T0 $ebp = $eip $T0 4 + ^ =$ebp $T0 ^ =$esp $T0 8 + =")
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["ebp": 16, "esp": 1600], calleeParameterSize: 0,
            readMemory: memory.read)
        #expect(result.registers == ["eip": 0x2222, "esp": 24, "ebp": 0x1111])
    }

    @Test func searchStartUsesTheFrameSizes() throws {
        // .raSearchStart = esp + calleeParams + locals + savedRegs = 0x1000 + 8 + 0x20 + 0xc
        // = 0x1034; ebx is read from .raSearchStart - .cbParams = 0x1030.
        let info = WindowsFrameInfo(
            type: .frameData, rva: 0, codeSize: 0x10, parameterSize: 4, savedRegisterSize: 0xc,
            localSize: 0x20,
            programString:
                "$T0 .raSearchStart = $eip $T0 ^ = $esp $T0 4 + = $ebx $T0 .cbParams - ^ =")
        let memory = TestMemory(start: 0x1028, words: [0xb1, 0xb2, 0xb3, 0x7777], wordSize: 4)
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["ebp": 0x5000, "esp": 0x1000, "ebx": 1], calleeParameterSize: 8,
            readMemory: memory.read)
        #expect(result.returnAddressSearchStart == 0x1034)
        #expect(result.registers == ["eip": 0x7777, "esp": 0x1038, "ebp": 0x5000, "ebx": 0xb3])
    }

    @Test func alignedFramesSearchFromEbp() throws {
        // With `@` in the program, .raSearchStart = ebp + 4 whatever esp says.
        let info = WindowsFrameInfo(
            type: .frameData, rva: 0, codeSize: 0x10, localSize: 0x100,
            programString: "$T1 $esp 16 @ = $eip .raSearchStart ^ = $esp .raSearchStart 4 + =")
        let memory = TestMemory(start: 0x2004, words: [0xabcd], wordSize: 4)
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["ebp": 0x2000, "esp": 0x1003], calleeParameterSize: 0,
            readMemory: memory.read)
        #expect(result.returnAddressSearchStart == 0x2004)
        #expect(result.registers == ["eip": 0xabcd, "esp": 0x2008, "ebp": 0x2000])
    }

    @Test func fpoRecordThatSavesEbp() throws {
        // kernel32.sym: STACK WIN 0 39aa8 e6 a 0 c 1c 0 0 0 1 (no program, allocates ebp).
        let info = try #require(Self.kernel32.windowsFrameInfo(at: 0x39b00))
        #expect(info.type == .fpo)
        #expect(info.rva == 0x39aa8)
        #expect(info.savedRegisterSize == 0x1c)
        #expect(info.allocatesBasePointer)
        #expect(info.programString == nil)
        // esp = 0x12f000, callee params 8: return address at esp + 8 + 0 + 0x1c = 0x12f024,
        // caller ebp at esp + 8 + 0x1c - 8 = 0x12f01c.
        let memory = TestMemory(start: 0x12f01c, words: [0xeb0, 0xdead, 0x7c80_1000], wordSize: 4)
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["esp": 0x12f000, "ebp": 0x999, "ebx": 0xb], calleeParameterSize: 8,
            readMemory: memory.read)
        #expect(result.program == StackWinEvaluator.allocatesBasePointerProgram)
        #expect(result.registers == ["eip": 0x7c80_1000, "esp": 0x12f028, "ebp": 0xeb0])
    }

    @Test func fpoRecordThatLeavesEbpAlone() throws {
        // kernel32.sym: STACK WIN 0 dedf 70 3 0 8 c 0 0 0 0.
        let info = try #require(Self.kernel32.windowsFrameInfo(at: 0xdedf))
        #expect(info.type == .fpo)
        #expect(!info.allocatesBasePointer)
        #expect(Self.kernel32.parameterSize(at: 0xdedf) == 8)
        // Return address at esp + 4 + 0 + 0xc = 0x12f010; ebp and ebx carry through.
        let memory = TestMemory(start: 0x12f010, words: [0x7c80_2000], wordSize: 4)
        let result = try StackWinEvaluator.evaluate(
            info, registers: ["esp": 0x12f000, "ebp": 0x999, "ebx": 0xb], calleeParameterSize: 4,
            readMemory: memory.read)
        #expect(
            result.registers == ["eip": 0x7c80_2000, "esp": 0x12f014, "ebp": 0x999, "ebx": 0xb])
        // Without a known ebx, none is reported.
        let withoutEBX = try StackWinEvaluator.evaluate(
            info, registers: ["esp": 0x12f000, "ebp": 0x999], calleeParameterSize: 4,
            readMemory: memory.read)
        #expect(withoutEBX.registers["ebx"] == nil)
    }

    @Test func leftoverReturnAddressInTheContextFrameIsSkipped() throws {
        // A system call stub returned but its return address (== eip) is still on the stack.
        let info = WindowsFrameInfo(type: .fpo, rva: 0, codeSize: 0x10)
        let memory = TestMemory(start: 0x3000, words: [0x7c90_eb94, 0x7c80_0000], wordSize: 4)
        let registers: [String: UInt64] = ["esp": 0x3000, "ebp": 0x4000, "eip": 0x7c90_eb94]
        let context = try StackWinEvaluator.evaluate(
            info, registers: registers, calleeParameterSize: 0, isContextFrame: true,
            readMemory: memory.read)
        #expect(context.registers["eip"] == 0x7c80_0000)
        #expect(context.registers["esp"] == 0x3008)
        // Further up the stack the same layout is taken at face value.
        let caller = try StackWinEvaluator.evaluate(
            info, registers: registers, calleeParameterSize: 0, isContextFrame: false,
            readMemory: memory.read)
        #expect(caller.registers["eip"] == 0x7c90_eb94)
    }

    @Test func badProgramsFailWithAMessage() {
        let memory = TestMemory(start: 0, words: [1, 2, 3, 4], wordSize: 4)
        func evaluate(_ program: String, registers: [String: UInt64] = ["esp": 0, "ebp": 4])
            throws(UnwindRuleError) -> StackWinFrameResult
        {
            try StackWinEvaluator.evaluate(
                WindowsFrameInfo(type: .frameData, rva: 0, codeSize: 1, programString: program),
                registers: registers, calleeParameterSize: 0, readMemory: memory.read)
        }
        #expect(throws: UnwindRuleError.self) { try evaluate("$eip 4 =") }  // no $esp
        #expect(throws: UnwindRuleError.self) { try evaluate("$eip 4 = $esp 8 = 1") }  // leftover
        #expect(throws: UnwindRuleError.self) { try evaluate("$eip $nothing = $esp 8 =") }
        // Assignment needs a $-variable.
        #expect(throws: UnwindRuleError.self) { try evaluate("eip 4 = $esp 8 =") }
        #expect(throws: UnwindRuleError.self) { try evaluate("$eip 4 0 / = $esp 8 =") }
        #expect(throws: UnwindRuleError.self) { try evaluate("$eip 4000 ^ = $esp 8 =") }
        #expect(throws: UnwindRuleError.self) { try evaluate(String(repeating: "1 ", count: 500)) }
        #expect(throws: UnwindRuleError.self) {
            try evaluate("$eip 4 = $esp 8 =", registers: ["ebp": 0])
        }
        do {
            _ = try evaluate("$eip 4 =")
        } catch {
            #expect(error.message == "STACK WIN program ($eip 4 =) does not set both $eip and $esp")
        }
        // A valid program with literals and wrapping 32-bit arithmetic.
        let wrapped = try? evaluate("$eip 0 4 - = $esp $esp 4 - =")
        #expect(wrapped?.registers["eip"] == 0xffff_fffc)
        #expect(wrapped?.registers["esp"] == 0xffff_fffc)
    }
}
