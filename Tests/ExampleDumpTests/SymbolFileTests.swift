import Foundation
import PEFormat
import Testing

@testable import ExampleDump

/// The committed `.sym` belongs to the committed exe (identity, code ranges agree with
/// `.pdata`), and the generator that wrote it turns symbolizer output back into the same file.
@Suite struct SymbolFileTests {
    @Test func identifiesTheCommittedExecutable() throws {
        let image = try Example.image()
        let symbols = try ExampleSymbols()
        let codeView = try #require(try image.codeView())
        #expect(
            symbols.lines.first
                == "MODULE windows x86_64 \(codeView.symbolServerIdentifier) crashdemo.pdb")
        let codeId =
            String(image.timeDateStamp, radix: 16, uppercase: true)
            + String(image.sizeOfImage, radix: 16)
        #expect(symbols.lines.dropFirst().first == "INFO CODE_ID \(codeId) crashdemo.exe")
    }

    @Test func everyUnwindEntryIsAFunction() throws {
        let image = try Example.image()
        let symbols = try ExampleSymbols()
        let entries = try image.x64FunctionTable().allEntries()
        #expect(entries.count >= 4)
        for entry in entries {
            let function = try #require(
                symbols.functions.first { $0.rva == entry.beginAddress },
                "no FUNC at the .pdata entry \(String(entry.beginAddress, radix: 16))")
            #expect(function.rva + function.size == entry.endAddress, "\(function.name)")
        }
        // The functions of the crashing call chain are all in the file, each once.
        for name in Example.expectedChain {
            #expect(symbols.functions.filter { $0.name == name }.count == 1, "\(name)")
        }
        // Functions do not overlap and lie in the code section.
        let text = try #require(image.sections.first { $0.isExecutable })
        for (a, b) in zip(symbols.functions, symbols.functions.dropFirst()) {
            #expect(a.rva + a.size <= b.rva)
        }
        for function in symbols.functions {
            #expect(text.contains(rva: function.rva))
            #expect(function.rva + function.size <= text.virtualAddress + text.virtualExtent)
        }
    }

    /// Feeds the generator what llvm-symbolizer would say about each byte, rebuilt from the
    /// committed file, and expects the same file back: the generator is what made it.
    @Test func regeneratesTheCommittedFile() throws {
        let image = try Example.image()
        let symbols = try ExampleSymbols()
        let files = Dictionary(
            uniqueKeysWithValues: symbols.lines.filter { $0.hasPrefix("FILE ") }.compactMap {
                line -> (Int, String)? in
                let fields = line.split(separator: " ", maxSplits: 2)
                guard fields.count == 3, let index = Int(fields[1]) else { return nil }
                return (index, "/build/" + fields[2])
            })
        var locations: [UInt64: [BreakpadSymbols.Location]] = [:]
        var function = ""
        for line in symbols.lines {
            let fields = line.split(separator: " ")
            if fields.first == "FUNC", fields.count == 5, let rva = UInt64(fields[1], radix: 16),
                let size = UInt64(fields[2], radix: 16)
            {
                function = String(fields[4])
                // Padding after a function: the symbolizer names it but gives no line.
                for offset in size..<size + 8 {
                    locations[image.imageBase + rva + offset] = [
                        .init(function: function, file: "", line: 0)
                    ]
                }
            } else if fields.count == 4, let rva = UInt64(fields[0], radix: 16),
                let size = UInt64(fields[1], radix: 16), let number = Int(fields[2]),
                let file = Int(fields[3]).flatMap({ files[$0] })
            {
                for offset in 0..<size {
                    locations[image.imageBase + rva + offset] = [
                        .init(function: "an_inlined_helper", file: file, line: number),
                        .init(function: function, file: file, line: number + 1000),
                    ]
                }
            }
        }
        let rebuilt = try BreakpadSymbols(
            image: image, codeFileName: "crashdemo.exe", locations: locations,
            stripPrefix: "/build/")
        #expect(rebuilt.text == symbols.text)
        #expect(symbols.path.hasSuffix("/" + rebuilt.storePath))
    }

    @Test func refusesFunctionsThatDisagreeWithPdata() throws {
        let image = try Example.image()
        // Every byte of code in one function: the .pdata entries do not start functions.
        var locations: [UInt64: [BreakpadSymbols.Location]] = [:]
        for section in image.sections where section.isExecutable {
            for rva in section.virtualAddress..<section.virtualAddress + section.virtualSize {
                locations[image.imageBase + UInt64(rva)] = [
                    .init(function: "everything", file: "a.c", line: 1)
                ]
            }
        }
        #expect(throws: ExampleError.self) {
            try BreakpadSymbols(
                image: image, codeFileName: "crashdemo.exe", locations: locations, stripPrefix: "")
        }
    }

    @Test func readsSymbolizerJSON() throws {
        let output = """
            {"Address":"0x140001060","ModuleName":"crashdemo.exe","Symbol":[{"Column":0,"Discriminator":0,"FileName":"/b/x.c","FunctionName":"hash_name","Line":56,"StartAddress":"","StartFileName":"","StartLine":0},{"Column":0,"Discriminator":0,"FileName":"/b/x.c","FunctionName":"find_item","Line":62,"StartAddress":"","StartFileName":"","StartLine":0}]}
            {"Address":"0x140001181","ModuleName":"crashdemo.exe","Symbol":[{"FileName":"","FunctionName":"reserve_stock","Line":0}]}
            {"Address":"0x140009000","ModuleName":"crashdemo.exe","Symbol":[]}
            """
        let locations = try BreakpadSymbols.parseSymbolizerJSON(output)
        #expect(
            locations[0x1_4000_1060] == [
                .init(function: "hash_name", file: "/b/x.c", line: 56),
                .init(function: "find_item", file: "/b/x.c", line: 62),
            ])
        #expect(locations[0x1_4000_1181] == [.init(function: "reserve_stock", file: "", line: 0)])
        #expect(locations[0x1_4000_9000] == [])
        #expect(throws: ExampleError.self) {
            try BreakpadSymbols.parseSymbolizerJSON("not json")
        }
        #expect(throws: ExampleError.self) {
            try BreakpadSymbols.parseSymbolizerJSON(#"{"Address":"zz","Symbol":[]}"#)
        }
    }
}
