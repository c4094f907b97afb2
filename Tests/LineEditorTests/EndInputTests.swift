import Foundation
import Testing

@testable import LineEditor

/// `endInput()` from another thread: the way a program ends a read when its input source went
/// away elsewhere (a remote session the server closed).
@Suite("Ending input from another thread")
struct EndInputTests {
    @Test("a half-typed line is erased, waiting text is shown, and the read ends")
    func duringARead() throws {
        let harness = try EditorHarness()
        harness.editor.printAbove("earlier output\n")
        #expect(harness.startReading())
        harness.terminal.type("dd esp")
        #expect(harness.terminal.waitForLastLine("0:000> dd esp").met)

        let editor = harness.editor
        let thread = Thread {
            editor.printAbove("*** SESSION OVER ***\n")
            editor.endInput()
        }
        thread.start()
        #expect(harness.nextResult() == .endOfFile)
        let shown = harness.terminal.waitFor { $0 == ["earlier output", "*** SESSION OVER ***"] }
        #expect(shown.met, "\(shown.screen)")
        // The cursor waits at the start of the next row for whatever the program prints last.
        #expect(harness.terminal.waitForCursor(column: 0, row: 2))
    }

    @Test("every later read ends at once without drawing a prompt")
    func laterReads() throws {
        let harness = try EditorHarness()
        harness.editor.endInput()
        #expect(harness.editor.readLine(prompt: "0:000> ") == .endOfFile)
        #expect(harness.editor.readLine(prompt: "0:000> ") == .endOfFile)
        harness.editor.printAbove("still printed\n")
        let shown = harness.terminal.waitFor { $0 == ["still printed"] }
        #expect(shown.met, "\(shown.screen)")
    }

    @Test("during a Ctrl-R search the search ends with the line and the read ends")
    func duringSearch() throws {
        let harness = try EditorHarness()
        try harness.editor.addHistory("lm")
        #expect(harness.startReading())
        harness.terminal.press("C-r")
        harness.terminal.type("l")
        let searching = harness.terminal.waitFor { $0.last?.hasPrefix("bck:l") == true }
        #expect(searching.met, "\(searching.screen)")
        harness.editor.printAbove("bye\n")
        harness.editor.endInput()
        #expect(harness.nextResult() == .endOfFile)
        let shown = harness.terminal.waitFor { $0 == ["bye"] }
        #expect(shown.met, "\(shown.screen)")
    }
}
