import Foundation
import Testing

@testable import LineEditor

/// History: Up/Down, Ctrl-R, and the history file.
@Suite("History")
struct HistoryTests {
    @Test("Up and Down walk the history")
    func upAndDown() throws {
        let harness = try EditorHarness()
        for line in ["k", "lm", "r rip"] { try harness.editor.addHistory(line) }
        #expect(harness.startReading())
        harness.terminal.press("Up")
        #expect(harness.terminal.waitForLastLine("0:000> r rip").met)
        harness.terminal.press("Up", "Up")
        #expect(harness.terminal.waitForLastLine("0:000> k").met)
        harness.terminal.press("Down")
        #expect(harness.terminal.waitForLastLine("0:000> lm").met)
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("lm"))
    }

    @Test("Ctrl-R finds an earlier line")
    func reverseSearch() throws {
        let harness = try EditorHarness()
        for line in ["lm m nt", "k", "dd rsp", "!analyze -v", "kb"] {
            try harness.editor.addHistory(line)
        }
        // Each step is checked with the screen it saw: one run in thirteen under a CPU hog
        // (with a second suite running too) ended with no line read and nothing to tell why.
        #expect(harness.startReading(), "\(harness.terminal.visibleLines())")
        harness.terminal.press("C-r")
        harness.terminal.type("dd")
        let found = harness.terminal.waitFor {
            $0.contains("0:000> dd rsp") && $0.last?.hasPrefix("bck:dd") == true
        }
        #expect(found.met, "\(found.screen)")
        harness.terminal.press("Enter")
        let result = harness.nextResult()
        #expect(result == .line("dd rsp"), "\(harness.terminal.visibleLines())")
    }

    @Test("the file survives the editor: saved on every line, mode 0600, no repeats")
    func persistedAcrossEditors() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("history")
        do {
            let first = try LineEditor(.init(historyFile: file))
            for line in ["lm", "k", "k", "  ", "", "dd rsp", "k"] {
                try first.addHistory(line)
            }
            // Saved after each line, not only when the editor goes away.
            #expect(directory.read("history") == "lm\nk\ndd rsp\nk\n")
        }
        #expect(directory.mode("history") == 0o600)

        let harness = try EditorHarness { $0.historyFile = file }
        #expect(harness.editor.history == ["lm", "k", "dd rsp", "k"])
        let result = harness.read { terminal in
            terminal.press("Up", "Up")
            terminal.press("Enter")
        }
        #expect(result == .line("dd rsp"))
    }

    @Test("the history is bounded, in memory and in the file")
    func bounded() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("history")
        let editor = try LineEditor(.init(historyFile: file, historyLimit: 5))
        for number in 1...8 { try editor.addHistory("dd \(number)") }
        let kept = (4...8).map { "dd \($0)" }
        #expect(editor.history == kept)
        #expect(directory.read("history") == kept.joined(separator: "\n") + "\n")

        // A file longer than the limit (written by an editor with a larger one) loads its tail.
        let smaller = try LineEditor(.init(historyFile: file, historyLimit: 3))
        #expect(smaller.history == ["dd 6", "dd 7", "dd 8"])
    }

    @Test("a loose existing file is replaced by one with mode 0600; a symbolic link is kept")
    func modeAndLinks() throws {
        let directory = try TemporaryDirectory()
        try directory.write("real", "k\n")
        chmod(directory.file("real"), 0o644)
        symlink(directory.file("real"), directory.file("link"))
        let editor = try LineEditor(.init(historyFile: directory.file("link")))
        #expect(editor.history == ["k"])
        try editor.addHistory("lm")
        #expect(directory.read("real") == "k\nlm\n")
        #expect(directory.mode("real") == 0o600)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("link"))
        #expect(link == directory.file("real"))
    }

    @Test("an unreadable history file leaves an empty history and says why")
    func unreadableFile() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            atPath: directory.file("history"), withIntermediateDirectories: false)
        let editor = try LineEditor(.init(historyFile: directory.file("history")))
        #expect(editor.history.isEmpty)
        #expect(editor.historyLoadError?.message.contains("is not a regular file") == true)
        #expect(throws: LineEditorError.self) { try editor.addHistory("k") }
        #expect(editor.history == ["k"])
    }

    @Test("only the tail of a huge file is read, and a cut first line is dropped")
    func hugeFile() throws {
        let directory = try TemporaryDirectory()
        let filler = String(repeating: "x", count: HistoryStore.maximumLoadBytes + 10)
        try directory.write("history", filler + "\nlm\nk\n")
        let store = try HistoryStore(path: directory.file("history"), limit: 1000)
        try store.load()
        #expect(store.entries == ["lm", "k"])
    }
}
