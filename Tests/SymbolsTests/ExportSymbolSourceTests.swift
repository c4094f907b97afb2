import Testing

@testable import Symbols

@Suite struct ExportSymbolSourceTests {
    struct FakeImage: ExportTableProviding {
        var exportEntries: [ExportEntry]
    }

    static let image = FakeImage(exportEntries: [
        ExportEntry(name: "CreateFileW", ordinal: 1, rva: 0x2000),
        ExportEntry(name: "CloseHandle", ordinal: 2, rva: 0x1000),
        ExportEntry(name: "CreateFile", ordinal: 3, rva: 0x2000),  // alias at the same address
        ExportEntry(name: "HeapAlloc", ordinal: 4, rva: 0x5000, forwarder: "NTDLL.RtlAllocateHeap"),
        ExportEntry(name: nil, ordinal: 5, rva: 0x3000),  // by ordinal only
        ExportEntry(name: "ExitProcess", ordinal: 6, rva: 0x4000),
        ExportEntry(name: "Outside", ordinal: 7, rva: 0x9_0000),  // past the image
    ])

    @Test func nearestExportBelow() throws {
        let source = ExportSymbolSource(provider: Self.image, imageSize: 0x8000)
        #expect(source.kind == .exports)
        #expect(source.symbolFilePath == nil)
        let match = try #require(source.nearestSymbol(atOrBelow: 0x201a))
        // Two names at 0x2000: the first by name, deterministically.
        #expect(match.symbol.name == "CreateFile")
        #expect(match.displacement == 0x1a)
        #expect(match.symbol.origin == .export)
        #expect(match.symbol.size == nil)
        #expect(match.isWithinSymbol)
        #expect(source.nearestSymbol(atOrBelow: 0x1000)?.symbol.name == "CloseHandle")
        #expect(source.nearestSymbol(atOrBelow: 0xfff) == nil)
        // The ordinal-only export and the forwarder are not symbols: 0x3000 is CreateFile+0x1000.
        #expect(source.nearestSymbol(atOrBelow: 0x3000)?.displacement == 0x1000)
        #expect(source.nearestSymbol(atOrBelow: 0x5000)?.symbol.name == "ExitProcess")
    }

    @Test func sanityLimits() {
        let limited = ExportSymbolSource(
            provider: Self.image, imageSize: 0x8000, maximumDisplacement: 0x100)
        #expect(limited.nearestSymbol(atOrBelow: 0x4100)?.symbol.name == "ExitProcess")
        #expect(limited.nearestSymbol(atOrBelow: 0x4101) == nil)
        // Past the end of the image nothing resolves, whatever the limit.
        let sized = ExportSymbolSource(provider: Self.image, imageSize: 0x8000)
        #expect(sized.nearestSymbol(atOrBelow: 0x7fff)?.symbol.name == "ExitProcess")
        #expect(sized.nearestSymbol(atOrBelow: 0x8000) == nil)
        #expect(!sized.allSymbols().contains { $0.name == "Outside" })
        // Without an image size, the default limit applies.
        let unsized = ExportSymbolSource(provider: Self.image)
        #expect(unsized.nearestSymbol(atOrBelow: 0x9_0000 + 0x10_0000)?.symbol.name == "Outside")
        #expect(unsized.nearestSymbol(atOrBelow: 0x9_0000 + 0x10_0001) == nil)
    }

    @Test func enumerationAndNameLookups() throws {
        let source = ExportSymbolSource(exports: Self.image.exportEntries, imageSize: 0x8000)
        #expect(
            source.allSymbols().map(\.name) == [
                "CloseHandle", "CreateFile", "CreateFileW", "ExitProcess",
            ])
        #expect(source.symbols(at: 0x2000).map(\.name) == ["CreateFile", "CreateFileW"])
        #expect(source.symbols(at: 0x2001).isEmpty)
        #expect(source.nextSymbol(after: 0x2000)?.name == "ExitProcess")
        #expect(source.nextSymbol(after: 0x4000) == nil)
        #expect(source.symbols(named: "closehandle").map(\.rva) == [0x1000])
        #expect(source.symbols(matching: try SymbolPattern("Create*")).count == 2)
        #expect(source.sourceLine(at: 0x2000) == nil)
        #expect(source.inlineFrames(at: 0x2000).isEmpty)
    }

    @Test func emptyTableHasNoSymbols() {
        let source = ExportSymbolSource(exports: [])
        #expect(source.kind == .none)
        #expect(source.nearestSymbol(atOrBelow: 0x1000) == nil)
        #expect(source.kind.lmLabel == "(no symbols)")
        #expect(SymbolKind.exports.lmLabel == "(export symbols)")
        #expect(SymbolKind.privateSymbols.lmLabel == "(private pdb symbols)")
        #expect(SymbolKind.publicSymbols.lmLabel == "(pdb symbols)")
        #expect(SymbolKind.deferred.lmLabel == "(deferred)")
    }

    @Test func protocolExistentialWorks() {
        let sources: [any SymbolSource] = [
            ExportSymbolSource(provider: Self.image),
            BreakpadSymbolSource(contents: Array("FUNC 1000 10 0 f\n".utf8)),
        ]
        #expect(
            sources.compactMap { $0.nearestSymbol(atOrBelow: 0x1004)?.symbol.name } == [
                "CloseHandle", "f",
            ])
        #expect(sources.map { $0 is any CallFrameInfoProvider } == [false, true])
    }
}
