import Testing

@testable import Symbols

@Suite struct SymbolPatternTests {
    func matches(_ pattern: String, _ name: String, underscoreRule: Bool = true) throws -> Bool {
        try SymbolPattern(pattern, leadingUnderscoreMatchesAny: underscoreRule).matches(name)
    }

    @Test func starAndQuestionMark() throws {
        #expect(try matches("Create*", "CreateFileW"))
        #expect(try matches("*File*", "CreateFileW"))
        #expect(try matches("*", ""))
        #expect(try matches("Create?ileW", "CreateFileW"))
        #expect(try !matches("Create?ileW", "CreateileW"))
        #expect(try !matches("Create*", "NtCreateFile"))
        #expect(try matches("a*b*c", "aXXbYYc"))
        #expect(try !matches("a*b*c", "aXXbYY"))
    }

    @Test func caseIsIgnored() throws {
        #expect(try matches("createfilew", "CreateFileW"))
        #expect(try matches("CREATE*", "CreateFileW"))
        #expect(try matches("[a-c]reate*", "CreateFileW"))
        #expect(SymbolPattern.equalsIgnoringCase("KERNEL32", "kernel32"))
        #expect(!SymbolPattern.equalsIgnoringCase("kernel3", "kernel32"))
        #expect(SymbolPattern.equalsIgnoringCase("ÄBC", "äbc"))
    }

    @Test func leadingUnderscoreMatchesAnyNumberOfUnderscores() throws {
        #expect(try matches("_foo", "foo"))
        #expect(try matches("_foo", "_foo"))
        #expect(try matches("_foo", "___foo"))
        #expect(try matches("__foo", "foo"))
        #expect(try !matches("_foo", "xfoo"))
        // Only a leading underscore in the pattern does this.
        #expect(try !matches("foo", "_foo"))
        #expect(try !matches("a_b", "ab"))
        // Not for plain string patterns (module names).
        #expect(try !matches("_foo", "foo", underscoreRule: false))
        #expect(try SymbolPattern("_foo").exactName == nil)
        #expect(try SymbolPattern("_foo", leadingUnderscoreMatchesAny: false).exactName == "_foo")
    }

    @Test func setsAndRepeats() throws {
        #expect(try matches("Prog[er-t7]am", "Program"))
        #expect(try matches("Prog[er-t7]am", "Prog7am"))
        #expect(try !matches("Prog[er-t7]am", "Progxam"))
        #expect(try matches("Lo#p", "Lp"))
        #expect(try matches("Lo#p", "Looop"))
        #expect(try matches("Lo+p", "Lop"))
        #expect(try !matches("Lo+p", "Lp"))
        #expect(try matches("m[ia]#n", "mn"))
        #expect(try matches("m[ia]#n", "miain"))
        #expect(try matches("m[ia]+n", "main"))
        #expect(try !matches("m[ia]+n", "mn"))
        #expect(try matches("a?+b", "axxb"))
        #expect(try !matches("a?+b", "ab"))
    }

    @Test func escapes() throws {
        #expect(try matches("operator\\*", "operator*"))
        #expect(try !matches("operator\\*", "operator+"))
        #expect(try matches("a\\?b", "a?b"))
        #expect(try !matches("a\\?b", "axb"))
        #expect(try SymbolPattern("operator\\*").exactName == "operator*")
    }

    @Test func exactNameIsOnlyForPlainPatterns() throws {
        #expect(try SymbolPattern("main").exactName == "main")
        #expect(try SymbolPattern("ma*").exactName == nil)
        #expect(try SymbolPattern("m?in").exactName == nil)
    }

    @Test func malformedPatternsThrow() {
        #expect(throws: SymbolPatternError.self) { try SymbolPattern("abc[de") }
        #expect(throws: SymbolPatternError.self) { try SymbolPattern("abc\\") }
        do {
            _ = try SymbolPattern("[x")
            Issue.record("no error")
        } catch {
            #expect(
                error.description
                    == "Invalid pattern '[x': a '[' character set is not closed with ']'")
        }
    }

    @Test func hostilePatternsStayLinear() throws {
        // Backtracking matchers take exponential time on this (the test would not finish);
        // the automaton needs pattern length × name length steps.
        let pattern = try SymbolPattern(String(repeating: "*a", count: 200) + "b")
        #expect(!pattern.matches(String(repeating: "a", count: 5000)))
        #expect(pattern.matches(String(repeating: "a", count: 300) + "b"))
    }

    @Test func qualifiedPatterns() throws {
        let qualified = try QualifiedSymbolPattern("kernel*!_Create*")
        #expect(qualified.module?.matches("KERNEL32") == true)
        #expect(qualified.module?.matches("_kernel32") == false)
        #expect(qualified.symbol.matches("CreateFileW"))
        let bare = try QualifiedSymbolPattern("main")
        #expect(bare.module == nil)
        #expect(bare.symbol.exactName == "main")
    }

    @Test func formatting() {
        #expect(
            SymbolNameFormatting.qualifiedName(
                module: "kernel32", symbol: "BaseProcessStart", displacement: 0x23)
                == "kernel32!BaseProcessStart+0x23")
        #expect(
            SymbolNameFormatting.qualifiedName(module: "app", symbol: "main", displacement: 0)
                == "app!main")
        #expect(
            SymbolNameFormatting.qualifiedName(module: "m", symbol: "f", displacement: 0xABC)
                == "m!f+0xabc")
        #expect(SymbolNameFormatting.moduleOffset(module: "ntdll", rva: 0x1F00) == "ntdll+0x1f00")
        #expect(SymbolNameFormatting.moduleOffset(module: "ntdll", rva: 0) == "ntdll")
        let match = SymbolMatch(
            symbol: Symbol(name: "f", rva: 0x10, origin: .export), displacement: 0x1a)
        #expect(SymbolNameFormatting.qualifiedName(module: "m", match: match) == "m!f+0x1a")
    }
}
