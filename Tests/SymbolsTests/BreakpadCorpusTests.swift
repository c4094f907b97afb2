import Foundation
import TestSupport
import Testing

@testable import Symbols

/// Every Breakpad symbol file of the corpus, checked against an independent line scan.
@Suite(.requires(.corpus)) struct BreakpadCorpusTests {
    static let files = SymFileScan.corpusFiles()

    @Test func corpusHasSymbolFiles() {
        #expect(Self.files.count == 11)
    }

    @Test(arguments: files)
    func recordCountsMatchALineScan(path: String) throws {
        let scan = try CorpusSymbols.scan(path)
        let source = BreakpadSymbolSource(path: path)
        #expect(source.kind == .deferred)
        #expect(!source.isLoaded)
        let report = try source.load()
        #expect(source.isLoaded)
        #expect(report.counts.functions == scan.count("FUNC"))
        #expect(report.counts.publicSymbols == scan.count("PUBLIC"))
        #expect(report.counts.stackWin == scan.count("STACK WIN"))
        #expect(report.counts.stackCFIInit == scan.count("STACK CFI INIT"))
        #expect(report.counts.stackCFIDelta == scan.count("STACK CFI"))
        #expect(report.counts.files == scan.count("FILE"))
        #expect(report.counts.lines == scan.count("line"))
        #expect(report.counts.inlines == scan.count("INLINE"))
        #expect(report.counts.inlineOrigins == scan.count("INLINE_ORIGIN"))
        #expect(report.counts.module == scan.count("MODULE"))
        #expect(report.skippedLineCount == 0, "\(report.warnings)")
        let expectedKind: SymbolKind =
            scan.count("FUNC") > 0
            ? .privateSymbols : scan.count("PUBLIC") > 0 ? .publicSymbols : .none
        #expect(source.kind == expectedKind)
    }

    @Test(arguments: files)
    func lookupsAgreeWithFunctionRanges(path: String) throws {
        let scan = try CorpusSymbols.scan(path)
        let source = CorpusSymbols.source(path)
        var checked = 0
        for (position, function) in scan.functions.enumerated()
        where position % 5 == 0 && function.size > 0 {
            for rva in [
                function.rva, function.rva + function.size / 2, function.rva + function.size - 1,
            ] {
                // Only addresses exactly one FUNC covers have an unambiguous answer.
                let covering = scan.functions.filter { rva >= $0.rva && rva - $0.rva < $0.size }
                guard covering.count == 1 else { continue }
                let match = try #require(source.nearestSymbol(atOrBelow: rva))
                #expect(match.symbol.name == function.name)
                #expect(match.symbol.rva == function.rva)
                #expect(match.symbol.size == function.size)
                #expect(match.displacement == rva - function.rva)
                #expect(match.isWithinSymbol)
                checked += 1
            }
        }
        if !scan.functions.isEmpty { #expect(checked > 0) }
    }

    @Test(arguments: files)
    func publicSymbolsResolveOutsideFunctions(path: String) throws {
        let scan = try CorpusSymbols.scan(path)
        let source = CorpusSymbols.source(path)
        let namesByAddress = Dictionary(grouping: scan.publics, by: \.rva).mapValues {
            Set($0.map(\.name))
        }
        let functionStarts = Set(scan.functions.map(\.rva))
        let sortedFunctions = scan.functions.sorted { $0.rva < $1.rva }
        func insideFunction(_ rva: UInt64) -> Bool {
            // FUNC records here do not overlap, so checking the last one starting below is enough.
            guard let last = sortedFunctions.last(where: { $0.rva <= rva }) else { return false }
            return rva - last.rva < last.size
        }
        var checked = 0
        for (position, entry) in scan.publics.enumerated() where position % 7 == 0 && entry.rva != 0
        {
            guard !insideFunction(entry.rva) else { continue }
            let match = try #require(source.nearestSymbol(atOrBelow: entry.rva))
            #expect(namesByAddress[entry.rva]?.contains(match.symbol.name) == true)
            #expect(match.displacement == 0)
            #expect(match.symbol.origin == .publicSymbol)
            // One byte further on, still the same public (when nothing else starts there).
            if namesByAddress[entry.rva + 1] == nil, !functionStarts.contains(entry.rva + 1) {
                let next = try #require(source.nearestSymbol(atOrBelow: entry.rva + 1))
                #expect(next.symbol.rva == entry.rva)
                #expect(next.displacement == 1)
            }
            // Exact name lookup finds it, ignoring case.
            let named = source.symbols(named: entry.name.uppercased())
            #expect(named.contains { $0.rva == entry.rva && $0.name == entry.name })
            checked += 1
        }
        if scan.publics.count > 7 { #expect(checked > 0) }
    }

    @Test func enumerationIsSortedAndComplete() throws {
        let path = Corpus.symbols.appendingPathComponent(
            "test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym"
        ).path
        let scan = try CorpusSymbols.scan(path)
        let source = CorpusSymbols.source(path)
        let all = source.allSymbols()
        #expect(all.count == scan.functions.count + scan.publics.filter { $0.rva != 0 }.count)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.rva <= $1.rva })
        let main = source.symbols(named: "MAIN")
        #expect(main.map(\.rva) == [0x41b0])
        let crash = source.symbols(matching: try SymbolPattern("*crashfunction"))
        #expect(crash.map(\.name) == ["`anonymous namespace'::CrashFunction"])
        let next = try #require(source.nextSymbol(after: 0x41b0))
        #expect(next.rva > 0x41b0)
        #expect(source.symbols(at: 0x4290).map(\.name) == ["`anonymous namespace'::CrashFunction"])
    }

    @Test func moduleRecordAndLineLookup() throws {
        let path = Corpus.symbols.appendingPathComponent(
            "null_read_av/7B7D1968FF0D47AE4366E9C3A7E1B6750/null_read_av.sym"
        ).path
        let source = BreakpadSymbolSource(path: path)
        let module = try #require(source.moduleRecord)
        #expect(module.operatingSystem == "Linux")
        #expect(module.architecture == "x86_64")
        #expect(module.identifier == "7B7D1968FF0D47AE4366E9C3A7E1B6750")
        #expect(module.name == "null_read_av")
        // Every line record of the file resolves to itself (checked on a sample).
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var files: [Int: String] = [:]
        var checked = 0
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ")
            if fields.first == "FILE", fields.count >= 3, let id = Int(fields[1]) {
                files[id] = fields[2...].joined(separator: " ")
            } else if number % 11 == 0, fields.count == 4, let rva = UInt64(fields[0], radix: 16),
                let size = UInt64(fields[1], radix: 16), size > 0, let lineNumber = Int(fields[2]),
                let file = Int(fields[3])
            {
                let found = try #require(source.sourceLine(at: rva + size - 1))
                #expect(found.rva == rva)
                #expect(found.line == lineNumber)
                #expect(found.file == files[file])
                checked += 1
            }
        }
        #expect(checked > 100)
    }
}
