import Foundation
import PEFormat
import TestSupport
import Testing

@testable import Unwind

/// Real crash dumps from the shared corpus, read with a minimal fixture parser.
@Suite(.requires(.corpus)) struct CorpusStackTests {
    /// Breakpad's own stack for this dump (`minidump_stackwalk`, with symbols: "Found by: call
    /// frame info") lists eip/esp/ebp per frame; without any symbols the EBP chain must reach
    /// the same frames.
    @Test func x86BreakpadDumpMatchesBreakpadStackwalk() throws {
        let name = "win-x86-xpsp2-breakpad-minidump2"
        let dump = try MinidumpFixture(path: Corpus.dump(name + ".dmp"))
        let reference = try String(
            contentsOfFile: Corpus.companions.appendingPathComponent(
                name + ".breakpad-stackwalk.out"
            ).path,
            encoding: .utf8)
        // "    eip = 0x0040429e   esp = 0x0012fe84   ebp = 0x0012fe88   ebx = ..."
        let expected: [(eip: UInt64, esp: UInt64, ebp: UInt64)] = reference.split(separator: "\n")
            .compactMap {
                line in
                let fields = line.split(separator: " ").map(String.init)
                func value(_ key: String) -> UInt64? {
                    guard let index = fields.firstIndex(of: key), index + 2 < fields.count else {
                        return nil
                    }
                    return UInt64(fields[index + 2].dropFirst(2), radix: 16)
                }
                guard let eip = value("eip"), let esp = value("esp"), let ebp = value("ebp") else {
                    return nil
                }
                return (eip, esp, ebp)
            }
        #expect(expected.count == 4)

        let context = dump.exceptionContext
        func field(_ offset: Int) -> UInt64 {
            UInt64(
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(context[offset + $1]) << (8 * UInt32($1)) })
        }
        var registers = RegisterContext(architecture: .x86)
        registers[X86Register.edi] = field(156)
        registers[X86Register.esi] = field(160)
        registers[X86Register.ebx] = field(164)
        registers[X86Register.ebp] = field(180)
        registers[X86Register.eip] = field(184)
        registers[X86Register.esp] = field(196)
        let modules = UnwindModuleList(
            dump.modules.map { UnwindModule(base: $0.base, size: $0.size) })
        let walk = StackWalker(architecture: .x86, memory: dump.memory, modules: modules).walk(
            from: registers)
        #expect(walk.frames.count == expected.count)
        for (frame, want) in zip(walk.frames, expected) {
            #expect(frame.instructionPointer == want.eip)
            #expect(frame.stackPointer == want.esp)
            #expect(frame.framePointer == want.ebp)
        }
        #expect(walk.frames.dropFirst().allSatisfy { $0.trust == .framePointer })
        #expect(walk.stopReason == .endOfStack)
    }

    /// The FunctionTable stream of a Windows x64 dump (V8's JIT code): its RUNTIME_FUNCTION
    /// entries load into an `X64FunctionTable`, sorted and searchable.
    @Test func functionTableStreamEntries() throws {
        let dump = try MinidumpFixture(
            path: Corpus.dump("win-x64-win10-electron-functiontable.dmp"))
        let stream = try #require(dump.streams[13])
        let headerSize = Int(dump.u32(stream.offset))
        let descriptorSize = Int(dump.u32(stream.offset + 4))
        let nativeSize = Int(dump.u32(stream.offset + 8))
        let entrySize = Int(dump.u32(stream.offset + 12))
        let descriptors = Int(dump.u32(stream.offset + 16))
        let headerPad = Int(dump.u32(stream.offset + 20))
        #expect(entrySize == 12)
        var cursor = stream.offset + headerSize + headerPad
        var checked = 0
        for _ in 0..<descriptors {
            let minimum = dump.u64(cursor)
            let maximum = dump.u64(cursor + 8)
            let base = dump.u64(cursor + 16)
            let count = Int(dump.u32(cursor + 24))
            let pad = Int(dump.u32(cursor + 28))
            let entriesStart = cursor + descriptorSize + nativeSize
            let table = X64FunctionTable(
                bytes: Array(dump.bytes[entriesStart..<entriesStart + count * entrySize]))
            #expect(table.count == count)
            let entries = table.allEntries()
            for entry in entries {
                #expect(base + UInt64(entry.beginAddress) >= minimum)
                #expect(base + UInt64(entry.endAddress) <= maximum)
                #expect(table.lookup(rva: entry.beginAddress) == entry)
                #expect(table.lookup(rva: entry.endAddress - 1) == entry)
            }
            checked += entries.count
            cursor = entriesStart + count * entrySize + pad
        }
        #expect(checked > 0)
    }
}

/// The x86 Windows dumps walked without symbols, compared with lldb-19's `bt` on the same
/// dumps (the oracle transcripts): lldb also unwinds these by the EBP chain.
@Suite(.requires(.corpus)) struct CorpusLLDBComparisonTests {
    static let dumps = [
        "win-x86-win7-null-read-av", "win-x86-win7-null-write-av", "win-x86-win7-read-av-non-null",
        "win-x86-win7-ascii-read-av", "win-x86-win7-exec-av-on-stack",
        "win-x86-win7sp1-lldb-fizzbuzz-threadinfo",
        "win-x86-xpsp2-breakpad-minidump2",
    ]

    /// `frame #N: 0x0090a6cd crashme.exe` lines of the transcript's `bt`.
    static func lldbFrames(_ transcript: String) -> [UInt64] {
        guard let start = transcript.range(of: "(lldb) bt") else { return [] }
        return transcript[start.upperBound...].split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "frame #") else { return nil }
            let rest = line[range.upperBound...].split(separator: " ")
            guard rest.count >= 2, rest[1].hasPrefix("0x") else { return nil }
            return UInt64(rest[1].dropFirst(2), radix: 16)
        }
    }

    @Test(arguments: dumps)
    func x86WalkMatchesLLDB(name: String) throws {
        let transcript = try #require(Corpus.oracleLLDB(for: name + ".dmp"))
        let expected = Self.lldbFrames(transcript)
        #expect(expected.count >= 1)
        let dump = try MinidumpFixture(path: Corpus.dump(name + ".dmp"))
        let context = dump.exceptionContext
        try #require(context.count >= 200)
        func field(_ offset: Int) -> UInt64 {
            UInt64(
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(context[offset + $1]) << (8 * UInt32($1)) })
        }
        var registers = RegisterContext(architecture: .x86)
        registers[X86Register.edi] = field(156)
        registers[X86Register.esi] = field(160)
        registers[X86Register.ebx] = field(164)
        registers[X86Register.ebp] = field(180)
        registers[X86Register.eip] = field(184)
        registers[X86Register.esp] = field(196)
        let modules = UnwindModuleList(
            dump.modules.map { UnwindModule(base: $0.base, size: $0.size) })
        let walk = StackWalker(architecture: .x86, memory: dump.memory, modules: modules).walk(
            from: registers)
        var ours = walk.frames.map(\.instructionPointer)
        if name == "win-x86-win7-exec-av-on-stack" {
            // EIP is in a stack buffer the program called into. lldb follows EBP and skips the
            // caller; we take the return address the call left at [ESP], inside crashme1.exe,
            // and then agree with lldb again.
            #expect(ours.count == expected.count + 1)
            let caller = ours.remove(at: 1)
            #expect(caller == dump.memory.readUInt32(at: field(196)).map(UInt64.init))
            #expect(
                dump.modules.first.map { caller >= $0.base && caller < $0.base + $0.size } == true)
            #expect(walk.frames[1].registers[X86Register.ebx] == field(164))
        }
        #expect(ours == expected, "\(name)")
    }
}
