import Foundation
import TestSupport
import Testing

@testable import Emulation

/// The executive against its contracts: the ABI's service numbers, Unicorn's header.
@Suite struct ContractTests {
    /// `Guest/include/xcdb/syscalls.h` and the executive's service table list the same services
    /// with the same numbers.
    @Test func serviceTableMatchesTheHeader() throws {
        let header = Corpus.projectRoot.appendingPathComponent("Guest/include/xcdb/syscalls.h")
        let text = try String(contentsOf: header, encoding: .utf8)
        var declared: [String: UInt32] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 3, words[0] == "#define", words[1].hasPrefix("XCDB_SYSCALL_"),
                words[2].hasPrefix("0x"), let number = UInt32(words[2].dropFirst(2), radix: 16)
            else { continue }
            declared[String(words[1].dropFirst("XCDB_SYSCALL_".count))] = number
        }
        let served = Dictionary(
            uniqueKeysWithValues: Executive.serviceNumbers.map { ($0.name, $0.number) })
        #expect(!declared.isEmpty)
        #expect(declared == served)
    }

    /// The register ids and constants the binding hard-codes equal the installed header's.
    @Test func unicornConstantsMatchTheHeader() throws {
        let source = """
            #include <stdio.h>
            #include <unicorn/unicorn.h>
            #define P(x) printf("%s=%d\\n", #x, (int)(x));
            int main(void) {
            P(UC_X86_REG_RAX) P(UC_X86_REG_RBX) P(UC_X86_REG_RCX) P(UC_X86_REG_RDX) P(UC_X86_REG_RSI)
            P(UC_X86_REG_RDI) P(UC_X86_REG_RBP) P(UC_X86_REG_RSP) P(UC_X86_REG_RIP) P(UC_X86_REG_R8)
            P(UC_X86_REG_R15) P(UC_X86_REG_EFLAGS) P(UC_X86_REG_CS) P(UC_X86_REG_DS) P(UC_X86_REG_ES)
            P(UC_X86_REG_FS) P(UC_X86_REG_GS) P(UC_X86_REG_SS) P(UC_X86_REG_CR0) P(UC_X86_REG_CR2)
            P(UC_X86_REG_CR3) P(UC_X86_REG_CR4) P(UC_X86_REG_DR0) P(UC_X86_REG_DR7) P(UC_X86_REG_ST0)
            P(UC_X86_REG_ST7) P(UC_X86_REG_XMM0) P(UC_X86_REG_XMM15) P(UC_X86_REG_GDTR) P(UC_X86_REG_FPCW)
            P(UC_X86_REG_FPSW) P(UC_X86_REG_FPTAG) P(UC_X86_REG_MSR) P(UC_X86_REG_MXCSR)
            P(UC_X86_REG_FS_BASE) P(UC_X86_REG_GS_BASE) P(UC_X86_REG_FIP) P(UC_X86_REG_FDP) P(UC_X86_REG_FOP)
            P(UC_X86_INS_SYSCALL) P(UC_HOOK_INTR) P(UC_HOOK_CODE) P(UC_HOOK_BLOCK) P(UC_HOOK_MEM_READ)
            P(UC_HOOK_MEM_WRITE) P(UC_HOOK_MEM_UNMAPPED) P(UC_HOOK_MEM_PROT) P(UC_HOOK_INSN_INVALID)
            P(UC_CTL_WRITE(UC_CTL_UC_USE_EXITS, 1)) P(UC_CTL_WRITE(UC_CTL_UC_EXITS, 2))
            P(UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)) P(UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0))
            P(UC_ARCH_X86) P(UC_MODE_64)
            return 0; }
            """
        let folder = GuestBuild.output
        let file = folder + "/unicorn-constants.c"
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        let compile = Process()
        compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compile.arguments = ["cc", "-o", folder + "/unicorn-constants", file]
        try compile.run()
        compile.waitUntilExit()
        try #require(
            compile.terminationStatus == 0,
            "compiling against unicorn/unicorn.h failed (libunicorn-dev)")
        let run = Process()
        run.executableURL = URL(fileURLWithPath: folder + "/unicorn-constants")
        let pipe = Pipe()
        run.standardOutput = pipe
        try run.run()
        let output = String(
            decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        var values: [String: Int32] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.lastIndex(of: "="),
                let value = Int32(line[line.index(after: equals)...])
            else { continue }
            values[String(line[..<equals])] = value
        }
        let registers: [(String, UnicornRegister)] = [
            ("RAX", .rax), ("RBX", .rbx), ("RCX", .rcx), ("RDX", .rdx), ("RSI", .rsi),
            ("RDI", .rdi),
            ("RBP", .rbp), ("RSP", .rsp), ("RIP", .rip), ("R8", .r8), ("R15", .r15),
            ("EFLAGS", .eflags),
            ("CS", .cs), ("DS", .ds), ("ES", .es), ("FS", .fs), ("GS", .gs), ("SS", .ss),
            ("CR0", .cr0),
            ("CR2", .cr2), ("CR3", .cr3), ("CR4", .cr4), ("DR0", .dr0), ("DR7", .dr7),
            ("ST0", .st0),
            ("ST7", .st7), ("XMM0", .xmm0), ("XMM15", .xmm15), ("GDTR", .gdtr), ("FPCW", .fpcw),
            ("FPSW", .fpsw), ("FPTAG", .fptag), ("MSR", .msr), ("MXCSR", .mxcsr),
            ("FS_BASE", .fsBase),
            ("GS_BASE", .gsBase), ("FIP", .fip), ("FDP", .fdp), ("FOP", .fop),
        ]
        for (name, register) in registers {
            #expect(values["UC_X86_REG_" + name] == register.rawValue, "\(name)")
        }
        #expect(values["UC_X86_INS_SYSCALL"] == UnicornConstant.syscallInstruction)
        #expect(values["UC_HOOK_INTR"] == UnicornConstant.Hook.interrupt)
        #expect(values["UC_HOOK_CODE"] == UnicornConstant.Hook.code)
        #expect(values["UC_HOOK_BLOCK"] == UnicornConstant.Hook.block)
        #expect(values["UC_HOOK_MEM_READ"] == UnicornConstant.Hook.memoryRead)
        #expect(values["UC_HOOK_MEM_WRITE"] == UnicornConstant.Hook.memoryWrite)
        #expect(values["UC_HOOK_MEM_UNMAPPED"] == UnicornConstant.Hook.memoryUnmapped)
        #expect(values["UC_HOOK_MEM_PROT"] == UnicornConstant.Hook.memoryProtection)
        #expect(values["UC_HOOK_INSN_INVALID"] == UnicornConstant.Hook.invalidInstruction)
        #expect(values["UC_CTL_WRITE(UC_CTL_UC_USE_EXITS, 1)"] == UnicornConstant.Control.useExits)
        #expect(values["UC_CTL_WRITE(UC_CTL_UC_EXITS, 2)"] == UnicornConstant.Control.exits)
        #expect(
            values["UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)"] == UnicornConstant.Control.removeCache
        )
        #expect(
            values["UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0)"] == UnicornConstant.Control.flushTranslations)
        #expect(values["UC_ARCH_X86"] == UnicornConstant.archX86)
        #expect(values["UC_MODE_64"] == UnicornConstant.mode64)
    }
}
