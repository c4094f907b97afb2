import Foundation
import TestSupport
import Testing

@testable import Symbols

/// Identifiers computed from the raw CodeView bytes of corpus dumps, compared with the
/// symbol store's directory names and with Breakpad's `minidump_stackwalk -m` output.
@Suite struct DebugIdentifierTests {
    struct CodeViewPDB70 {
        var guid: [UInt8]
        var age: UInt32
        var pdbName: String
    }

    /// `RSDS` + GUID (16) + age (4) + NUL-terminated PDB path.
    static func pdb70(_ bytes: [UInt8]) -> CodeViewPDB70? {
        guard bytes.count >= 25, Array(bytes[0..<4]) == Array("RSDS".utf8) else { return nil }
        let age = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[20 + $1]) << (8 * $1) }
        let name = bytes[24...].prefix { $0 != 0 }
        return CodeViewPDB70(
            guid: Array(bytes[4..<20]), age: age, pdbName: String(decoding: name, as: UTF8.self))
    }

    /// Directory names under `symbols/<debug file>/`.
    static func storeIdentifiers(for debugFile: String) -> [String] {
        let directory = Corpus.symbols.appendingPathComponent(debugFile).path
        return (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    @Test func windowsModulesMatchBreakpadStackwalk() throws {
        let dump = try MinidumpBytes(path: Corpus.dump("win-x86-xpsp2-breakpad-minidump2.dmp"))
        let machine = try String(
            contentsOf: Corpus.companions.appendingPathComponent(
                "win-x86-xpsp2-breakpad-minidump2.breakpad-stackwalk-machine-readable.out"),
            encoding: .utf8)
        var expected: [String: (file: String, id: String)] = [:]
        for line in machine.split(separator: "\n") where line.hasPrefix("Module|") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            expected[String(fields[1]).lowercased()] = (String(fields[3]), String(fields[4]))
        }
        let modules = try dump.modules()
        #expect(modules.count == 13)
        for module in modules {
            let record = try #require(Self.pdb70(module.codeView), "\(module.name)")
            let id = try #require(DebugIdentifier.codeView(guid: record.guid, age: record.age))
            let codeFile = SymbolFileLocator.fileBaseName(module.name).lowercased()
            let reference = try #require(expected[codeFile], "\(codeFile)")
            #expect(id == reference.id, "\(codeFile)")
            #expect(SymbolFileLocator.fileBaseName(record.pdbName) == reference.file)
        }
    }

    @Test func windowsIdentifiersNameTheStoreDirectories() throws {
        let dump = try MinidumpBytes(path: Corpus.dump("win-x86-xpsp2-breakpad-minidump2.dmp"))
        var found = 0
        for module in try dump.modules() {
            let record = try #require(Self.pdb70(module.codeView))
            let debugFile = SymbolFileLocator.fileBaseName(record.pdbName)
            let stored = Self.storeIdentifiers(for: debugFile)
            guard !stored.isEmpty else { continue }
            #expect(stored == [DebugIdentifier.codeView(guid: record.guid, age: record.age)])
            found += 1
        }
        #expect(found == 2)  // test_app.pdb and kernel32.pdb
    }

    @Test func linuxBuildIDsNameTheStoreDirectories() throws {
        // This Breakpad-written dump stores ELF build ids in PDB 7.0 records with age 0.
        let dump = try MinidumpBytes(path: Corpus.dump("linux-x64-breakpad-null-read-av.dmp"))
        var found = 0
        for module in try dump.modules() {
            let record = try #require(Self.pdb70(module.codeView))
            let debugFile = SymbolFileLocator.fileBaseName(module.name)
            let stored = Self.storeIdentifiers(for: debugFile)
            guard !stored.isEmpty else { continue }
            #expect(stored == [DebugIdentifier.elf(buildID: record.guid)], "\(debugFile)")
            #expect(stored == [DebugIdentifier.codeView(guid: record.guid, age: 0)])
            found += 1
        }
        #expect(found == 4)  // null_read_av, libc-2.13.so, libgcc_s.so.1, ld-2.13.so
    }

    @Test func elfCodeViewRecordOfACrashpadDump() throws {
        // Crashpad writes `BpEL` + the whole build id; linux_inline's build id is 8 bytes.
        let dump = try MinidumpBytes(path: Corpus.dump("linux-x64-crashpad-inline.dmp"))
        let module = try #require(try dump.modules().first { $0.name.hasSuffix("/linux_inline") })
        #expect(Array(module.codeView.prefix(4)) == Array("LEpB".utf8))
        let buildID = Array(module.codeView.dropFirst(4))
        #expect(buildID.count == 8)
        let id = DebugIdentifier.elf(buildID: buildID)
        #expect(Self.storeIdentifiers(for: "linux_inline") == [id])
        let symbols = BreakpadSymbolSource(
            path: Corpus.symbols.appendingPathComponent("linux_inline/\(id)/linux_inline.new.sym")
                .path)
        #expect(
            try symbols.load().codeIdentifier == DebugIdentifier.elfCodeIdentifier(buildID: buildID)
        )
        #expect(symbols.moduleRecord?.identifier == id)
    }

    @Test func formats() {
        let guid: [UInt8] = [
            0xe5, 0x32, 0x98, 0x5a, 0x72, 0x28, 0xc1, 0x41, 0x83, 0x8e, 0xd9, 0x89, 0x14, 0xe9,
            0xb7, 0xff,
        ]
        #expect(DebugIdentifier.codeView(guid: guid, age: 1) == "5A9832E5287241C1838ED98914E9B7FF1")
        // Breakpad prints the age with %x.
        #expect(
            DebugIdentifier.codeView(guid: guid, age: 0x1a) == "5A9832E5287241C1838ED98914E9B7FF1a")
        #expect(DebugIdentifier.codeView(guid: guid.dropLast(), age: 1) == nil)
        #expect(DebugIdentifier.pdb20(signature: 0x3C2A_1B0F, age: 2) == "3C2A1B0F2")
        #expect(DebugIdentifier.pdb20(signature: 0xF, age: 0) == "0000000F0")
        #expect(
            DebugIdentifier.elf(buildID: [0x10, 0xfa]) == "0000FA10000000000000000000000000" + "0")
        #expect(DebugIdentifier.elf(buildID: Array(repeating: 0xab, count: 20)).count == 33)
        #expect(DebugIdentifier.elfCodeIdentifier(buildID: [0x10, 0xfa, 0x0b]) == "10FA0B")
        #expect(
            DebugIdentifier.peCodeIdentifier(timeDateStamp: 0x44ab_9a84, sizeOfImage: 0xf4000)
                == "44AB9A84f4000")
    }
}
