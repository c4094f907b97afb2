import DumpFormat
import Foundation
import TestSupport
import Testing

/// Damaged and foreign files give one clear error, or open with what is intact plus warnings.
@Suite("Malformed input", .requires(.corpus))
struct MalformedTests {
    static let malformedDumps = Corpus.allDumps().filter { $0.hasPrefix("malformed-") }

    @Test(
        "every malformed corpus dump opens with warnings or fails clearly",
        arguments: malformedDumps)
    func corpusMalformed(name: String) throws {
        do {
            let dump = try Minidump(path: Corpus.dump(name))
            let problems = dump.checkAllStreams()
            // Each of these files is damaged somewhere: the reader must say so.
            #expect(!(problems + dump.warnings).isEmpty, "\(name): no error or warning")
            for message in problems + dump.warnings {
                #expect(
                    message.contains("0x") || message.contains("stream"),
                    "vague message: \(message)")
            }
        } catch {
            #expect(!error.message.isEmpty)
        }
    }

    @Test func directoryOutsideTheFile() throws {
        let dump = try Minidump(path: Corpus.dump("malformed-r2-fuzzed-npe-r.dmp"))
        #expect(dump.directory.isEmpty)
        #expect(dump.warnings.contains { $0.hasPrefix("stream directory at 0xffff00:") })
        #expect(throws: MinidumpError.self) { try dump.threads() }
    }

    @Test func memory64ListShorterThanItsCount() throws {
        let dump = try Minidump(path: Corpus.dump("malformed-r2-trunc-memory64.dmp"))
        let error = try #require(throws: MinidumpError.self) { try dump.memory64List() }
        #expect(error.kind == .malformed)
        #expect(
            error.message
                == "Memory64List stream at 0x2c: 1 entries of 16 bytes need 32 bytes, stream has 16"
        )
        #expect(dump.memory().ranges.isEmpty)
        #expect(dump.warnings.contains(error.message))
    }

    @Test func garbageDirectoryWarningsAreBounded() throws {
        let dump = try Minidump(path: Corpus.dump("malformed-r2-fuzzed-npe-w.dmp"))
        #expect(dump.warnings.count <= 18)
        #expect(dump.warnings.last?.contains("more damaged or duplicate entries") == true)
    }

    @Test func listCountLargerThanTheStream() throws {
        var bytes = Fixtures.amd64().build()
        let dump = try Minidump(bytes: bytes)
        let entry = try #require(dump.streams(.moduleList).first)
        let rva = Int(entry.location.rva)
        bytes[rva] = 4  // 3 modules → claim 4
        let damaged = try Minidump(bytes: bytes)
        let error = try #require(throws: MinidumpError.self) { try damaged.modules() }
        #expect(
            error.message
                == "ModuleList stream at 0x\(String(rva, radix: 16)): 4 entries of 108 bytes need 436 bytes, stream has 328"
        )
        #expect(error.offset == UInt64(rva))
        // The rest of the dump is still usable.
        #expect(try damaged.threads().count == 2)
        #expect(try damaged.systemInfo().architecture == .amd64)
    }

    @Test func truncatedFileKeepsWhatIsIntact() throws {
        var builder = Fixtures.amd64()
        builder.memory64 = [(0x2000_0000, .bytes(Array(repeating: 7, count: 8192)))]
        let full = builder.build()
        let truncated = Array(full.prefix(full.count - 4096))
        let dump = try Minidump(bytes: truncated)
        #expect(try dump.modules().count == 3)
        let memory = dump.memory()
        #expect(memory.read(at: 0x2000_0000, count: 4096) == Array(repeating: 7, count: 4096))
        #expect(memory.read(at: 0x2000_0000, count: 4097) == nil)
        #expect(dump.warnings.contains { $0.contains("only 4096 bytes are in the file") })
    }

    @Test func unreadableModuleNameIsAWarningNotAFailure() throws {
        var bytes = Fixtures.amd64().build()
        let dump = try Minidump(bytes: bytes)
        let module = try #require(try dump.modules().first)
        let rva = Int(module.raw.moduleNameRva)
        for (index, byte) in [0xff, 0xff, 0xff, 0x7f].enumerated() {
            bytes[rva + index] = UInt8(byte)
        }
        let damaged = try Minidump(bytes: bytes)
        let modules = try damaged.modules()
        #expect(modules.count == 3)
        #expect(modules[0].name == "")
        #expect(modules[1].name == #"C:\Windows\System32\ntdll.dll"#)
        #expect(
            damaged.warnings.contains { $0.contains("name of module 0") && $0.contains("limit") })
    }

    @Test func duplicateStreamsWarn() throws {
        var builder = Fixtures.x86()
        builder.rawStreams = [(.commentA, Array("one".utf8)), (.commentA, Array("two".utf8))]
        let dump = try Minidump(bytes: builder.build())
        #expect(try dump.commentA() == "one")
        #expect(dump.warnings.contains { $0.hasPrefix("duplicate CommentStreamA stream") })
    }

    @Test func contextTooShortForItsArchitecture() throws {
        var builder = Fixtures.amd64()
        builder.threads[1].context = Array(builder.threads[1].context.prefix(100))
        let dump = try Minidump(bytes: builder.build())
        let thread = try dump.threads()[1]
        let error = try #require(throws: MinidumpError.self) { try dump.context(of: thread) }
        #expect(
            error.message.contains("100-byte CPU context does not match any known layout for amd64")
        )
    }

    @Test(
        "foreign files are named",
        arguments: [
            ([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 56), "an ELF file"),
            ([0x4d, 0x5a, 0x90, 0] + Array(repeating: 0, count: 60), "a PE executable"),
            (Array("PAGEDU64".utf8) + Array(repeating: 0, count: 56), "Windows kernel dump"),
            ([1, 2, 3], "too short"),
            ([], "too short"),
            (Array(repeating: 0x41, count: 64), "first bytes are 0x41"),
        ] as [([UInt8], String)])
    func foreignFiles(bytes: [UInt8], expected: String) {
        let error = #expect(throws: MinidumpError.self) { try Minidump(bytes: bytes) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func headerAloneIsTooShort() {
        let bytes = Array("MDMP".utf8) + [0x93, 0xa7, 0, 0]
        let error = #expect(throws: MinidumpError.self) { try Minidump(bytes: bytes) }
        #expect(error?.kind == .malformed)
        #expect(error?.message.contains("the header needs 32") == true)
    }

    @Test func missingFilesAndDirectories() {
        let missing = #expect(throws: MinidumpError.self) {
            try Minidump(path: "/nonexistent/x.dmp")
        }
        #expect(missing?.kind == .io)
        #expect(missing?.message.contains("No such file") == true)
        let directory = #expect(throws: MinidumpError.self) { try Minidump(path: "/tmp") }
        #expect(directory?.message.contains("is a directory") == true)
    }
}
