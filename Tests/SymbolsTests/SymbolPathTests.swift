import Foundation
import TestSupport
import Testing

@testable import Symbols

@Suite struct SymbolPathTests {
    @Test func parsesElementForms() {
        let path = SymbolPath(
            parsing:
                "SRV*C:\\cache*https://msdl.microsoft.com/download/symbols; /plain/dir ;;cache*d:\\c;"
                + "symsrv*symsrv.dll*\\\\server\\share*http://internal/sym;cache*;srv*;srv**http://x"
        )
        #expect(
            path.elements == [
                .symbolServer(
                    SymbolServerChain(
                        dll: nil,
                        locations: [
                            .local("C:\\cache"),
                            .remote("https://msdl.microsoft.com/download/symbols"),
                        ])),
                .directory("/plain/dir"),
                .cache("d:\\c"),
                .symbolServer(
                    SymbolServerChain(
                        dll: "symsrv.dll",
                        locations: [.local("\\\\server\\share"), .remote("http://internal/sym")])),
                .cache(nil),
                .symbolServer(
                    SymbolServerChain(
                        dll: nil, locations: [.defaultDownstreamStore, .defaultServer])),
                .symbolServer(
                    SymbolServerChain(
                        dll: nil, locations: [.defaultDownstreamStore, .remote("http://x")])),
            ])
        #expect(
            path.description
                == "srv*C:\\cache*https://msdl.microsoft.com/download/symbols;/plain/dir;cache*d:\\c;"
                + "symsrv*symsrv.dll*\\\\server\\share*http://internal/sym;cache*;srv*;srv**http://x"
        )
        #expect(
            path.remoteLocations == [
                "https://msdl.microsoft.com/download/symbols", "http://internal/sym", "http://x",
            ])
        #expect(SymbolPath(parsing: "").elements.isEmpty)
        #expect(SymbolPath(parsing: " ; ").elements.isEmpty)
    }

    @Test func appendingLikeSympathPlus() {
        let path = SymbolPath(parsing: "srv*").appending("/more;/most")
        #expect(path.description == "srv*;/more;/most")
        // Something that only looks like an element keyword stays a directory.
        #expect(SymbolPath(parsing: "srv").elements == [.directory("srv")])
        #expect(SymbolPath(parsing: "cache*a*b").elements == [.directory("cache*a*b")])
    }

    static let testAppID = "5A9832E5287241C1838ED98914E9B7FF1"

    @Test func findsBreakpadFilesInALocalStore() throws {
        let store = Corpus.symbols.path
        let locator = SymbolFileLocator(
            path: SymbolPath(parsing: "srv*\(store)*https://msdl.microsoft.com/download/symbols"))
        let search = locator.locateBreakpadSymbols(
            debugFile: "test_app.pdb", debugIdentifier: Self.testAppID)
        let expected = "\(store)/test_app.pdb/\(Self.testAppID)/test_app.sym"
        #expect(search.foundPath == expected)
        #expect(search.triedPaths == [expected])
        #expect(search.skippedRemoteLocations == ["https://msdl.microsoft.com/download/symbols"])
        // The found file really is that module's symbols.
        #expect(BreakpadSymbolSource(path: expected).moduleRecord?.identifier == Self.testAppID)
    }

    @Test func plainDirectoriesUseStoreLayoutAndFlatFiles() throws {
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-symbols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let flat = temporary.appendingPathComponent("flatmod.sym")
        try Data("MODULE windows x86 ABC flatmod.pdb\nPUBLIC 10 0 f\n".utf8).write(to: flat)

        let locator = SymbolFileLocator(
            path: SymbolPath(parsing: "\(temporary.path);\(Corpus.symbols.path)"))
        let flatSearch = locator.locateBreakpadSymbols(
            debugFile: "c:\\out\\flatmod.pdb", debugIdentifier: "ABC")
        #expect(flatSearch.foundPath == flat.path)
        #expect(
            flatSearch.triedPaths == ["\(temporary.path)/flatmod.pdb/ABC/flatmod.sym", flat.path])

        let storeSearch = locator.locateBreakpadSymbols(
            debugFile: "libc-2.13.so", debugIdentifier: "F4F8DFCD5A5FB5A7CE64717E9E6AE3890")
        #expect(
            storeSearch.foundPath
                == "\(Corpus.symbols.path)/libc-2.13.so/F4F8DFCD5A5FB5A7CE64717E9E6AE3890/libc-2.13.so.sym"
        )
        #expect(storeSearch.triedPaths.count == 3)
        #expect(storeSearch.skippedRemoteLocations.isEmpty)

        // A directory where a file is expected is not a match.
        try FileManager.default.createDirectory(
            at: temporary.appendingPathComponent("notafile.sym"), withIntermediateDirectories: true)
        #expect(
            locator.locateBreakpadSymbols(debugFile: "notafile.pdb", debugIdentifier: "1").foundPath
                == nil)
    }

    @Test func componentsMatchIgnoringCase() throws {
        let locator = SymbolFileLocator(path: SymbolPath(parsing: Corpus.symbols.path))
        let search = locator.locateBreakpadSymbols(
            debugFile: "C:\\WINDOWS\\KERNEL32.PDB",
            debugIdentifier: "bce8785c57b44245a669896b6a19b9542")
        #expect(
            search.foundPath
                == "\(Corpus.symbols.path)/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym"
        )
    }

    @Test func defaultStoreAndMisses() {
        let withDefault = SymbolFileLocator(
            path: SymbolPath(parsing: "srv*"), defaultDownstreamStore: Corpus.symbols.path)
        let found = withDefault.locateBreakpadSymbols(
            debugFile: "test_app.pdb", debugIdentifier: Self.testAppID)
        #expect(found.foundPath != nil)
        #expect(found.skippedRemoteLocations == ["the default symbol server"])
        let cache = SymbolFileLocator(
            path: SymbolPath(parsing: "cache*"), defaultDownstreamStore: Corpus.symbols.path)
        #expect(
            cache.locateBreakpadSymbols(debugFile: "test_app.pdb", debugIdentifier: Self.testAppID)
                .foundPath != nil)

        let noDefault = SymbolFileLocator(path: SymbolPath(parsing: "srv*;cache*"))
        let nothing = noDefault.locateBreakpadSymbols(
            debugFile: "test_app.pdb", debugIdentifier: Self.testAppID)
        #expect(nothing.foundPath == nil)
        #expect(nothing.triedPaths.isEmpty)

        let wrongID = SymbolFileLocator(path: SymbolPath(parsing: Corpus.symbols.path))
            .locateBreakpadSymbols(debugFile: "test_app.pdb", debugIdentifier: "0000")
        #expect(wrongID.foundPath == nil)
        #expect(wrongID.triedPaths.count == 2)
    }

    @Test func hostileNamesFromDumpsAreRefused() {
        let locator = SymbolFileLocator(
            path: SymbolPath(parsing: "\(Corpus.symbols.path)/test_app.pdb"))
        // "../.." would climb out of the store; an id with a separator would too.
        for (file, id) in [
            ("..", Self.testAppID), ("test_app.pdb", "../\(Self.testAppID)"), ("", "1"),
            ("a.pdb", ""),
        ] {
            let search = locator.locateBreakpadSymbols(debugFile: file, debugIdentifier: id)
            #expect(search.foundPath == nil)
            #expect(search.triedPaths.isEmpty)
        }
        // The general form, as a PDB reader would use it.
        let general = SymbolFileLocator(path: SymbolPath(parsing: Corpus.symbols.path))
            .locate(
                storeEntry: "test_app.pdb", identifier: Self.testAppID, fileName: "test_app.sym")
        #expect(
            general.foundPath?.hasSuffix("/test_app.pdb/\(Self.testAppID)/test_app.sym") == true)
    }

    @Test func symbolFileNames() {
        #expect(
            SymbolFileLocator.breakpadSymbolFileName(debugFile: "test_app.pdb") == "test_app.sym")
        #expect(
            SymbolFileLocator.breakpadSymbolFileName(debugFile: "KERNEL32.PDB") == "KERNEL32.sym")
        #expect(
            SymbolFileLocator.breakpadSymbolFileName(debugFile: "libc-2.13.so")
                == "libc-2.13.so.sym")
        #expect(
            SymbolFileLocator.breakpadSymbolFileName(debugFile: "/usr/lib/libm.so.6")
                == "libm.so.6.sym")
        #expect(SymbolFileLocator.fileBaseName("c:\\a\\b.pdb") == "b.pdb")
        #expect(SymbolFileLocator.fileBaseName("plain") == "plain")
    }
}
