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
