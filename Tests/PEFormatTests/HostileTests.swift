import Foundation
import PEFormat
import TestSupport
import Testing

/// Corrupt and hostile images give errors, never crashes, hangs or huge allocations.
@Suite struct HostileTests {
    /// Writes a little-endian 32-bit value into a byte array.
    static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8((value >> (8 * UInt32(index))) & 0xFF) }
    }

    @Test func notAPEImage() {
        #expect(throws: PEError.notAPEImage) {
            try PEImage(
                source: ArrayByteSource([UInt8](repeating: 0x41, count: 512)), layout: .file)
        }
        #expect(throws: PEError.self) {
            try PEImage(source: ArrayByteSource([0x4D, 0x5A]), layout: .file)
        }
        #expect(throws: PEError.self) { try PEImage(contentsOfFile: "/nonexistent/file.dll") }
    }

    @Test func implausibleHeaderFields() throws {
        let original = try ExampleImages.bytes("exports-x64.dll")
        var bytes = original
        Self.put32(&bytes, 0x3C, 0xFFFF_FFF0)
        #expect(throws: PEError.implausible(what: "e_lfanew", value: 0xFFFF_FFF0)) {
            try PEImage(source: ArrayByteSource(bytes), layout: .file)
        }
        bytes = original
        let lfanew = Int(original[0x3C]) | Int(original[0x3D]) << 8
        bytes[lfanew] = 0x4E
        #expect(throws: PEError.badNTSignature(offset: UInt64(lfanew))) {
            try PEImage(source: ArrayByteSource(bytes), layout: .file)
        }
        // 65535 sections: the table is past the end of the file.
        bytes = original
        bytes[lfanew + 6] = 0xFF
        bytes[lfanew + 7] = 0xFF
        #expect(throws: PEError.self) { try PEImage(source: ArrayByteSource(bytes), layout: .file) }
    }

    @Test func hugeExportCountIsRefused() throws {
        let original = try ExampleImages.bytes("exports-x64.dll")
        let image = try PEImage(source: ArrayByteSource(original), layout: .file)
        let directory = try #require(image.dataDirectory(.export))
        let section = try #require(image.section(containing: directory.virtualAddress))
        let fileOffset = Int(
            section.pointerToRawData + directory.virtualAddress - section.virtualAddress)
        var bytes = original
        Self.put32(&bytes, fileOffset + 20, 0xFFFF_FFFF)
        let hostile = try PEImage(source: ArrayByteSource(bytes), layout: .file)
        #expect(throws: PEError.implausible(what: "export function count", value: 0xFFFF_FFFF)) {
            try hostile.exports()
        }
        bytes = original
        Self.put32(&bytes, fileOffset + 28, 0xFFFF_FFF0)  // AddressOfFunctions far outside
        #expect(throws: PEError.self) {
            try PEImage(source: ArrayByteSource(bytes), layout: .file).exports()
        }
    }

    @Test func hugeUnwindInfoCountsStayInBounds() throws {
        // CountOfCodes 255 with only a few bytes present: truncated, not a crash.
        #expect(throws: PEError.self) {
            try X64UnwindInfo(bytes: [0x01, 0x00, 0xFF, 0x00, 0x01, 0x00])
        }
        // ALLOC_LARGE claiming slots past the end of the array.
        #expect(throws: PEError.self) {
            try X64UnwindInfo(bytes: [0x01, 0x04, 0x01, 0x00, 0x04, 0x11])
        }
        // Version 3 is unknown.
        #expect(throws: PEError.self) { try X64UnwindInfo(bytes: [0x03, 0x00, 0x00, 0x00]) }
        // A chained entry whose RUNTIME_FUNCTION is cut off.
        #expect(throws: PEError.self) { try X64UnwindInfo(bytes: [0x21, 0x00, 0x00, 0x00, 0x01]) }
        let empty = X64FunctionTable(bytes: [1, 2, 3])
        #expect(empty.count == 0)
        #expect(empty.lookup(rva: 0) == nil)
    }

    /// Random corruption of real images: every parser entry point runs, none may trap.
    @Test func randomCorruptionNeverCrashes() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for name in [
            "exports-x64.dll", "exports-x86.dll", "exports-arm64.dll", "importer-x64.dll",
            "x64unwind.dll",
        ] {
            let original = try ExampleImages.bytes(name)
            for round in 0..<100 {
                var bytes = original
                let flips = 1 + Int(generator.next() % 24)
                for _ in 0..<flips {
                    // Half the flips hit the headers, where most pointers live.
                    let limit = round % 2 == 0 ? min(1024, bytes.count) : bytes.count
                    let position = Int(generator.next() % UInt64(limit))
                    bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                for layout in [PEImage.Layout.file, .mapped] {
                    guard let image = try? PEImage(source: ArrayByteSource(bytes), layout: layout)
                    else { continue }
                    _ = try? image.exports()
                    _ = try? image.imports()
                    _ = try? image.codeView()
                    _ = try? image.versionInfo()
                    _ = try? image.resources()
                    if let table = try? image.x64FunctionTable() {
                        for entry in table.allEntries().prefix(64) {
                            _ = try? image.x64UnwindInfo(at: entry.unwindInfoAddress)
                        }
                    }
                    if let table = try? image.armFunctionTable() {
                        _ = table.allEntries().prefix(64)
                    }
                    _ = image.readCString(
                        rva: UInt32(truncatingIfNeeded: generator.next() % 0x10000))
                }
            }
        }
    }
}
