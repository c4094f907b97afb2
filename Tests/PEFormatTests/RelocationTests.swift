import Foundation
import PEFormat
import Testing

/// Base relocations and the TLS directory.
@Suite struct RelocationTests {
    @Test func relocationsMatchLLVMReadobj() throws {
        let image = try ExampleImages.image("crashdemo.exe")
        let relocations = try image.baseRelocations()
        let text = try #require(
            toolOutput(llvmReadobj, ["--coff-basereloc", ExampleImages.path("crashdemo.exe")]))
        let addresses = readobjFields(text, "Address").compactMap(hexValue)
        let types = readobjFields(text, "Type")
        // llvm-readobj lists the padding entries too.
        let real = zip(types, addresses).filter { $0.0 != "ABSOLUTE" }
        #expect(!real.isEmpty)
        #expect(relocations.map { UInt64($0.rva) } == real.map(\.1))
        #expect(relocations.allSatisfy { $0.kind == .dir64 })
    }

    @Test func imagesWithoutTablesSayMissing() throws {
        let image = try ExampleImages.image("exports-x64.dll")
        #expect(throws: PEError.missing(what: "base relocation table")) {
            try image.baseRelocations()
        }
        #expect(throws: PEError.missing(what: "TLS directory")) { try image.tlsDirectory() }
    }

    @Test func corruptRelocationBlocksAreRefused() throws {
        let original = try ExampleImages.bytes("crashdemo.exe")
        let image = try PEImage(source: ArrayByteSource(original), layout: .file)
        let directory = try #require(image.dataDirectory(.baseRelocation))
        let section = try #require(image.section(containing: directory.virtualAddress))
        let fileOffset = Int(
            section.pointerToRawData + directory.virtualAddress - section.virtualAddress)
        for blockSize: UInt32 in [4, 7, 0xFFFF_FFF0] {
            var bytes = original
            HostileTests.put32(&bytes, fileOffset + 4, blockSize)
            let hostile = try PEImage(source: ArrayByteSource(bytes), layout: .file)
            #expect(throws: PEError.self) { try hostile.baseRelocations() }
        }
    }
}
