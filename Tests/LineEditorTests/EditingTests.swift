import Testing

@testable import LineEditor

/// Typing and editing keys, driven through a real terminal (tmux).
@Suite("Editing keys")
struct EditingTests {
    @Test("typed text comes back as the line, without the line break")
    func typing() throws {
        let harness = try EditorHarness()
        let result = harness.read { terminal in
            terminal.type("lm m nt")
            terminal.press("Enter")
        }
        #expect(result == .line("lm m nt"))
        #expect(harness.terminal.visibleLines() == ["0:000> lm m nt"])
    }

    @Test("insert in the middle, Ctrl-A, Ctrl-E, Ctrl-K")
    func insertAndKill() throws {
        let harness = try EditorHarness()
        let result = harness.read { terminal in
            terminal.type("lm nt")
            terminal.press("Left", "Left")
            terminal.type("m ")
            terminal.press("C-a")
            terminal.type("!")
            terminal.press("C-e")
            terminal.type("dll")
            // Cursor back before "dll", then kill to the end.
            terminal.press("Left", "Left", "Left", "C-k")
            terminal.press("Enter")
        }
        #expect(result == .line("!lm m nt"))
    }

    @Test("Home and End, Ctrl-U, Ctrl-W, Alt-B, Alt-F")
    func wordAndLineKeys() throws {
        let harness = try EditorHarness()
        let result = harness.read { terminal in
            terminal.type("dd rsp")
            terminal.press("Home")
            terminal.type("x")
            terminal.press("End")
            terminal.type(" l8")
            terminal.press("C-w")  // removes "l8"
            terminal.press("M-b")  // to the start of "rsp"
            terminal.type("@")
            terminal.press("M-f")  // to the end of "rsp"
            terminal.type("+8")
            terminal.press("Enter")
        }
        #expect(result == .line("xdd @rsp+8 "))

        let cleared = harness.read { terminal in
            terminal.type("garbage")
            terminal.press("C-u")
            terminal.type("k")
            terminal.press("Enter")
        }
        #expect(cleared == .line("k"))
    }

    @Test("ESC alone clears the line, as in CDB; Alt-keys still work")
    func escapeClearsLine() throws {
        let harness = try EditorHarness()
        #expect(harness.startReading())
        harness.terminal.type("dq @rsp")
        harness.terminal.waitForLastLine("0:000> dq @rsp")
        harness.terminal.press("Escape")
        #expect(harness.terminal.waitForLastLine("0:000>").met)
        harness.terminal.type("u rip")
        harness.terminal.send(bytes: [0x1B, UInt8(ascii: "b")])  // Alt-B as terminals send it
        harness.terminal.type("@")
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("u @rip"))
    }

    @Test("UTF-8 text is read and drawn with the cursor in the right column")
    func utf8() throws {
        let harness = try EditorHarness()
        #expect(harness.startReading())
        harness.terminal.type(".echo café €5 日本")
        harness.terminal.press("Left", "Left")
        harness.terminal.type("x")
        let shown = harness.terminal.waitForLastLine("0:000> .echo café €5 x日本")
        #expect(shown.met, "\(shown.screen)")
        // Prompt 7 + ".echo café €5 x" 15 columns.
        #expect(harness.terminal.waitForCursor(column: 22, row: 0))
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line(".echo café €5 x日本"))
    }

    @Test("a line longer than the terminal wraps, and editing it keeps the rows right")
    func longLineWraps() throws {
        let harness = try EditorHarness(columns: 30)
        #expect(harness.startReading())
        let text = String(repeating: "0123456789", count: 6)  // 7 + 60 = 67 columns: 3 rows
        harness.terminal.type(text)
        let expected = [
            "0:000> 01234567890123456789012",
            "345678901234567890123456789012",
            "3456789",
        ]
        #expect(harness.terminal.waitFor { $0 == expected }.met)
        harness.terminal.press("C-a")
        harness.terminal.type("ab")
        let edited = [
            "0:000> ab012345678901234567890",
            "123456789012345678901234567890",
            "123456789",
        ]
        let shown = harness.terminal.waitFor { $0 == edited }
        #expect(shown.met, "\(shown.screen)")
        #expect(harness.terminal.waitForCursor(column: 9, row: 0))
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("ab" + text))
    }

    @Test("Ctrl-C abandons the line: .interrupted, ^C shown, and the next prompt is fresh")
    func controlC() throws {
        let harness = try EditorHarness()
        let result = harness.read { terminal in
            terminal.type("g; k")
            terminal.press("Left")
            terminal.press("C-c")
        }
        #expect(result == .interrupted)
        #expect(harness.startReading())
        let shown = harness.terminal.waitFor { $0 == ["0:000> g; k^C", "0:000>"] }
        #expect(shown.met, "\(shown.screen)")
        harness.terminal.type("k")
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("k"))
    }

    @Test("Ctrl-D: end of file on an empty line, delete under the cursor otherwise")
    func controlD() throws {
        let harness = try EditorHarness()
        let deleted = harness.read { terminal in
            terminal.type("kbx")
            terminal.press("Left", "C-d", "Enter")
        }
        #expect(deleted == .line("kb"))
        let end = harness.read { terminal in terminal.press("C-d") }
        #expect(end == .endOfFile)
        // The cursor is on a fresh row for whatever the caller prints next.
        #expect(harness.terminal.waitForCursor(column: 0, row: 2))
    }
}
