import TestSupport
import Testing

@testable import Symbols

@Suite struct RangeForestTests {
    @Test func nestedAndDisjointRanges() {
        let forest = RangeForest(ranges: [
            (0x100, 0x100),  // 0: outer
            (0x120, 0x20),  // 1: inside 0
            (0x128, 0x8),  // 2: inside 1
            (0x300, 0x10),  // 3: alone
        ])
        #expect(forest.adjustedCount == 0)
        #expect(forest.innermost(containing: 0x100) == 0)
        #expect(forest.innermost(containing: 0x12a) == 2)
        #expect(forest.all(containing: 0x12a) == [2, 1, 0])
        #expect(forest.innermost(containing: 0x130) == 1)
        #expect(forest.innermost(containing: 0x140) == 0)
        #expect(forest.innermost(containing: 0x1ff) == 0)
        #expect(forest.innermost(containing: 0x200) == nil)
        #expect(forest.innermost(containing: 0x30f) == 3)
        #expect(forest.innermost(containing: 0x310) == nil)
        #expect(forest.innermost(containing: 0) == nil)
    }

    @Test func partialOverlapCutsTheEarlierRangeShort() {
        // The kernel32.sym case: 16ea9+130 runs into 16fb4+4f.
        let forest = RangeForest(ranges: [(0x16fb4, 0x4f), (0x16ea9, 0x130)])
        #expect(forest.adjustedCount == 1)
        #expect(forest.innermost(containing: 0x16fd6) == 0)
        #expect(forest.innermost(containing: 0x16fb3) == 1)
        #expect(forest.innermost(containing: 0x17002) == 0)
        #expect(forest.innermost(containing: 0x17003) == nil)
    }

    @Test func duplicatesAndEmptyRangesAreIgnored() {
        let forest = RangeForest(ranges: [(0x10, 0x10), (0x10, 0x10), (0x40, 0)])
        #expect(forest.adjustedCount == 2)
        #expect(forest.all(containing: 0x15) == [0])
        #expect(forest.innermost(containing: 0x40) == nil)
    }

    @Test func rangesAtTheTopOfTheAddressSpace() {
        let forest = RangeForest(ranges: [(UInt64.max - 4, 100)])
        #expect(forest.innermost(containing: UInt64.max - 1) == 0)
        #expect(forest.innermost(containing: UInt64.max - 5) == nil)
    }

    /// Random laminar families (nested or disjoint ranges only) against a brute-force search
    /// for the smallest containing range.
    @Test func matchesBruteForceOnRandomNestedRanges() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<8 {
            var ranges: [(start: UInt64, size: UInt64)] = []
            func build(_ start: UInt64, _ end: UInt64, depth: Int) {
                var cursor = start
                while cursor < end, ranges.count < 300 {
                    let gap = generator.next() % 8
                    let length = 1 + generator.next() % max(1, (end - cursor) / 2)
                    let first = cursor + gap
                    guard first < end else { return }
                    let last = min(end, first + length)
                    ranges.append((first, last - first))
                    if depth < 4, last - first > 4 { build(first, last, depth: depth + 1) }
                    cursor = last
                }
            }
            build(0, 2000, depth: 0)
            ranges.shuffle(using: &generator)
            let forest = RangeForest(ranges: ranges)
            #expect(forest.adjustedCount == 0)
            for address in stride(from: UInt64(0), to: 2010, by: 3) {
                let containing = ranges.indices.filter {
                    address >= ranges[$0].start && address - ranges[$0].start < ranges[$0].size
                }
                let expected = containing.min { ranges[$0].size < ranges[$1].size }
                let found = forest.innermost(containing: address)
                #expect(found.map { ranges[$0].size } == expected.map { ranges[$0].size })
                #expect(Set(forest.all(containing: address)) == Set(containing))
            }
        }
    }
}
