import Engine
import Foundation
import Synchronization
import TestSupport
import Testing

/// The control-flow tokens, `j` and `.foreach`, as the debugger documentation describes them
/// (MicrosoftDocs/windows-driver-docs, windows-driver-docs-pr/debuggercmds/); each test names
/// its page. Output texts are `.echo`/`.printf` lines, so the expectations are the commands'
/// documented behaviour, not xcdb's formats.
@Suite struct ControlFlowTests {
    // -if.md, -elsif.md, -else.md: the four documented forms.
    @Test func ifElsifElse() {
        let harness = SessionHarness()
        harness.run("r $t0 = 5")
        #expect(harness.run(".if (@$t0 == 5) { .echo five }") == ["five"])
        #expect(harness.run(".if (@$t0 == 4) { .echo four } .else { .echo other }") == ["other"])
        #expect(
            harness.run(
                ".if (@$t0 == 4) { .echo four } .elsif (@$t0 == 5) { .echo a; .echo b } "
                    + ".else { .echo other }") == ["a", "b"])
        // Parentheses around the condition are optional.
        #expect(harness.run(".if @$t0 == 5 { .echo bare }") == ["bare"])
        // A command after the construct runs too; `;` inside braces does not end it.
        #expect(harness.run(".if (0) { .echo no } ; .echo after") == ["after"])
        #expect(harness.run(".else { .echo x }").first?.contains("Syntax error") == true)
    }

    // j--execute-if---else-.md: quoted and unquoted branches, an empty branch, and
    // nothing runs after the second branch.
    @Test func conditionalJump() {
        let harness = SessionHarness()
        harness.run("r $t0 = 0")
        #expect(harness.run("j (@$t0=0) '.echo a; .echo b'; '.echo c'") == ["a", "b"])
        #expect(harness.run("j (@$t0=1) '.echo a; .echo b'; '.echo c'") == ["c"])
        #expect(harness.run("j (@$t0=1) ''; '.echo d; .echo e'") == ["d", "e"])
        #expect(harness.run("j (@$t0=0)  ; '.echo f'") == [])
        #expect(harness.run("j @$t0 .echo yes ; .echo no ; .echo ignored") == ["no"])
    }

    // -for.md: the documented multi-increment form, with pseudo-registers for eax/ebx.
    @Test func forLoop() {
        let harness = SessionHarness()
        harness.run("r $t1 = 0")
        #expect(
            harness.run(
                ".for (r $t0=0; @$t0 < 7; r $t0=@$t0+1; r $t1=@$t1+1) { .printf \"%d\\n\", @$t0 }")
                == (0..<7).map { "\($0)" })
        #expect(harness.run("? @$t1") == ["Evaluate expression: 7 = 00000000`00000007"])
    }

    // -while.md, -do.md, -continue.md (and .break: its page in the folder is missing, the
    // syntax is -continue.md's).
    @Test func whileDoBreakContinue() {
        let harness = SessionHarness()
        #expect(
            harness.run(
                "r $t0 = 0; .while (@$t0 < 10) { r $t0 = @$t0 + 1; .if (@$t0 == 2) .continue; "
                    + ".if (@$t0 == 5) { .break }; .printf \"%d\\n\", @$t0 }") == ["1", "3", "4"])
        #expect(
            harness.run("r $t0 = 5; .do { .echo once } (@$t0 < 2)") == ["once"])
        #expect(
            harness.run(".break") == [
                ".break is only allowed inside a .for, .while, .do or .foreach loop"
            ])
    }

    // -catch.md, -leave.md: an error ends the .catch block, not the program; .leave leaves
    // it. Without .catch, an error ends the whole program (-catch.md).
    @Test func catchAndLeave() {
        let harness = SessionHarness()
        let caught = harness.run(".catch { .echo in; zzz; .echo not }; .echo after")
        #expect(caught.first == "in")
        #expect(caught[1].contains("Syntax error in 'zzz'"))
        #expect(caught.last == "after")
        #expect(
            harness.run(".catch { .echo in; .leave; .echo not }; .echo after") == ["in", "after"])
        let uncaught = harness.run(".block { zzz; .echo not }; .echo not")
        #expect(uncaught.count == 1)
        #expect(uncaught[0].contains("Syntax error"))
        #expect(harness.run(".leave").first?.contains("only allowed inside a .catch") == true)
    }

    // -foreach.md: /s strings, /pS and /ps (3rd, 8th, 13th ... tokens), /f files.
    @Test func foreachOverStringsAndFiles() throws {
        let harness = SessionHarness()
        #expect(harness.run(".foreach /s (w \"a b\tc\") { .echo w }") == ["a", "b", "c"])
        let words = (1...15).map { "t\($0)" }.joined(separator: " ")
        #expect(
            harness.run(".foreach /pS 2 /ps 4 /s (place \"\(words)\") { .echo place }")
                == ["t3", "t8", "t13"])
        let path = NSTemporaryDirectory() + "xcdb-foreach-\(UUID().uuidString).txt"
        try "one two\nthree\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(harness.run(".foreach /f (x \"\(path)\") { .echo x }") == ["one", "two", "three"])
        // The variable is replaced only where it stands alone, unless ${ } is used.
        #expect(harness.run(".foreach /s (v \"1\") { .echo v(v) ${v}x }") == ["v(v) 1x"])
    }

    // -foreach.md: InCommands' output is parsed, not shown.
    @Test func foreachOverCommandOutput() throws {
        let dump = DumpSession("win-x64-win10-fastfail.dmp")
        try #require(dump.isOpen)
        let tokens = dump.run("? 0n42").joined(separator: " ").split(separator: " ")
        let lines = dump.run(".foreach (t {? 0n42}) { .echo t }")
        #expect(lines == tokens.map(String.init))
    }

    // using-aliases.md, "Using an Alias in a Script File": the documented outputs of the two
    // scripts (an alias set in a loop is seen in a new block). The dump values differ from
    // the page's, so the expectation is built from `dd`'s output.
    @Test func aliasesInLoopsNeedANewBlock() throws {
        let dump = DumpSession("win-x64-win10-fastfail.dmp")
        try #require(dump.isOpen)
        // `.foreach` reads every token of `dd`'s output, the address first (as on the page).
        let values = dump.run("dd @$csp L4").joined(separator: " ").split(separator: " ")
            .map(String.init)
        try #require(values.count == 5)
        let directory = NSTemporaryDirectory() + "xcdb-script-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func plusOne(_ text: String) -> String {
            let value = UInt64(text.replacingOccurrences(of: "`", with: ""), radix: 16) ?? 0
            return "0x" + String(value + 1, radix: 16)
        }
        let late = """
            .foreach (value {dd @$csp L4})
            {
               as /x ${/v:myAlias} value + 1
               .echo value myAlias
            }
            ad myAlias
            """
        try late.write(toFile: directory + "/late.txt", atomically: true, encoding: .utf8)
        var expected = ["\(values[0]) myAlias"]
        for index in 1..<5 { expected.append("\(values[index]) \(plusOne(values[index - 1]))") }
        #expect(
            dump.run("$$><\(directory)/late.txt").filter { !$0.hasPrefix("0:000>") } == expected)
        let fixed = late.replacingOccurrences(
            of: ".echo value myAlias", with: ".block{.echo value myAlias}")
        try fixed.write(toFile: directory + "/fixed.txt", atomically: true, encoding: .utf8)
        #expect(
            dump.run("$$><\(directory)/fixed.txt").filter { !$0.hasPrefix("0:000>") }
                == values.map { "\($0) \(plusOne($0))" })
    }

    // Loops run within the line's execution budget: an endless loop ends at the command
    // count and the session goes on; Ctrl-C (the interrupt flag) stops a loop.
    @Test func loopsStayWithinTheBudget() {
        let harness = SessionHarness()
        harness.session.limits.maximumCommands = 500
        let lines = harness.run(".while (1) { }")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("Stopped: this line ran 500 commands") == true)
        #expect(harness.run(".for (;;) { .echo x }").last?.hasPrefix("Stopped:") == true)
        #expect(harness.run(".echo alive") == ["alive"])
    }

    @Test func ctrlCStopsALoop() {
        let harness = SessionHarness()
        harness.session.limits.maximumCommands = Int.max
        // Raises the interrupt once the endless loop has printed 100 lines.
        final class Interrupter: OutputSink {
            let session: Session
            let count = Mutex(0)
            init(session: Session) { self.session = session }
            func receive(_ event: OutputEvent) {
                guard event.kind == .output else { return }
                let seen = count.withLock { count in
                    count += 1
                    return count
                }
                if seen == 100 { session.interrupt.raise() }
            }
        }
        let id = harness.session.hub.add(Interrupter(session: harness.session))
        let lines = harness.run(".while (1) { .echo tick }")
        harness.session.hub.remove(id)
        #expect(lines.count == 100)
        #expect(harness.run(".echo alive") == ["alive"])
    }
}
