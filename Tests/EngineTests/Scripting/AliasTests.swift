import Engine
import Foundation
import TestSupport
import Testing

/// Aliases as the debugger documentation describes them (MicrosoftDocs/windows-driver-docs,
/// windows-driver-docs-pr/debuggercmds/): each test names the page its expected text is from.
@Suite struct AliasTests {
    // as--as--set-alias-.md, al--list-aliases-.md; the `al` layout is the one in
    // using-aliases.md and ---evaluate-expression-.md.
    @Test func setListAndUseAnAlias() {
        let harness = SessionHarness()
        #expect(harness.run("as AliasName c:\\dir\\name.txt") == [])
        #expect(
            harness.run("al") == [
                "  Alias            Value  ",
                " -------          ------- ",
                " AliasName        c:\\dir\\name.txt",
            ])
        harness.run("as fred 2")
        // using-aliases.md: "as fred 2" then an expression using fred.
        #expect(harness.run("? fred") == ["Evaluate expression: 2 = 00000000`00000002"])
    }

    // as--as--set-alias-.md: `as` takes the rest of the line, `;` and all; `aS` ends at `;`
    // unless the phrase is quoted.
    @Test func asTakesTheRestOfTheLineAndASStopsAtSemicolon() {
        let harness = SessionHarness()
        harness.run("as GoUp .echo one; .echo two")
        #expect(harness.run("GoUp") == ["one", "two"])
        #expect(harness.run("aS Short .echo three; .echo four") == ["four"])
        #expect(harness.run("Short") == ["three"])
        harness.run("aS Quoted \".echo five; .echo six\"")
        #expect(harness.run("Quoted") == ["five", "six"])
    }

    // as--as--set-alias-.md Remarks: the documented outputs of the two `aS /x` lines.
    @Test func aNewAliasIsSeenOnlyInANewBlock() {
        let harness = SessionHarness()
        #expect(harness.run("aS /x myAlias 5 + 1; .echo myAlias") == ["myAlias"])
        harness.run("ad myAlias")
        #expect(harness.run("aS /x myAlias 5 + 1; .block{.echo myAlias}") == ["0x6"])
    }

    // using-aliases.md, "Using a .foreach Token in an Alias": both documented `al` listings.
    @Test func linesStartingWithAsAreNotExpanded() {
        let harness = SessionHarness()
        harness.run("r $t0 = 5")
        harness.run("ad myAlias")
        harness.run(".foreach /pS 2 /ps 2 (Token {?@$t0}) {as myAlias Token}")
        #expect(harness.run("al").last == " myAlias          Token")
        harness.run("ad myAlias")
        harness.run(".foreach /pS 2 /ps 2 (Token {?@$t0}) {;as myAlias Token}")
        #expect(harness.run("al").last == " myAlias          5")
    }

    // -------alias-interpreter-.md: every switch of ${ }, defined and undefined.
    @Test func aliasInterpreterSwitches() {
        let harness = SessionHarness()
        harness.run("as Name value")
        #expect(
            harness.run(".echo ${Name}x ${/d:Name} ${/f:Name} ${/n:Name} ${/v:Name}")
                == ["valuex 1 value Name ${/v:Name}"])
        #expect(
            harness.run(".echo [${Nope}] [${/d:Nope}] [${/f:Nope}] [${/n:Nope}]")
                == ["[${Nope}] [0] [] [${/n:Nope}]"])
        // `${/v:Name}` names the alias for as/aS/ad.
        harness.run("as ${/v:Name} other")
        #expect(harness.run(".echo Name") == ["other"])
        harness.run("ad ${/v:Name}")
        #expect(harness.run(".echo Name") == ["Name"])
    }

    // using-aliases.md: a user-named alias is replaced only where it stands alone (after a
    // blank, `;` or `"` and before one), and inside quotes.
    @Test func userNamedAliasesOnlyStandingAlone() {
        let harness = SessionHarness()
        harness.run("as x 7")
        #expect(harness.run(".echo x xx ax x;.echo \"x\"") == ["7 xx ax 7", "7"])
    }

    // ad--delete-alias-.md: `ad Name`, `ad /q`, `ad *`. The error text without /q is
    // inferred (the page does not show it); `al` with no aliases is inferred too.
    @Test func deleteAliases() {
        let harness = SessionHarness()
        harness.run("as a 1")
        harness.run("as b 2")
        harness.run("ad a")
        #expect(harness.run("al").count == 3)
        #expect(harness.run("ad a") == ["No alias named 'a'"])
        #expect(harness.run("ad /q a") == [])
        harness.run("ad *")
        #expect(harness.run("al") == ["No aliases"])
    }

    // as--as--set-alias-.md: /e (the debugger's environment), /x, /c, /f, and names that
    // begin with al/as/aS/ad are refused.
    @Test func aliasSwitches() throws {
        let harness = SessionHarness()
        setenv("XCDB_ALIAS_TEST", "from-env", 1)
        harness.run("as /e envAlias XCDB_ALIAS_TEST")
        #expect(harness.run(".echo envAlias") == ["from-env"])
        harness.run("as /x hexAlias 0n255")
        #expect(harness.run(".echo hexAlias") == ["0xff"])
        harness.run("as /c cmdAlias .echo captured")
        // The equivalent ends each command's output with a line break.
        #expect(harness.run(".foreach /s (w \"${cmdAlias}\") { .echo w }") == ["captured"])
        let path = NSTemporaryDirectory() + "xcdb-alias-\(UUID().uuidString).txt"
        try "file text".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        harness.run("aS /f fileAlias \(path)")
        #expect(harness.run(".echo fileAlias") == ["file text"])
        #expect(harness.run("as astro 1").first?.contains("Syntax error") == true)
    }

    // using-aliases.md, "Automatic Aliases": $ntsym and $CurrentDumpFile/$CurrentDumpPath.
    @Test func automaticAliases() throws {
        let name = "win-x64-win10-fastfail.dmp"
        let dump = DumpSession(name)
        try #require(dump.isOpen)
        let path = Corpus.dump(name)
        #expect(
            dump.run(".echo ${$CurrentDumpFile}|${$CurrentDumpPath}|${$ntsym}|${$ntnsym}")
                == ["\(path)|\((path as NSString).deletingLastPathComponent)|ntdll|ntdll"])
        #expect(dump.run(".echo ${/d:$CurrentDumpArchiveFile}") == ["0"])
        #expect(SessionHarness(mode: .kernel).run(".echo $ntsym") == ["nt"])
    }

    // as--as--set-alias-.md /ma and /mu: strings read from the dump's memory. The address
    // is one `s -sa` finds, so the test reads the dump, not a known answer.
    @Test func aliasFromMemoryString() throws {
        let dump = DumpSession("win-x64-win10-fastfail.dmp")
        try #require(dump.isOpen)
        let found = dump.run("s -sa @$csp L1000")
        let first = try #require(found.first, "no string on the stack")
        // `000000d2`de4ff878  "82aS"`
        let address = String(first.prefix { $0 != " " })
        let quoted = first.split(separator: "\"", omittingEmptySubsequences: false)
        try #require(quoted.count >= 3)
        _ = dump.run("as /ma memAlias \(address)")
        // `s -sa` shows the printable run; the alias runs on to the string's NUL.
        #expect(dump.run(".echo [${memAlias}]").first?.hasPrefix("[\(quoted[1])") == true)
    }

    // using-aliases.md, "Recursive Aliases": the three documented results (3, 3 and 9), and
    // the `r $.u5="dd esp 14; g"` form holding `;`.
    @Test func fixedNameAliases() {
        let harness = SessionHarness()
        harness.run("r $.u2=2")
        harness.run("r $.u1=1+$u2")
        harness.run("r $.u2=6")
        #expect(harness.run("? $u1") == ["Evaluate expression: 3 = 00000000`00000003"])
        harness.run("as fred 2")
        harness.run("r $.u1= 1 + fred")
        harness.run("as fred 6")
        #expect(harness.run("? $u1") == ["Evaluate expression: 3 = 00000000`00000003"])
        harness.run("r $.u0=2")
        harness.run("r $.u0=7+$u0")
        #expect(harness.run("? $u0") == ["Evaluate expression: 9 = 00000000`00000009"])
        harness.run("r $.u5=.echo a; .echo b")
        // A fixed-name alias is replaced even next to other text.
        #expect(harness.run("$u5") == ["a", "b"])
        #expect(harness.run(".echo x$u0") == ["x7+2"])
    }

    // -----------------------a---run-script-file-.md: the documented example with too few
    // arguments; the arguments are aliases too, so `${/d:$argN}` tells which were given.
    @Test func scriptArguments() throws {
        let harness = SessionHarness()
        let path = NSTemporaryDirectory() + "xcdb-args-\(UUID().uuidString).txt"
        try """
        .echo The first argument is ${$arg1}.
        .echo The fifth argument is ${$arg5}.
        .echo The fourth argument is ${$arg4}.
        .if (${/d:$arg5}) { .echo five } .else { .echo not five }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            harness.run("$$>a< \(path) \"First one\" Two Three Four; .echo after") == [
                "The first argument is First one.",
                "The fifth argument is ${$arg5}.",
                "The fourth argument is Four.",
                "not five",
                "after",
            ])
    }
}
