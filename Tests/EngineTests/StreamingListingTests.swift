import Disassembly
import Foundation
import TestSupport
import Testing

@testable import Engine

/// `u` writes long listings a chunk at a time; the text must be what one listing would say.
@Suite struct StreamingListingTests {
    @Test(arguments: ["win-x86-xpsp2-breakpad-minidump2.dmp", "win-x64-win10-fastfail.dmp"])
    func aChunkedListingReadsLikeOneListing(dumpName: String) throws {
        let dump = DumpSession(dumpName)
        try #require(dump.isOpen)
        let count = UnassembleCommand.chunkSize * 2 + 100
        let (start, expected) = try dump.session.withState { state in
            let code = try #require(CodeView(state: state))
            let start = (state.currentRegisters?.instructionPointer ?? 0) &- 0x400
            let listing = code.disassembler.unassemble(
                at: start, count: count, read: code.read, symbolizer: code.symbolizer)
            return (start, listing.text)
        }
        let shown = dump.run("u \(String(start, radix: 16)) L0n\(count)")
        #expect(shown.count == expected.count)
        #expect(shown == expected)
    }

    /// One function longer than a chunk: its label appears once, not again at each chunk.
    @Test func aLongFunctionKeepsOneLabel() throws {
        let directory = NSTemporaryDirectory() + "xcdb-chunks-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let id = "11111111111111111111111111111111" + "1"
        let store = directory + "/big.pdb/\(id)"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try "MODULE windows x86_64 \(id) big.pdb\nFUNC 1000 4000 0 BigFunction\n".write(
            toFile: store + "/big.sym", atomically: true, encoding: .utf8)
        let target = FakeTarget(machine: .amd64)
        target.modules = [
            TargetModule(
                base: 0x40_0000, size: 0x10000, path: "C:\\app\\big.exe",
                debugRecord: .pdb70(
                    pdbName: "big.pdb", guid: [UInt8](repeating: 0x11, count: 16), age: 1))
        ]
        target.memory = [(0x40_1000, [UInt8](repeating: 0x90, count: 0x4000))]
        target.threads = [TargetThread(systemID: 1)]
        target.threadRegisters = [
            FakeTarget.x64Registers(rip: 0x40_1000, rsp: 0x1000, efl: 0x246)
        ]
        let harness = SessionHarness.with(target)
        harness.session.withState { $0.symbolPath = directory }
        let lines = harness.run("u 401000 L0n3000")
        #expect(lines.count == 3001)
        #expect(lines.first == "big!BigFunction:")
        #expect(lines.filter { $0.hasSuffix(":") }.count == 1)
    }
}
