import Disassembly
import Foundation
import TestSupport
import Testing

/// Real Windows and Linux code from the crash-dump corpus: the instructions at each dump's
/// faulting address must start where lldb (the oracle transcript) says they do, and decode to
/// the values llvm-objdump finds in the same bytes.
@Suite(.requires(.corpus)) struct CorpusCodeTests {
    static var dumpsWithCode: [String] {
        Corpus.allDumps().filter { name in
            guard let transcript = Corpus.oracleLLDB(for: name) else { return false }
            return !lldbInstructions(transcript).isEmpty
        }
    }

    @Test("instruction boundaries at the fault match lldb", arguments: dumpsWithCode)
    func boundaries(_ name: String) throws {
        let transcript = try #require(Corpus.oracleLLDB(for: name))
        let expected = lldbInstructions(transcript)
        let dump = try #require(MinidumpMemory(path: Corpus.dump(name)))
        let architecture: Architecture = dump.processorArchitecture == 9 ? .x64 : .x86
        #expect([0, 9].contains(dump.processorArchitecture))
        let disassembler = try Disassembler(architecture: architecture)
        let pc = try #require(expected.first?.address)
        let listing = disassembler.unassemble(at: pc, count: expected.count, read: dump.read)
        #expect(listing.instructions.map(\.address) == expected.map(\.address))
        for (ours, theirs) in zip(listing.instructions, expected) {
            #expect(ours.isValid)
            #expect(
                Self.sameMnemonic(ours.mnemonic, lldb: theirs.text),
                "\(ours.cdbLine) vs \(theirs.text)")
        }
    }

    @Test(
        "code at the fault decodes as llvm-objdump decodes it", .requires(Toolchain.peer),
        arguments: dumpsWithCode)
    func values(_ name: String) throws {
        let transcript = try #require(Corpus.oracleLLDB(for: name))
        let dump = try #require(MinidumpMemory(path: Corpus.dump(name)))
        let architecture: Architecture = dump.processorArchitecture == 9 ? .x64 : .x86
        let pc = try #require(lldbInstructions(transcript).first?.address)
        let bytes = dump.read(pc, 48)
        #expect(bytes.count >= 8)
        let disassembler = try Disassembler(architecture: architecture)
        let objdump = try CompiledCode.objdumpReading(
            of: bytes, is64Bit: architecture == .x64, base: pc)
        // Compare the instructions objdump decodes completely (the last may be cut off).
        let ours = disassembler.disassemble(bytes: bytes, address: pc)
        let complete = objdump.dropLast()
        #expect(complete.count >= 3)
        for (mine, theirs) in zip(ours, complete) {
            let difference = CrossCheck.compare(mine, theirs, base: pc)
            #expect(difference == nil, "\(name): \(difference ?? "")")
        }
    }

    /// lldb prints AT&T mnemonics (`movl`, `retq`, `int3`, `rep retq`); ours are CDB's.
    static func sameMnemonic(_ ours: String, lldb: String) -> Bool {
        let theirWords = lldb.split(separator: " ").map(String.init)
        let ourWords = ours.split(separator: " ").map(String.init)
        guard let theirs = theirWords.first(where: { !["rep", "lock"].contains($0) }),
            let mine = ourWords.last
        else { return false }
        if mine == theirs || (mine == "int" && theirs == "int3") { return true }
        let renamed = ["movsbq": "movsx", "movsbl": "movsx", "movzbl": "movzx", "movslq": "movsxd"]
        if renamed[theirs] == mine { return true }
        return theirs.count == mine.count + 1 && theirs.hasPrefix(mine)
            && "bwlq".contains(theirs.last ?? " ")
    }
}
