import Foundation
import PEFormat
import Testing

@Suite struct ExportImportTests {
    @Test func exportsByNameOrdinalDataAndForwarder() throws {
        for name in ["exports-x64.dll", "exports-x86.dll", "exports-arm64.dll"] {
            let table = try ExampleImages.image(name).exports()
            #expect(table.dllName == name)
            #expect(table.ordinalBase == 1)
            let named = Dictionary(
                uniqueKeysWithValues: table.exports.compactMap { e in e.name.map { ($0, e) } })
            #expect(named["add_numbers"]?.ordinal == 1)
            #expect(named["sum_array"]?.ordinal == 2)
            #expect(named["large_frame"]?.ordinal == 3)
            #expect(named["exported_data"]?.ordinal == 4)
            #expect(named["call_helper"]?.ordinal == 6)
            #expect(named["ForwardedHeapAlloc"]?.forwarder == "kernel32.HeapAlloc")
            let byOrdinal = try #require(table.export(ordinal: 7))
            #expect(byOrdinal.name == nil)
            #expect(byOrdinal.forwarder == nil)
            #expect(table.export(named: "by_ordinal_only") == nil)
            #expect(table.export(named: "sum_array")?.rva == named["sum_array"]?.rva)
        }
    }

    @Test func nearestExportBelowAnAddress() throws {
        let table = try ExampleImages.image("exports-x64.dll").exports()
        let sum = try #require(table.export(named: "sum_array"))
        #expect(table.nearestExport(atOrBelow: sum.rva + 5)?.name == "sum_array")
        #expect(table.nearestExport(atOrBelow: sum.rva) == sum)
        #expect(table.nearestExport(atOrBelow: 0x10) == nil)
        // Forwarders point into the export directory and never count as code.
        let forwarder = try #require(table.export(named: "ForwardedHeapAlloc"))
        #expect(table.nearestExport(atOrBelow: forwarder.rva)?.forwarder == nil)
    }

    @Test(.requires(.llvmReadobj))
    func exportsMatchLLVMReadobj() throws {
        for name in ["exports-x64.dll", "exports-x86.dll", "exports-arm64.dll"] {
            let text = try #require(
                toolOutput(llvmReadobj, ["--coff-exports", ExampleImages.path(name)]))
            let table = try ExampleImages.image(name).exports()
            // One `Export { ... }` block per entry. LLVM 14 gives a forwarder's RVA (its string),
            // LLVM 19 `ForwardedTo:` instead; both list the empty slot (RVA 0) the table skips.
            let blocks = text.components(separatedBy: "Export {").dropFirst()
            var listed: [(ordinal: UInt32, rva: UInt64?, forwarder: String?)] = []
            for block in blocks {
                guard let ordinal = readobjFields(block, "Ordinal").first.flatMap({ UInt32($0) })
                else { continue }
                let rva = readobjFields(block, "RVA").first.flatMap(hexValue)
                if rva == 0 { continue }
                listed.append((ordinal, rva, readobjFields(block, "ForwardedTo").first))
            }
            #expect(listed.map(\.ordinal) == table.exports.map(\.ordinal))
            for (entry, export) in zip(listed, table.exports) {
                if let forwarder = entry.forwarder {
                    #expect(forwarder == export.forwarder)
                } else {
                    #expect(entry.rva == UInt64(export.rva), "\(export)")
                }
            }
        }
    }

    @Test func importsByNameAndOrdinal() throws {
        let image = try ExampleImages.image("importer-x64.dll")
        let modules = try image.imports()
        #expect(modules.map(\.dllName) == ["exports.dll"])
        let functions = modules[0].functions
        #expect(functions.map(\.reference).contains(.ordinal(7)))
        let names = functions.compactMap { f -> String? in
            if case .name(let name, _) = f.reference { return name }
            return nil
        }
        #expect(names.sorted() == ["add_numbers", "exported_data", "sum_array"])
        // IAT slots are consecutive pointers from FirstThunk.
        for (index, function) in functions.enumerated() {
            #expect(function.iatRVA == modules[0].addressTableRVA + UInt32(index * 8))
        }
        if let text = toolOutput(
            llvmReadobj, ["--coff-imports", ExampleImages.path("importer-x64.dll")])
        {
            #expect(
                readobjFields(text, "ImportAddressTableRVA").first.flatMap(hexValue)
                    == UInt64(modules[0].addressTableRVA))
        }
        #expect(throws: PEError.missing(what: "import directory")) {
            try ExampleImages.image("exports-x64.dll").imports()
        }
    }
}

@Suite struct DebugAndVersionTests {
    @Test func codeViewRecord() throws {
        let record = try #require(try ExampleImages.image("exports-x64.dll").codeView())
        guard case .pdb70(let guid, let age, let path) = record else {
            Issue.record("expected RSDS")
            return
        }
        #expect(path == "exports.pdb")
        #expect(age == 1)
        #expect(record.symbolServerIdentifier == guid.compactString + "1")
        #expect(guid.description.count == 36)
        if let text = toolOutput(
            llvmReadobj, ["--coff-debug-directory", ExampleImages.path("exports-x64.dll")])
        {
            let raw = try #require(readobjFields(text, "PDBGUID").first)
            if raw.hasPrefix("{") {
                // LLVM 19: "{0736AA28-72D9-...}", the GUID as text.
                #expect(raw.uppercased() == "{" + guid.description.uppercased() + "}")
            } else {
                // LLVM 14: "(28 AA 36 07 ...)", the raw GUID bytes.
                let bytes = raw.trimmingCharacters(in: CharacterSet(charactersIn: "()")).split(
                    separator: " "
                )
                .compactMap { UInt8($0, radix: 16) }
                #expect(bytes == guid.bytes)
            }
        }
        #expect(throws: PEError.missing(what: "debug directory")) {
            try ExampleImages.image("importer-x64.dll").codeView()
        }
    }

    @Test func versionResource() throws {
        for name in ["exports-x64.dll", "exports-x86.dll", "exports-arm64.dll"] {
            let info = try #require(try ExampleImages.image(name).versionInfo())
            let fixed = try #require(info.fixed)
            #expect(fixed.fileVersion == [1, 2, 3, 4])
            #expect(fixed.fileVersionString == "1.2.3.4")
            #expect(fixed.productVersionString == "5.6.7.8")
            #expect(fixed.fileOS == 0x40004)
            #expect(fixed.fileType == 2)
            #expect(info.string("CompanyName") == "xcdb example company")
            #expect(info.string("FileDescription") == "PEFormat test DLL")
            #expect(info.string("OriginalFilename") == "exports.dll")
            #expect(info.string("Missing") == nil)
            #expect(info.stringTables.map(\.languageCodePage) == ["040904b0"])
            #expect(info.translations == [0x04b0_0409])
        }
        #expect(try ExampleImages.image("importer-x64.dll").versionInfo() == nil)
    }

    @Test func versionInfoFromConstructedBytes() throws {
        // VS_VERSION_INFO with no fixed info and one string, built by hand.
        func utf16(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            for unit in text.utf16 {
                bytes.append(UInt8(unit & 0xFF))
                bytes.append(UInt8(unit >> 8))
            }
            return bytes + [0, 0]
        }
        func block(_ key: String, value: [UInt8], text: Bool, children: [[UInt8]] = []) -> [UInt8] {
            var body = utf16(key)
            while (6 + body.count) % 4 != 0 { body.append(0) }
            body += value
            while (6 + body.count) % 4 != 0 { body.append(0) }
            for child in children { body += child }
            let length = 6 + body.count
            let valueLength = text ? value.count / 2 : value.count
            var header: [UInt8] = [UInt8(length & 0xFF), UInt8(length >> 8)]
            header += [UInt8(valueLength & 0xFF), UInt8(valueLength >> 8), text ? 1 : 0, 0]
            return header + body
        }
        let value = utf16("9.9")
        let string = block("FileVersion", value: value, text: true)
        let table = block("000004b0", value: [], text: true, children: [string])
        let fileInfo = block("StringFileInfo", value: [], text: true, children: [table])
        let root = block("VS_VERSION_INFO", value: [], text: false, children: [fileInfo])
        let info = try #require(VersionInfo(bytes: root))
        #expect(info.fixed == nil)
        #expect(info.string("FileVersion") == "9.9")
        #expect(VersionInfo(bytes: Array(root.prefix(5))) == nil)
    }
}
