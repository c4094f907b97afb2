import Testing

@testable import Engine

/// `rY`/`rYI` ordering with values in both halves: the upper half (bits 128-255) first, each
/// half's lanes highest first, as `rX` orders XMM lanes.
@Suite struct AvxDisplayTests {
    static func lanes(_ values: [Float]) -> UInt128 {
        values.enumerated().reduce(0) { $0 | UInt128($1.element.bitPattern) << (32 * $1.offset) }
    }

    static let state = FloatingPointState(
        controlWord: 0x27F, statusWord: 0, tagWord: 0xFFFF, opcode: 0, instructionSelector: 0,
        instructionOffset: 0, dataSelector: 0, dataOffset: 0, stack: [], mxcsr: 0x1F80,
        xmm: [lanes([1, 2, 3, 4])], ymmHigh: [lanes([5, 6, 7, 8])])

    @Test func singlesPutTheUpperHalfFirst() {
        #expect(FloatingPointDisplay.avxLines(Self.state) == ["ymm0=8 7 6 5 4 3 2 1"])
        #expect(
            FloatingPointDisplay.single("ymm0", in: Self.state)
                == "ymm0="
                + ["8", "7", "6", "5", "4", "3", "2", "1"].map {
                    $0.leftPadded(to: 12)
                }.joined(separator: " "))
    }

    @Test func integersAreFourWordsHighestFirst() {
        #expect(
            FloatingPointDisplay.avxIntegerLines(Self.state) == [
                "ymm0=4100000040e00000 40c0000040a00000 4080000040400000 400000003f800000"
            ])
    }

    @Test func noUpperHalvesNoLines() {
        var state = Self.state
        state.ymmHigh = []
        #expect(FloatingPointDisplay.avxLines(state).isEmpty)
        #expect(FloatingPointDisplay.single("ymm0", in: state) == nil)
    }
}
