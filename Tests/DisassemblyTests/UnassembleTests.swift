import Disassembly
import TestSupport
import Testing

/// `u`: labels, continuation, ranges, unreadable and truncated memory.
struct UnassembleTests {
    static let base: UInt64 = 0x7ff6_1a2b_1000
    // app!A: sub rsp,28h / xor eax,eax / add rsp,28h / ret / int 3
    // app!B: push rbx / sub rsp,20h / call app!A
    static let code = hex("4883ec28 33c0 4883c428 c3 cc 4053 4883ec20 e8e9ffffff")
    static let memory = FakeMemory([(base, code)])

    static func symbol(_ address: UInt64) -> String? {
        func named(_ name: String, _ start: UInt64) -> String {
            address == start ? name : name + "+0x" + String(address - start, radix: 16)
        }
        switch address {
        case base..<(base + 0xC): return named("app!A", base)
        case (base + 0xC)..<(base + 0x100): return named("app!B", base + 0xC)
        default: return nil
        }
    }

    @Test func labelsBeforeFirstLineAndNewSymbols() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let listing = disassembler.unassemble(
            at: Self.base, read: Self.memory.read, symbolizer: Self.symbol)
        #expect(
            listing.text == [
                "app!A:",
                "00007ff6`1a2b1000 4883ec28        sub     rsp,28h",
                "00007ff6`1a2b1004 33c0            xor     eax,eax",
                "00007ff6`1a2b1006 4883c428        add     rsp,28h",
                "00007ff6`1a2b100a c3              ret",
                "00007ff6`1a2b100b cc              int     3",
                "app!B:",
                "00007ff6`1a2b100c 4053            push    rbx",
                "00007ff6`1a2b100e 4883ec20        sub     rsp,20h",
                "00007ff6`1a2b1012 e8e9ffffff      call    app!A (00007ff6`1a2b1000)",
            ])
        #expect(listing.instructions.count == 8)
        #expect(listing.nextAddress == Self.base + 0x17)
    }

    @Test func startInsideASymbolAndContinue() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let first = disassembler.unassemble(
            at: Self.base + 4, count: 2, read: Self.memory.read, symbolizer: Self.symbol)
        #expect(
            first.text == [
                "app!A+0x4:",
                "00007ff6`1a2b1004 33c0            xor     eax,eax",
                "00007ff6`1a2b1006 4883c428        add     rsp,28h",
            ])
        let next = disassembler.unassemble(
            at: first.nextAddress, count: 1, read: Self.memory.read, symbolizer: Self.symbol)
        #expect(next.text == ["app!A+0xa:", "00007ff6`1a2b100a c3              ret"])
    }

    @Test func noSymbolsNoLabels() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let listing = disassembler.unassemble(at: Self.base, count: 2, read: Self.memory.read)
        #expect(
            listing.text == [
                "00007ff6`1a2b1000 4883ec28        sub     rsp,28h",
                "00007ff6`1a2b1004 33c0            xor     eax,eax",
            ])
    }

    @Test func rangeForm() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let listing = disassembler.unassemble(
            from: Self.base, to: Self.base + 0xC, read: Self.memory.read, symbolizer: Self.symbol)
        #expect(listing.instructions.map(\.address) == [0, 4, 6, 0xA, 0xB].map { Self.base + $0 })
        #expect(listing.nextAddress == Self.base + 0xC)
        let empty = disassembler.unassemble(from: Self.base, to: Self.base, read: Self.memory.read)
        #expect(empty.lines.isEmpty)
    }

    @Test func unreadableMemory() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let listing = disassembler.unassemble(
            at: Self.base + 0x12, count: 4, read: Self.memory.read, symbolizer: Self.symbol)
        #expect(
            listing.text == [
                "app!B+0x6:",
                "00007ff6`1a2b1012 e8e9ffffff      call    app!A (00007ff6`1a2b1000)",
                "00007ff6`1a2b1017 ??              ???",
                "00007ff6`1a2b1018 ??              ???",
                "00007ff6`1a2b1019 ??              ???",
            ])
        let x86 = try Disassembler(architecture: .x86)
        let nothing = x86.unassemble(at: 0, count: 2, read: { _, _ in [] })
        #expect(nothing.text == ["00000000 ??              ???", "00000001 ??              ???"])
        #expect(nothing.nextAddress == 2)
    }

    @Test func instructionCutOffByUnreadableMemory() throws {
        let disassembler = try Disassembler(architecture: .x64)
        let memory = FakeMemory([(0x1000, hex("90 488b"))])
        let listing = disassembler.unassemble(at: 0x1000, count: 4, read: memory.read)
        #expect(
            listing.text == [
                "00000000`00001000 90              nop",
                "00000000`00001001 48              ???",
                "00000000`00001002 8b              ???",
                "00000000`00001003 ??              ???",
            ])
    }

    /// Instructions that straddle the read-ahead chunks, and memory split into adjacent
    /// regions, decode exactly as one contiguous buffer does.
    @Test(.requires(Toolchain.peer)) func longRunsMatchContiguousDecoding() throws {
        let samples = try compiledSamples.get()
        for sample in samples {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let whole = disassembler.disassemble(bytes: sample.text, address: sample.base)
            // Split the code into 7-byte regions: every instruction longer than that crosses one.
            var regions: [(UInt64, [UInt8])] = []
            var offset = 0
            while offset < sample.text.count {
                let end = min(sample.text.count, offset + 7)
                regions.append((sample.base + UInt64(offset), Array(sample.text[offset..<end])))
                offset = end
            }
            let split = FakeMemory(regions)
            let listing = disassembler.unassemble(
                at: sample.base, count: whole.count, read: split.read)
            #expect(listing.instructions == whole, "\(sample.name)")
        }
    }

    @Test func hostileReadersCannotBreakDecoding() throws {
        let disassembler = try Disassembler(architecture: .x64)
        // A reader that returns more than asked is cut to the request.
        let greedy = disassembler.unassemble(at: 0, count: 3) { _, count in
            [UInt8](repeating: 0x90, count: count + 100)
        }
        #expect(greedy.instructions.count == 3)
        #expect(greedy.instructions.allSatisfy { $0.mnemonic == "nop" })
        // Addresses wrap at the top of the address space instead of trapping.
        let top = disassembler.unassemble(at: UInt64.max - 1, count: 4) { _, count in
            [UInt8](repeating: 0x90, count: count)
        }
        #expect(top.instructions.map(\.address) == [UInt64.max - 1, UInt64.max, 0, 1])
    }

    /// The lines after `r` / in `FAULTING_IP`, from cdb-console.md §2 and §6.
    @Test func currentInstruction() throws {
        let x64 = try Disassembler(architecture: .x64)
        let memory = FakeMemory([(0x7ffe_37b2_07a0, hex("cc")), (0x1000, hex("8b08"))])
        let symbols: Symbolizer = {
            $0 == 0x7ffe_37b2_07a0 ? "ntdll!LdrpDoDebuggerBreak+0x30" : nil
        }
        #expect(
            x64.currentInstructionLines(
                at: 0x7ffe_37b2_07a0, read: memory.read, symbolizer: symbols)
                == [
                    "ntdll!LdrpDoDebuggerBreak+0x30:",
                    "00007ffe`37b207a0 cc              int     3",
                ])
        let registers: [String: UInt64] = ["rax": 0]
        #expect(
            x64.currentInstructionLines(
                at: 0x1000, read: memory.read, readRegister: { registers[$0] })
                == [
                    "00000000`00001000 8b08            mov     ecx,dword ptr [rax] ds:00000000`00000000=????????"
                ])
        #expect(
            x64.currentInstructionLines(at: 0x2000, read: memory.read)
                == ["00000000`00002000 ??              ???"])
    }

    @Test func hugeCountsAreClamped() throws {
        let x64 = try Disassembler(architecture: .x64)
        let nops: MemoryReader = { _, count in [UInt8](repeating: 0x90, count: count) }
        let listing = x64.unassemble(at: 0, count: Int.max, read: nops)
        #expect(listing.instructions.count == Disassembler.maximumListingCount)
        let range = x64.unassemble(from: 0, to: .max, read: nops)
        #expect(range.instructions.count == Disassembler.maximumListingCount)
    }
}
