import Engine
import Foundation
import Testing

@Suite("? and .formats output")
struct FormatsTests {
    private func zone(hours: Int) -> TimeZone {
        TimeZone(secondsFromGMT: hours * 3600) ?? TimeZone(identifier: "UTC") ?? .current
    }

    @Test func documentedFormatsSample() {
        // `.formats 1c407e62` from the .formats documentation page, on a 32-bit target; the
        // doc writer's clock was 8 hours behind UTC (23:31:46 UTC is 15:31:46 there).
        let expected = [
            "Evaluate expression:",
            "  Hex:     1c407e62",
            "  Decimal: 473988706",
            "  Octal:   03420077142",
            "  Binary:  00011100 01000000 01111110 01100010",
            "  Chars:   .@~b",
            "  Time:    Mon Jan 07 15:31:46 1985",
            "  Float:   low 6.36908e-022 high 0",
            "  Double:  2.34182e-315",
        ]
        let lines = NumberFormats.lines(for: 0x1C40_7E62, pointerSize: 4, timeZone: zone(hours: -8))
        #expect(lines.count == expected.count)
        for (line, expectedLine) in zip(lines, expected) {
            #expect(line == expectedLine)
        }
    }

    @Test func thirtyTwoBitNegativeValue() {
        // Observed on an x86 user-mode target: `.formats e06d7363`.
        let lines = NumberFormats.lines(for: 0xE06D_7363, pointerSize: 4, timeZone: zone(hours: 8))
        #expect(
            lines == [
                "Evaluate expression:",
                "  Hex:     e06d7363",
                "  Decimal: -529697949",
                "  Octal:   34033271543",
                "  Binary:  11100000 01101101 01110011 01100011",
                "  Chars:   .msc",
                "  Time:    ***** Invalid",
                "  Float:   low -6.84405e+019 high 0",
                "  Double:  1.86029e-314",
            ])
    }

    @Test func signExtendedRegisterOnA32BitTarget() {
        // Observed on an x86 kernel target: `.formats cr0` with cr0 = 80010033 (a 32-bit
        // register, so sign-extended to ffffffff`80010033), with the newer unsigned line.
        let lines = NumberFormats.lines(
            for: 0xFFFF_FFFF_8001_0033, pointerSize: 4, timeZone: zone(hours: 9),
            showsUnsignedDecimal: true)
        #expect(
            lines == [
                "Evaluate expression:",
                "  Hex:     80010033",
                "  Decimal: -2147418061",
                "  Decimal (unsigned) : 2147549235",
                "  Octal:   20000200063",
                "  Binary:  10000000 00000001 00000000 00110011",
                "  Chars:   ...3",
                "  Time:    ***** Invalid",
                "  Float:   low -9.1907e-041 high -1.#QNAN",
                "  Double:  -1.#QNAN",
            ])
    }

    @Test func smallValueOnA64BitTarget() {
        // Observed on an x64 kernel target in UTC+8: `.formats 00000000`00004700`. (That
        // debugger padded the day with a space, `Jan  1`; we follow the documented sample.)
        let lines = NumberFormats.lines(for: 0x4700, pointerSize: 8, timeZone: zone(hours: 8))
        #expect(
            lines == [
                "Evaluate expression:",
                "  Hex:     00000000`00004700",
                "  Decimal: 18176",
                "  Octal:   0000000000000000043400",
                "  Binary:  00000000 00000000 00000000 00000000 00000000 00000000 01000111 00000000",
                "  Chars:   ......G.",
                "  Time:    Thu Jan 01 13:02:56 1970",
                "  Float:   low 2.547e-041 high 0",
                "  Double:  8.98014e-320",
            ])
    }

    @Test func fileTimeValue() {
        // Observed on x64 in UTC+8: `.formats 08d5c29b`9fd44000`.
        let lines = NumberFormats.lines(
            for: 0x08D5_C29B_9FD4_4000, pointerSize: 8, timeZone: zone(hours: 8))
        #expect(
            lines == [
                "Evaluate expression:",
                "  Hex:     08d5c29b`9fd44000",
                "  Decimal: 636628896000000000",
                "  Octal:   0043256051563765040000",
                "  Binary:  00001000 11010101 11000010 10011011 10011111 11010100 01000000 00000000",
                "  Chars:   ......@.",
                "  Time:    Sat May 26 08:00:00.000 3618 (UTC + 8:00)",
                "  Float:   low -8.98914e-020 high 1.28652e-033",
                "  Double:  4.2178e-266",
            ])
    }

    @Test func kernelAddressIsAnInvalidFileTime() {
        // Observed on x64: `.formats ffffa48bb0147290`.
        let lines = NumberFormats.lines(for: 0xFFFF_A48B_B014_7290, pointerSize: 8)
        #expect(lines[1] == "  Hex:     ffffa48b`b0147290")
        #expect(lines[2] == "  Decimal: -100555115171184")
        #expect(lines[3] == "  Octal:   1777775110566005071220")
        #expect(
            lines[4]
                == "  Binary:  11111111 11111111 10100100 10001011 10110000 00010100 01110010 10010000"
        )
        #expect(lines[5] == "  Chars:   ......r.")
        #expect(lines[6] == "  Time:    ***** Invalid FILETIME")
        #expect(lines[7] == "  Float:   low -5.40049e-010 high -1.#QNAN")
        #expect(lines[8] == "  Double:  -1.#QNAN")
    }

    @Test func fileTimeZoneOffsets() {
        // 1601-01-01 00:00:00.001 UTC, and a negative offset with minutes.
        let earliest = NumberFormats.lines(
            for: 10_000 | 1 << 32, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(earliest[6] == "  Time:    Mon Jan 01 00:07:09.497 1601 (UTC + 0:00)")
        let newfoundland = TimeZone(secondsFromGMT: -(3 * 3600 + 1800)) ?? .current
        let lines = NumberFormats.lines(
            for: 0x01D9_0000_0000_0000, pointerSize: 8, timeZone: newfoundland)
        #expect(lines[6].hasSuffix("(UTC - 3:30)"))
    }

    @Test func specialFloats() {
        let infinity = NumberFormats.lines(
            for: 0x7F80_0000, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(infinity[7] == "  Float:   low 1.#INF high 0")
        let indefinite = NumberFormats.lines(
            for: 0xFFF8_0000_FFC0_0000, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(indefinite[7] == "  Float:   low -1.#IND high -1.#QNAN")
        #expect(indefinite[8] == "  Double:  -1.#QNAN")
        let doubleIndefinite = NumberFormats.lines(
            for: 0xFFF8_0000_0000_0000, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(doubleIndefinite[8] == "  Double:  -1.#IND")
        let signaling = NumberFormats.lines(
            for: 0x7F80_0001, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(signaling[7] == "  Float:   low 1.#SNAN high 0")
        let negativeZero = NumberFormats.lines(
            for: 0x8000_0000_0000_0000, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(negativeZero[7] == "  Float:   low 0 high -0")
        #expect(negativeZero[8] == "  Double:  -0")
        let large = NumberFormats.lines(for: 0x4C80_0000, pointerSize: 8, timeZone: zone(hours: 0))
        #expect(large[7] == "  Float:   low 6.71089e+007 high 0")
    }

    @Test(arguments: [
        (UInt64(143), 4, "Evaluate expression: 143 = 0000008f"),
        (UInt64.max, 8, "Evaluate expression: -1 = ffffffff`ffffffff"),
        (UInt64.max, 4, "Evaluate expression: -1 = ffffffff"),
        (UInt64(1), 8, "Evaluate expression: 1 = 00000000`00000001"),
        (
            UInt64(0x0000_7FF9_6BB4_0778), 8,
            "Evaluate expression: 140709230544760 = 00007ff9`6bb40778"
        ),
        (UInt64(0x8000_0000), 4, "Evaluate expression: -2147483648 = 80000000"),
        (UInt64(0xFFFF_FFFF_8000_0000), 4, "Evaluate expression: -2147483648 = 80000000"),
        (UInt64(0x8000_0000), 8, "Evaluate expression: 2147483648 = 00000000`80000000"),
        (UInt64(0x1_0000_0000), 4, "Evaluate expression: 4294967296 = 00000001`00000000"),
        (UInt64(0xFFFF_FFFF_7FFF_FFFF), 4, "Evaluate expression: -2147483649 = ffffffff`7fffffff"),
        (UInt64(0), 4, "Evaluate expression: 0 = 00000000"),
    ])
    func evaluateExpressionLine(value: UInt64, pointerSize: Int, expected: String) {
        #expect(EvaluateExpressionFormat.line(for: value, pointerSize: pointerSize) == expected)
    }

    @Test func documentedQuestionMarkExamples() throws {
        // `? poi(@$teb + 0x108)==0x409` style: evaluation then formatting, 64-bit target.
        let value = try MASMEvaluator.evaluate("@rip + 8", in: TestEnvironment.standard)
        #expect(
            EvaluateExpressionFormat.line(for: value, pointerSize: 8)
                == "Evaluate expression: 140694977712136 = 00007ff6`1a2b1008")
        #expect(EvaluateExpressionFormat.backtickHex(0x0000_7FF6_1A2B_0000) == "00007ff6`1a2b0000")
    }
}
