import Engine
import Testing

@Suite struct MemoryDisplayTests {
    func harness() -> SessionHarness {
        let target = FakeTarget.windowsX64()
        target.memory = [
            (
                0x1000,
                Array("ntdll\\ldrinit.c\0".utf8) + [0x48, 0, 0, 0, 0x63, 0x01, 0x0c, 0x50]
                    + Array(repeating: 0, count: 8)
            ),
            (0x2000, Array("A\0B\0C\0\0\0".utf8)),
        ]
        return SessionHarness.with(target)
    }

    @Test func bytesWithASCII() {
        #expect(
            harness().run("db 1000 L20") == [
                "00000000`00001000  6e 74 64 6c 6c 5c 6c 64-72 69 6e 69 74 2e 63 00  ntdll\\ldrinit.c.",
                "00000000`00001010  48 00 00 00 63 01 0c 50-00 00 00 00 00 00 00 00  H...c..P........",
            ])
    }

    // Issue 11: `dd Start End` showed its last dword as ???????? though it was readable;
    // every object that starts at or before End is shown whole (d--da--db--dc--dd--dd--df--dp--dq--du--dw--dw--dyb--dyd--display-memor.md:
    // a range is Start End; that End's object is included is inferred from CDB's output).
    @Test func startEndRangesShowTheLastObjectWhole() {
        #expect(
            harness().run("dd 1010 1014") == ["00000000`00001010  00000048 500c0163"])
        #expect(harness().run("dq 1010 1011") == ["00000000`00001010  500c0163`00000048"])
        #expect(
            harness().run("db 1000 1002") == [
                "00000000`00001000  6e 74 64                                         ntd"
            ])
    }

    @Test func unavailableBytesShowQuestionMarks() {
        let lines = harness().run("db 1018 L10")
        #expect(
            lines == [
                "00000000`00001018  00 00 00 00 00 00 00 00-?? ?? ?? ?? ?? ?? ?? ??  ........????????"
            ])
    }

    @Test func partialLinesKeepTheASCIIColumn() {
        #expect(
            harness().run("db 1000 L3") == [
                "00000000`00001000  6e 74 64                                         ntd"
            ])
    }

    @Test func dwordsQwordsAndContinuation() {
        let harness = harness()
        #expect(
            harness.run("dd 1010 L4") == ["00000000`00001010  00000048 500c0163 00000000 00000000"])
        #expect(
            harness.run("dq 1010 L2") == ["00000000`00001010  500c0163`00000048 00000000`00000000"])
        #expect(harness.run("dd 1010 1017") == ["00000000`00001010  00000048 500c0163"])
        harness.run("dd 1000 L4")
        #expect(harness.run("") == ["00000000`00001010  00000048 500c0163 00000000 00000000"])
    }

    @Test func dwordsWithCharacters() {
        #expect(
            harness().run("dc 1000 L4") == [
                "00000000`00001000  6c64746e 646c5c6c 696e6972 00632e74  ntdll\\ldrinit.c."
            ])
    }

    @Test func strings() {
        let harness = harness()
        #expect(harness.run("da 1000") == ["00000000`00001000  \"ntdll\\ldrinit.c\""])
        #expect(harness.run("du 2000") == ["00000000`00002000  \"ABC\""])
        #expect(
            harness.run("da 9000") == ["00000000`00009000  " + String(repeating: "?", count: 48)])
    }

    @Test func rangesAreChecked() {
        let harness = harness()
        #expect(harness.run("db 0 L20000000") == ["       ^ Range error in 'db 0 L20000000'"])
        #expect(harness.run("db 2000 1000") == ["       ^ Range error in 'db 2000 1000'"])
    }
}

@Suite struct MemorySearchTests {
    func harness() -> SessionHarness {
        let target = FakeTarget.windowsX64()
        var bytes = [UInt8](repeating: 0, count: 0x40)
        bytes.replaceSubrange(0x10..<0x14, with: [0x41, 0x41, 0x41, 0x41])
        bytes.replaceSubrange(0x21..<0x25, with: [0x41, 0x41, 0x41, 0x41])
        bytes.replaceSubrange(0x30..<0x36, with: Array("hello!".utf8))
        target.memory = [(0x1000, bytes), (0x5000, Array("xAAAAy".utf8))]
        return SessionHarness.with(target)
    }

    @Test func dwordHitsMustBeAligned() {
        #expect(
            harness().run("s -d 0 L?ffffffff 41414141") == [
                "00000000`00001010  41414141 00000000 00000000 00000000"
            ])
    }

    @Test func byteSearchFindsOverlappingHitsAcrossRanges() {
        let lines = harness().run("s -[1]b 0 L10000 41 41 41")
        #expect(
            lines == [
                "00000000`00001010", "00000000`00001011", "00000000`00001021", "00000000`00001022",
                "00000000`00005001", "00000000`00005002",
            ])
    }

    @Test func stringSearches() {
        let harness = harness()
        #expect(
            harness.run("s -a 1000 L40 \"hello\"").first?.hasPrefix(
                "00000000`00001030  68 65 6c 6c 6f") == true)
        #expect(
            harness.run("s -[l5]sa 1000 L40") == ["00000000`00001030  \"hello!\""])
        #expect(harness.run("s -sa 1000 L40").count == 3)
        #expect(harness.run("s -[n1]b 0 L10000 41").count == 1)
    }

    @Test func searchNeedsARangeAndAPattern() {
        let harness = harness()
        #expect(harness.run("s -d 1000").first?.contains("Syntax error") == true)
        #expect(harness.run("s -x 0 L10 1").first?.contains("Syntax error") == true)
    }
}
