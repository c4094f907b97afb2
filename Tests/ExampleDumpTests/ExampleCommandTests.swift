import ExampleDump
import Foundation
import Testing

/// The commands a person runs on the example dump, through xcdb's real session and command
/// table, checked against what the emulator saw (its call trace, registers and memory) rather
/// than against xcdb itself.
@Suite(.requires(Example.unicorn))
struct ExampleCommandTests {
    /// One `k` line: `00 000000d2`1acffe40 00000001`4000122b     crashdemo!f+0x14 ...`.
    struct FrameLine {
        var number: Int
        var childSP: UInt64
        var returnAddress: UInt64
        var callSite: String
        var trust: String

        init?(_ line: String) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, let number = Int(fields[0], radix: 16),
                let childSP = Example.number(fields[1]),
                let returnAddress = Example.number(fields[2])
            else { return nil }
            self.number = number
            self.childSP = childSP
            self.returnAddress = returnAddress
            // `kb`/`kv` put the arguments between " : " marks; the call site comes after them.
            let site =
                line.contains(" : ")
                ? (line.components(separatedBy: " : ").last ?? "").split(separator: " ")
                : Array(fields.dropFirst(3))
            callSite = site.first.map(String.init) ?? ""
            trust = site.dropFirst().joined(separator: " ")
        }
    }

    func withSession(
        symbols: Bool = true, _ body: (ExampleSession, ExampleCrash) throws -> Void
    ) throws {
        let crash = try Example.crash()
        try Example.withDumpFile { path in
            let session = ExampleSession(
                dump: path, symbolPath: symbols ? Example.symbolStore : nil)
            try #require(session.isOpen, "\(session.openLines)")
            try body(session, crash)
        }
    }

    @Test func opensWithItsComment() throws {
        try withSession { session, _ in
            #expect(session.openLines.contains("Comment: '\(ExampleCrash.comment)'"))
            #expect(session.openLines.contains { $0.contains("Windows 10 Version 19045") })
            #expect(
                session.openLines.contains {
                    $0.hasPrefix("(2a8c.3d14): Access violation - code c0000005")
                })
        }
    }

    /// `k` finds exactly the frames the emulator saw called, every caller from unwind info.
    @Test func stackIsTheTracedCallChain() throws {
        try withSession { session, crash in
            let symbols = try ExampleSymbols()
            let frames = session.run("kv").dropFirst().compactMap(FrameLine.init)
            let calls = Array(crash.calls.reversed())  // innermost first, as `k` lists frames
            try #require(frames.count == calls.count + 1, "\(session.run("kv"))")

            #expect(frames.map(\.number) == Array(0..<frames.count))
            #expect(frames[0].childSP == crash.stack.address)
            #expect(frames[0].trust == "(context)")
            let fault = try #require(
                symbols.function(at: crash.fault.instructionAddress, base: crash.module.base))
            #expect(
                frames[0].callSite == "crashdemo!\(fault.name)+0x\(String(fault.offset, radix: 16))"
            )
            for (index, call) in calls.enumerated() {
                let frame = frames[index + 1]
                // The callee's return address is this frame's instruction pointer.
                #expect(frames[index].returnAddress == call.returnAddress)
                #expect(frame.childSP == call.callerStackPointer)
                let caller = try #require(
                    symbols.function(at: call.returnAddress - 1, base: crash.module.base))
                let offset =
                    call.returnAddress - crash.module.base
                    - UInt64(
                        try #require(symbols.functions.first { $0.name == caller.name }).rva)
                #expect(frame.callSite == "crashdemo!\(caller.name)+0x\(String(offset, radix: 16))")
                #expect(frame.trust == "(unwind info)", "frame \(index + 1): \(frame.trust)")
            }
            #expect(frames.last?.returnAddress == 0)
            #expect(
                frames.map {
                    String($0.callSite.dropFirst("crashdemo!".count).prefix { $0 != "+" })
                }
                    == Example.expectedChain)
        }
    }

    /// Without symbols the same frames are found (unwinding needs only the image's .pdata).
    @Test func stackNeedsNoSymbols() throws {
        try withSession(symbols: false) { session, crash in
            let frames = session.run("k").dropFirst().compactMap(FrameLine.init)
            #expect(
                Array(frames.map(\.childSP).dropFirst())
                    == crash.calls.reversed().map(\.callerStackPointer))
            #expect(frames.allSatisfy { $0.callSite.hasPrefix("crashdemo+0x") })
            #expect(!session.run("k").contains { $0.contains("[scan]") })
        }
    }

    /// `.ecxr` and `r` show the faulting instruction with the address it writes.
    @Test func registersShowTheFaultingInstruction() throws {
        try withSession { session, crash in
            #expect(session.run(".ecxr").contains { $0.hasPrefix("rax=0000000000000000") })
            let lines = session.run("r")
            let rip = try #require(crash.registers["rip"].map { UInt64($0) })
            #expect(
                lines.contains { $0.contains("rip=\(Example.split64(rip).filter { $0 != "`" })") })
            #expect(lines.contains("crashdemo!reserve_stock+0x14:"))
            let instruction = try #require(lines.last)
            #expect(instruction.hasPrefix(Example.split64(rip) + " "))
            #expect(instruction.contains("mov     dword ptr [rax+0Ch],"))
            #expect(instruction.hasSuffix("ds:\(Example.split64(crash.fault.address))=????????"))
        }
    }

    @Test func analyzeBlamesTheNullWriteInReserveStock() throws {
        try withSession { session, crash in
            let lines = session.run("!analyze -v")
            let bucket = "NULL_POINTER_WRITE_c0000005_crashdemo.exe!reserve_stock"
            #expect(lines.contains("FAILURE_BUCKET_ID:  \(bucket)"))
            #expect(lines.contains("WRITE_ADDRESS:  \(Example.split64(crash.fault.address))"))
            #expect(lines.contains("SYMBOL_NAME:  crashdemo!reserve_stock+0x14"))
            #expect(
                lines.contains(
                    "Attempt to write to address \(Example.split64(crash.fault.address))"))
            #expect(lines.contains("FAULTING_THREAD:  00003d14"))
        }
    }

    @Test func unassemblesFromTheFault() throws {
        try withSession { session, crash in
            let lines = session.run("u")
            #expect(lines.first == "crashdemo!reserve_stock+0x14:")
            #expect(
                lines.dropFirst().first?.hasPrefix(Example.split64(crash.fault.instructionAddress))
                    == true)
            // Just before the fault: the call that returned the NULL.
            let before = session.run("ub")
            #expect(before.contains { $0.contains("call    crashdemo!find_item (") }, "\(before)")
            let last = try #require(before.last?.split(separator: " ").first)
            #expect(Example.number(last).map { $0 < crash.fault.instructionAddress } == true)
        }
    }

    @Test func listsTheModuleAndThread() throws {
        try withSession { session, crash in
            let module = try #require(
                session.run("lm").first { $0.hasPrefix(Example.split64(crash.module.base)) })
            let end = crash.module.base + UInt64(crash.module.size)
            #expect(
                module.hasPrefix(
                    "\(Example.split64(crash.module.base)) \(Example.split64(end))   crashdemo "))
            let verbose = session.run("lmv m crashdemo")
            #expect(verbose.contains { $0.contains("Image path: \(crash.process.imagePath)") })
            #expect(verbose.contains { $0.contains("File version:") && $0.contains("1.0.0.0") })

            let teb = Example.split64(crash.process.tebAddress)
            #expect(session.run("~") == [".  0  Id: 2a8c.3d14 Suspend: 0 Teb: \(teb) Unfrozen"])
            let tebLines = session.run("!teb")
            #expect(tebLines.contains { $0.hasSuffix(String(crash.process.stackBase, radix: 16)) })
            let peb = session.run("!peb")
            #expect(peb.contains("    ImageFile:    '\(crash.process.imagePath)'"))
        }
    }

    /// `dq @rsp` shows the stack bytes the emulator left.
    @Test func dumpsTheStack() throws {
        try withSession { session, crash in
            let lines = session.run("dq @rsp")
            #expect(lines.count == 8)
            for (row, line) in lines.enumerated() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                try #require(fields.count == 3, "\(line)")
                #expect(Example.number(fields[0]) == crash.stack.address + UInt64(row * 16))
                for column in 0..<2 {
                    let offset = row * 16 + column * 8
                    let expected = crash.stack.bytes[offset..<offset + 8].reversed().reduce(
                        UInt64(0)
                    ) { $0 << 8 | UInt64($1) }
                    #expect(Example.number(fields[1 + column]) == expected)
                }
            }
        }
    }

    /// `!address` names the thread's stack allocation (reserve, guard page and committed part)
    /// and the TEB, from the dump's memory-info list and thread list.
    @Test func addressNamesStackAndTEB() throws {
        try withSession { session, crash in
            let stack = session.run("!address @rsp")
            #expect(stack.first == "Usage:                  Stack [0; 3d14]")
            let teb = session.run("!address @$teb")
            #expect(teb.first == "Usage:                  TEB")
            let all = session.run("!address")
            let stackRows = all.filter { $0.hasSuffix("Stack [0; 3d14]") }
            #expect(stackRows.count >= 2, "\(all)")
            _ = crash
        }
    }

    /// `.lines` adds the source file and line to every symbolized frame.
    @Test func sourceLinesInTheStack() throws {
        try withSession { session, _ in
            #expect(session.run(".lines -e") == ["Line number information will be loaded"])
            let frames = session.run("k").dropFirst()
            #expect(
                frames.first?.hasSuffix("[Examples/crashdemo/crashdemo.c @ 86]") == true,
                "\(frames)")
            #expect(frames.allSatisfy { $0.contains("crashdemo.c @ ") })
        }
    }

    /// `lmv` reads the version resource of the image in the dump.
    @Test func verboseModuleShowsTheVersionResource() throws {
        try withSession { session, _ in
            let lines = session.run("lmvm crashdemo")
            let image = try Example.image()
            let info = try #require(try image.versionInfo())
            #expect(lines.contains("    Information from resource tables:"))
            for (key, value) in info.stringTables.first?.strings ?? [] {
                #expect(
                    lines.contains(
                        "        " + (key + ":").padding(toLength: 18, withPad: " ", startingAt: 0)
                            + value))
            }
        }
    }

    /// `$ra` is the current frame's return address as the stack walker finds it (not simply
    /// the value at the stack pointer, which in `reserve_stock` is a saved register).
    @Test func returnAddressPseudoRegister() throws {
        try withSession { session, crash in
            let expected = try #require(crash.calls.last?.returnAddress)
            let shown = session.run("? @$ra").first ?? ""
            let value = shown.components(separatedBy: " = ").last.map { Example.number($0[...]) }
            #expect(value == expected, "\(shown)")
        }
    }
}
