import Engine
import Testing

@Suite struct CommandTableTests {
    static func command(_ name: String, suffix: String = "", rest: Bool = false) -> Command {
        Command(name: name, summary: "test", suffixLetters: suffix, takesRestOfLine: rest) { _ in }
    }

    let table = CommandTable([
        command("k", suffix: "bcdfLMnpPv"), command("kd"), command("lm", suffix: "vmoflset1"),
        command("d"), command("dd"), command("dds"), command("?"), command("??"),
        command("$<", rest: true), command("$$<"), command("$$"), command("*", rest: true),
        command(".logopen"), command("!analyze"), command("r", suffix: "MFX"),
    ])

    @Test(arguments: [
        ("k", "k", ""), ("kb 5", "k", "b"), ("kvn", "k", "vn"), ("kP", "k", "P"), ("kd", "kd", ""),
        ("lmvm ntdll", "lm", "vm"), ("dd@esp", "dd", ""), ("dds esp", "dds", ""),
        ("DD 1", "dd", ""),
        ("?? 1", "??", ""), ("? 1", "?", ""), ("$$<x", "$$<", ""), ("$$ note", "$$", ""),
        ("$<file", "$<", ""), (".LogOpen x", ".logopen", ""), ("!analyze -v", "!analyze", ""),
        ("!ext.analyze -v", "!analyze", ""), ("rM 1", "r", "M"),
    ])
    func findsCommands(text: String, name: String, suffix: String) throws {
        let match = try #require(table.lookup(text[...]))
        #expect(match.command.name == name)
        #expect(String(match.suffix) == suffix)
    }

    @Test(arguments: ["zz", "kx", "lmq", ".nosuch", "!nosuch", "rax", "&"])
    func rejectsUnknownWords(text: String) {
        #expect(table.lookup(text[...]) == nil)
    }

    @Test func argumentsFollowTheWord() throws {
        let match = try #require(table.lookup("dd@esp L4"[...]))
        #expect(match.arguments == "@esp L4")
    }

    @Test func completesNames() {
        #expect(table.completions(forPrefix: ".lo") == [".logopen"])
        #expect(table.completions(forPrefix: "dd") == ["dd", "dds"])
    }

    @Test func splitsAtSemicolonsOutsideQuotes() {
        let splitter = CommandLineSplitter(table: table)
        #expect(splitter.split("k; dd 1 ;  lm") == ["k", "dd 1", "lm"])
        #expect(splitter.split(".logopen \"a;b\"; k") == [".logopen \"a;b\"", "k"])
        #expect(splitter.split("k; * comment; k") == ["k", "* comment; k"])
        #expect(splitter.split("$<a;b.txt") == ["$<a;b.txt"])
        #expect(splitter.split("$$<a.txt; k") == ["$$<a.txt", "k"])
        #expect(splitter.split(" ; ;k;") == ["k"])
        #expect(splitter.split("\"unterminated; k") == ["\"unterminated; k"])
    }

    @Test func wildcardPatterns() {
        #expect(WildcardPattern("nt*").matches("ntdll"))
        #expect(WildcardPattern("*dll").matches("NTDLL"))
        #expect(WildcardPattern("n?dll").matches("ntdll"))
        #expect(!WildcardPattern("n?dll").matches("nttdll"))
        #expect(WildcardPattern("*").matches(""))
        #expect(!WildcardPattern("a*b*c").matches("aXbY"))
        #expect(
            WildcardPattern(String(repeating: "*a", count: 50)).matches(
                String(repeating: "a", count: 60)))
    }
}
