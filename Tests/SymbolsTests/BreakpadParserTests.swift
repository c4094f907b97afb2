import Foundation
import TestSupport
import Testing

@testable import Symbols

@Suite struct BreakpadParserTests {
    static func source(_ text: String) -> BreakpadSymbolSource {
        BreakpadSymbolSource(contents: Array(text.utf8), name: "test.sym")
    }

    static let sample = """
        MODULE windows x86 0123456789ABCDEF0123456789ABCDEF1 sample.pdb
        INFO CODE_ID 5A9832E52D000 sample.exe
        FILE 1 c:\\src\\main.cc
        FILE 2 c:\\src\\util.h
        FUNC 1000 30 8 main(int, char **)
        1000 10 10 1
        1010 20 12 2
        FUNC m 1040 10 0 folded
        1040 10 3 2
        PUBLIC 1100 4 _exported@4
        PUBLIC m 1200 0 multi
        PUBLIC 0 0 at_zero
        STACK WIN 4 1000 30 3 0 8 0 4 0 1 $T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =
        STACK WIN 0 1040 10 0 0 0 4 0 0 0 1
        STACK CFI INIT 2000 20 .cfa: $rsp 8 + .ra: .cfa -8 + ^
        STACK CFI 2001 .cfa: $rsp 16 + $rbp: .cfa -16 + ^
        STACK CFI 2004 .cfa: $rbp 16 +

        """

    @Test func parsesEveryRecordType() throws {
        let source = Self.source(Self.sample)
        let report = try source.load()
        #expect(report.skippedLineCount == 0, "\(report.warnings)")
        #expect(
            report.module
                == BreakpadModuleRecord(
                    operatingSystem: "windows", architecture: "x86",
                    identifier: "0123456789ABCDEF0123456789ABCDEF1", name: "sample.pdb"))
        #expect(report.codeIdentifier == "5A9832E52D000")
        #expect(report.counts.functions == 2)
        #expect(report.counts.lines == 3)
        #expect(report.counts.files == 2)
        #expect(report.counts.publicSymbols == 3)
        #expect(report.counts.stackWin == 2)
        #expect(report.counts.stackCFIInit == 1)
        #expect(report.counts.stackCFIDelta == 2)
        #expect(source.kind == .privateSymbols)
    }

    @Test func functionAndPublicLookups() throws {
        let source = Self.source(Self.sample)
        let main = try #require(source.nearestSymbol(atOrBelow: 0x1012))
        #expect(main.symbol.name == "main(int, char **)")
        #expect(main.symbol.size == 0x30)
        #expect(main.symbol.parameterSize == 8)
        #expect(main.displacement == 0x12)

        let folded = try #require(source.nearestSymbol(atOrBelow: 0x1040))
        #expect(folded.symbol.isMultiple)
        #expect(folded.displacement == 0)

        // Past the end of `folded` and before any public: the function, flagged past its end.
        let past = try #require(source.nearestSymbol(atOrBelow: 0x1080))
        #expect(past.symbol.name == "folded")
        #expect(!past.isWithinSymbol)

        let exported = try #require(source.nearestSymbol(atOrBelow: 0x1150))
        #expect(exported.symbol.name == "_exported@4")
        #expect(exported.symbol.origin == .publicSymbol)
        #expect(exported.symbol.size == nil)
        #expect(exported.displacement == 0x50)
        #expect(source.nearestSymbol(atOrBelow: 0x1200)?.symbol.isMultiple == true)

        // Publics at 0 are ignored, so nothing lies below the first function.
        #expect(source.nearestSymbol(atOrBelow: 0xfff) == nil)
        #expect(source.symbols(named: "at_zero").isEmpty)
        #expect(
            source.allSymbols().map(\.name) == [
                "main(int, char **)", "folded", "_exported@4", "multi",
            ])
    }

    @Test func lineLookups() throws {
        let source = Self.source(Self.sample)
        let first = try #require(source.sourceLine(at: 0x100f))
        #expect(first == SourceLine(file: "c:\\src\\main.cc", line: 10, rva: 0x1000, size: 0x10))
        let second = try #require(source.sourceLine(at: 0x1010))
        #expect(second.line == 12)
        #expect(second.file == "c:\\src\\util.h")
        #expect(source.sourceLine(at: 0x1030) == nil)  // gap between functions
        #expect(source.sourceLine(at: 0x1100) == nil)  // publics have no lines
    }

    @Test func nameLookupsIgnoreCase() throws {
        let source = Self.source(Self.sample)
        #expect(source.symbols(named: "FOLDED").map(\.rva) == [0x1040])
        #expect(source.symbols(named: "fold").isEmpty)
        #expect(source.symbols(matching: try SymbolPattern("_exported*")).map(\.rva) == [0x1100])
        #expect(source.symbols(matching: try SymbolPattern("exported@4")).isEmpty)
        // The leading-underscore rule: `_multi` finds `multi`.
        #expect(source.symbols(matching: try SymbolPattern("_multi")).map(\.rva) == [0x1200])
        #expect(source.symbols(matching: try SymbolPattern("*")).count == 4)
    }

    @Test func unwindRecordsAreFoundByAddress() throws {
        let source = Self.source(Self.sample)
        let frameData = try #require(source.windowsFrameInfo(at: 0x1020))
        #expect(frameData.type == .frameData)
        #expect(frameData.parameterSize == 8)
        #expect(frameData.localSize == 4)
        #expect(frameData.programString?.hasPrefix("$T0 $ebp =") == true)
        let fpo = try #require(source.windowsFrameInfo(at: 0x104f))
        #expect(fpo.type == .fpo)
        #expect(fpo.savedRegisterSize == 4)
        #expect(fpo.programString == nil)
        #expect(fpo.allocatesBasePointer)
        #expect(source.windowsFrameInfo(at: 0x1050) == nil)
        #expect(source.parameterSize(at: 0x1020) == 8)

        let initial = try #require(source.cfiRules(at: 0x2000))
        #expect(initial.cfaRule == "$rsp 8 +")
        #expect(initial.returnAddressRule == ".cfa -8 + ^")
        #expect(initial.registerRules.isEmpty)
        let middle = try #require(source.cfiRules(at: 0x2003))
        #expect(middle.cfaRule == "$rsp 16 +")
        #expect(middle.registerRules == ["rbp": ".cfa -16 + ^"])
        let late = try #require(source.cfiRules(at: 0x201f))
        #expect(late.cfaRule == "$rbp 16 +")
        #expect(late.registerRules == ["rbp": ".cfa -16 + ^"])
        #expect(source.cfiRules(at: 0x2020) == nil)
    }

    @Test func badLinesAreSkippedAndCounted() throws {
        let text = """
            MODULE Linux x86_64 ABC name
            FUNC zz 10 0 bad_address
            10 4 1 0
            FUNC 20 10 0 good
            20 4 1
            20 4 -1 0
            FILE x name
            STACK WIN 9 0 1 0 0 0 0 0 0 0 0
            STACK WIN 4 0 1 0 0 0 0 0 0 1
            STACK CFI INIT 10
            STACK XYZ 1
            INLINE 0 1 2
            garbage line
            24 4 2 0
            PUBLIC 30 0
            28 4 3 0
            FILE 0 a.c
            """
        let source = Self.source(text)
        let report = try source.load()
        #expect(report.counts.functions == 1)
        #expect(report.counts.lines == 1)
        #expect(report.skippedLineCount == 13)
        #expect(report.warnings.map(\.lineNumber) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16])
        #expect(report.warnings.first?.message == "FUNC record has a bad address")
        #expect(report.warnings.last?.message == "source line record outside a FUNC")
        // The good line record after the junk still belongs to `good`.
        #expect(source.sourceLine(at: 0x25)?.line == 2)
        #expect(source.sourceLine(at: 0x29) == nil)
    }

    @Test func numberFieldsAreCheckedForRange() throws {
        let text = """
            FUNC 0000000000000000001000 10 0 leading_zeros
            FUNC ffffffffffffffff 1 0 top
            FUNC 1ffffffffffffffff 1 0 too_big
            FUNC 2000 10 100000000 parameters_too_big
            FUNC 3000 10 0 lines
            3000 4 99999999999999999999 1
            3000 4 4294967296 1
            3004 4 4294967295 1
            FILE 1 f.c
            """
        let source = Self.source(text)
        let report = try source.load()
        #expect(report.counts.functions == 3)
        #expect(report.counts.lines == 1)
        #expect(report.warnings.map(\.lineNumber) == [3, 4, 6, 7])
        #expect(source.nearestSymbol(atOrBelow: 0x1000)?.symbol.name == "leading_zeros")
        #expect(source.nearestSymbol(atOrBelow: UInt64.max)?.symbol.name == "top")
        #expect(source.sourceLine(at: 0x3005)?.line == 4_294_967_295)
    }

    @Test func warningsAreCappedButAllLinesCounted() throws {
        let text = String(repeating: "nonsense\n", count: 500) + "FUNC 0 10 0 f\n"
        let report = try Self.source(text).load()
        #expect(report.skippedLineCount == 500)
        #expect(report.warnings.count == BreakpadLoadReport.maximumWarnings)
        #expect(report.counts.functions == 1)
    }

    @Test func lineEndingsAndMissingFinalNewline() throws {
        let text = "FUNC 10 10 0 f\r\n10 8 7 1\r\nFILE 1 a.c\rFUNC 20 4 0 g"
        let source = Self.source(text)
        let report = try source.load()
        #expect(report.skippedLineCount == 0)
        #expect(source.sourceLine(at: 0x12) == SourceLine(file: "a.c", line: 7, rva: 0x10, size: 8))
        #expect(source.nearestSymbol(atOrBelow: 0x21)?.symbol.name == "g")
    }

    @Test func binaryGarbageDoesNotCrash() throws {
        var generator = SplitMix64(seed: 0x5EED)
        var bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        // Sprinkle record keywords so the parser goes down every path.
        let keywords = [
            "FUNC ", "PUBLIC m ", "STACK WIN 4 ", "STACK CFI INIT ", "INLINE ", "FILE ",
        ]
        for index in stride(from: 0, to: bytes.count - 20, by: 997) {
            let word = Array(keywords[index % keywords.count].utf8)
            bytes.replaceSubrange(index..<(index + word.count), with: word)
            if index > 0 { bytes[index - 1] = UInt8(ascii: "\n") }
        }
        let source = BreakpadSymbolSource(contents: bytes)
        let report = try source.load()
        #expect(report.skippedLineCount > 0)
        for rva in stride(from: UInt64(0), to: 0xFFFF_FFFF, by: 0x1234_5678) {
            _ = source.nearestSymbol(atOrBelow: rva)
            _ = source.sourceLine(at: rva)
            _ = source.inlineFrames(at: rva)
            _ = source.cfiRules(at: rva)
            _ = source.windowsFrameInfo(at: rva)
        }
        _ = source.symbols(named: "x")
    }

    @Test func concurrentFirstUseLoadsOnce() async {
        let source = Self.source(Self.sample)
        await withTaskGroup(of: String?.self) { group in
            for index in 0..<16 {
                group.addTask {
                    index % 2 == 0
                        ? source.nearestSymbol(atOrBelow: 0x1012)?.symbol.name
                        : source.symbols(named: "MAIN(INT, CHAR **)").first?.name
                }
            }
            for await name in group { #expect(name == "main(int, char **)") }
        }
        #expect(source.isLoaded)
        #expect(source.kind == .privateSymbols)
    }

    @Test func missingFileIsAnErrorNotACrash() {
        let source = BreakpadSymbolSource(path: "/nonexistent/dir/none.sym")
        #expect(source.kind == .deferred)
        #expect(throws: SymbolFileError.self) { try source.load() }
        #expect(source.kind == .none)
        #expect(source.loadError?.message == "cannot open the symbol file")
        #expect(source.nearestSymbol(atOrBelow: 0) == nil)
        #expect(source.allSymbols().isEmpty)

        let directory = BreakpadSymbolSource(path: "/")
        #expect(throws: SymbolFileError.self) { try directory.load() }
        #expect(directory.loadError?.message == "not a regular file")
    }

    @Test func emptyAndCFIOnlyFilesHaveNoSymbols() throws {
        let empty = Self.source("")
        #expect(try empty.load().counts == BreakpadRecordCounts())
        #expect(empty.kind == .none)
        let cfiOnly = Self.source("STACK CFI INIT 10 10 .cfa: $rsp 8 + .ra: .cfa -8 + ^\n")
        #expect(cfiOnly.kind == .deferred)
        _ = try cfiOnly.load()
        #expect(cfiOnly.kind == .none)
        #expect(cfiOnly.cfiRules(at: 0x15) != nil)
    }
}
