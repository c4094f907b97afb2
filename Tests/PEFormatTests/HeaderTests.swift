import Foundation
import PEFormat
import Testing

@Suite struct HeaderTests {
    @Test func x64HeadersAndSections() throws {
        let image = try ExampleImages.image("exports-x64.dll")
        #expect(image.machine == .amd64)
        #expect(image.is64Bit)
        #expect(image.timeDateStamp == 0x5f5e_1000)
        #expect(image.imageBase == 0x1_8000_0000)
        #expect(image.fileHeader.isDLL)
        #expect(image.subsystem == 2)
        #expect(image.sections.map(\.name) == [".text", ".rdata", ".data", ".pdata", ".rsrc"])
        #expect(image.sections[0].isExecutable)
        #expect(!image.sections[1].isExecutable)
        #expect(image.dataDirectory(.exception) != nil)
        #expect(image.dataDirectory(.tls) == nil)
        #expect(image.isExecutable(rva: 0x1010))
        #expect(!image.isExecutable(rva: 0x2000))
    }

    @Test func x86AndARM64Headers() throws {
        let x86 = try ExampleImages.image("exports-x86.dll")
        #expect(x86.machine == .i386)
        #expect(!x86.is64Bit)
        #expect(x86.pointerSize == 4)
        #expect(x86.imageBase == 0x1000_0000)
        #expect(x86.timeDateStamp == 0x5f5e_1002)
        let arm64 = try ExampleImages.image("exports-arm64.dll")
        #expect(arm64.machine == .arm64)
        #expect(arm64.is64Bit)
        #expect("\(arm64.machine)" == "ARM64")
    }

    /// Headers and sections agree with llvm-readobj, an independent reader.
    @Test(.requires(.llvmReadobj))
    func sectionsMatchLLVMReadobj() throws {
        for name in [
            "exports-x64.dll", "exports-x86.dll", "exports-arm64.dll", "importer-x64.dll",
            "x64unwind.dll",
        ] {
            let image = try ExampleImages.image(name)
            let text = try #require(
                toolOutput(llvmReadobj, ["--file-headers", "--sections", ExampleImages.path(name)]))
            #expect(
                readobjFields(text, "SizeOfImage").first.flatMap { UInt64($0) }
                    == UInt64(image.sizeOfImage))
            #expect(readobjFields(text, "ImageBase").first.flatMap(hexValue) == image.imageBase)
            let names = readobjFields(text, "Name").map { String($0.prefix { $0 != " " }) }
            #expect(names == image.sections.map(\.name), "\(name)")
            #expect(
                readobjFields(text, "VirtualAddress").compactMap(hexValue)
                    == image.sections.map { UInt64($0.virtualAddress) })
            #expect(
                readobjFields(text, "VirtualSize").compactMap(hexValue)
                    == image.sections.map { UInt64($0.virtualSize) })
        }
    }

    @Test func mappedLayoutReadsTheSameTables() throws {
        let file = try ExampleImages.image("exports-x64.dll")
        let mapped = try PEImage(
            source: ArrayByteSource(try ExampleImages.mappedBytes("exports-x64.dll")),
            layout: .mapped)
        #expect(mapped.sections == file.sections)
        #expect(try mapped.exports().exports == file.exports().exports)
        #expect(try mapped.codeView() == file.codeView())
        #expect(try mapped.versionInfo() == file.versionInfo())
        #expect(try mapped.x64FunctionTable().allEntries() == file.x64FunctionTable().allEntries())
        let importerFile = try ExampleImages.image("importer-x64.dll")
        let importerMapped = try PEImage(
            source: ArrayByteSource(try ExampleImages.mappedBytes("importer-x64.dll")),
            layout: .mapped)
        #expect(try importerMapped.imports() == importerFile.imports())
    }

    @Test func mappedImageInProcessMemoryAtABase() throws {
        let base: UInt64 = 0x7ff6_1234_0000
        let bytes = try ExampleImages.mappedBytes("exports-x64.dll")
        let memory = ClosureByteSource { address, count in
            guard address >= base, address - base <= UInt64(bytes.count),
                UInt64(count) <= UInt64(bytes.count) - (address - base)
            else { return nil }
            let start = Int(address - base)
            return Array(bytes[start..<start + count])
        }
        let image = try PEImage(
            source: OffsetByteSource(base: base, underlying: memory), layout: .mapped)
        #expect(try image.exports().export(named: "sum_array")?.rva == 0x1010)
    }

    /// A dump often lacks some pages of a module: the headers still parse, the tables on the
    /// missing page fail alone.
    @Test func missingPagesDegradeGracefully() throws {
        let bytes = try ExampleImages.mappedBytes("exports-x64.dll")
        let full = try PEImage(source: ArrayByteSource(bytes), layout: .mapped)
        let exportPage = UInt64(try #require(full.dataDirectory(.export)).virtualAddress) >> 12
        let resourcePage = UInt64(try #require(full.dataDirectory(.resource)).virtualAddress) >> 12
        let holey = try PEImage(
            source: HoleyByteSource(bytes: bytes, missingPages: [exportPage]), layout: .mapped)
        #expect(holey.sections.count == 5)
        #expect(throws: PEError.self) { try holey.exports() }
        #expect(try holey.versionInfo() != nil)
        let noResources = try PEImage(
            source: HoleyByteSource(bytes: bytes, missingPages: [resourcePage]), layout: .mapped)
        #expect(throws: PEError.self) { try noResources.versionInfo() }
        #expect(try noResources.exports().exports.count == 7)
        let noHeaders = HoleyByteSource(bytes: bytes, missingPages: [0])
        #expect(throws: PEError.truncated(what: "DOS header", offset: 0)) {
            try PEImage(source: noHeaders, layout: .mapped)
        }
    }
}
