import TestSupport
import Testing

@testable import Symbols

/// The corpus' `linux_inline` symbols in both INLINE layouts, checked against what Breakpad's
/// own resolver tests expect at 0x161b6 (`basic_source_line_resolver_unittest.cc`,
/// `TestLoadAndResolveOldInlines` / `...NewInlines`): frames main → foo() → bar() → func(),
/// with main at a.cpp:42, foo() at b.cpp:39, bar() at c.cpp:32, func() at linux_inline.cpp:27.
@Suite struct InlineFrameTests {
    static func source(_ variant: String) -> BreakpadSymbolSource {
        BreakpadSymbolSource(
            path: Corpus.symbols.appendingPathComponent(
                "linux_inline/BBA6FA10B8AAB33D00000000000000000/linux_inline.\(variant).sym"
            ).path)
    }

    @Test func newLayoutNamesCallSiteFiles() throws {
        let source = Self.source("new")
        let rva: UInt64 = 0x161b6
        #expect(source.nearestSymbol(atOrBelow: rva)?.symbol.name == "main")
        #expect(source.nearestSymbol(atOrBelow: rva)?.symbol.rva == 0x15b30)
        let line = try #require(source.sourceLine(at: rva))
        #expect(line.file == "linux_inline.cpp")
        #expect(line.line == 27)
        #expect(line.rva == 0x161b6)

        let frames = source.inlineFrames(at: rva)
        #expect(frames.map(\.name) == ["func()", "bar()", "foo()"])
        #expect(frames.map(\.depth) == [2, 1, 0])
        #expect(frames.map(\.rangeRVA) == [0x15b83, 0x15b72, 0x15b45])
        #expect(frames.map(\.callSiteLine) == [32, 39, 42])
        #expect(frames.map(\.callSiteFile) == ["c.cpp", "b.cpp", "a.cpp"])
    }

    @Test func oldLayoutHasNoCallSiteFiles() throws {
        let source = Self.source("old")
        let report = try source.load()
        #expect(report.skippedLineCount == 0)
        let frames = source.inlineFrames(at: 0x161b6)
        #expect(frames.map(\.name) == ["func()", "bar()", "foo()"])
        #expect(frames.map(\.callSiteLine) == [32, 39, 42])
        #expect(frames.allSatisfy { $0.callSiteFile == nil })
        #expect(source.sourceLine(at: 0x161b6)?.line == 27)
    }

    @Test func framesFollowTheInlineRanges() {
        let source = Self.source("new")
        #expect(source.inlineFrames(at: 0x15b30).isEmpty)  // main's own code
        #expect(source.inlineFrames(at: 0x15b45).map(\.name) == ["foo()"])
        #expect(source.inlineFrames(at: 0x15b72).map(\.name) == ["bar()", "foo()"])
        #expect(source.inlineFrames(at: 0x161f5).count == 3)
        #expect(source.inlineFrames(at: 0x161f6).isEmpty)  // past every inline range
        #expect(source.inlineFrames(at: 0x20000).isEmpty)  // outside any function
    }

    @Test func inlineRecordsNeedTheirParentLevel() throws {
        let text = """
            FILE 0 f.c
            INLINE_ORIGIN 0 outer
            INLINE_ORIGIN 1 inner
            FUNC 100 100 0 f
            INLINE 1 5 0 1 110 10
            INLINE 0 6 0 0 120 40
            INLINE 1 7 0 1 130 10
            """
        let source = BreakpadSymbolSource(contents: Array(text.utf8))
        let report = try source.load()
        // The first depth-1 record has no depth-0 parent yet: Breakpad drops it.
        #expect(report.counts.inlines == 2)
        #expect(report.skippedLineCount == 1)
        #expect(source.inlineFrames(at: 0x112).isEmpty)
        #expect(source.inlineFrames(at: 0x135).map(\.name) == ["inner", "outer"])
        #expect(source.inlineFrames(at: 0x135).map(\.callSiteFile) == ["f.c", "f.c"])
    }
}
