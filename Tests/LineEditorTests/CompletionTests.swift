import Foundation
import Testing

@testable import LineEditor

/// Tab completion through a real terminal, with a small command table as the completer.
@Suite("Tab completion")
struct CompletionTests {
    static let commands = [
        "k", "kb", "kn", "lm", "lmi", "lmv", ".logopen", ".opendump", "!analyze",
    ]

    /// Commands for the first word; file paths after `.opendump `.
    static func completer(paths: FilePathCompleter) -> Completer {
        { line, cursor in
            let word = Completion.wordRange(in: line, endingAt: cursor)
            if line.hasPrefix(".opendump ") {
                return paths.complete(line: line, cursor: cursor)
            }
            guard word.lowerBound == 0 else { return .none }
            let typed = String(line.unicodeScalars.prefix(word.upperBound))
            let matches = commands.filter { $0.hasPrefix(typed) }
            return Completion(replacing: word, candidates: matches.map { .init($0 + " ") })
        }
    }

    static func harness(directory: String = "/") throws -> EditorHarness {
        let paths = FilePathCompleter(homeDirectory: directory, currentDirectory: directory)
        return try EditorHarness { $0.completer = completer(paths: paths) }
    }

    @Test("one candidate is inserted with the text the completer chose")
    func single() throws {
        let harness = try Self.harness()
        let result = harness.read { terminal in
            terminal.type(".op")
            terminal.press("Tab")
            terminal.waitForLastLine("0:000> .opendump")
            terminal.type("x")
            terminal.press("Enter")
        }
        #expect(result == .line(".opendump x"))
    }

    @Test("several candidates complete their common prefix")
    func commonPrefix() throws {
        let harness = try Self.harness()
        let result = harness.read { terminal in
            terminal.type(".")
            terminal.press("Tab")
            terminal.waitForLastLine("0:000> .")
            terminal.type("l")
            terminal.press("Tab")  // only .logopen
            terminal.press("Enter")
        }
        #expect(result == .line(".logopen "))

        let prefix = harness.read { terminal in
            terminal.type("!a")
            terminal.press("Tab")
            terminal.press("Enter")
        }
        #expect(prefix == .line("!analyze "))
    }

    @Test("a second Tab lists the candidates in columns and redraws the line below")
    func listing() throws {
        let harness = try Self.harness()
        #expect(harness.startReading())
        harness.terminal.type("lm")
        harness.terminal.press("Tab")  // nothing longer to insert: beeps
        harness.terminal.press("Tab")
        let expected = ["0:000> lm", "lm   lmi  lmv", "0:000> lm"]
        let shown = harness.terminal.waitFor { $0 == expected }
        #expect(shown.met, "\(shown.screen)")
        #expect(harness.terminal.waitForCursor(column: 9, row: 2))
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("lm"))
    }

    @Test("a file path completes: directories with a slash, files with a space")
    func filePath() throws {
        let directory = try TemporaryDirectory()
        try directory.write("crash.dmp", "")
        try directory.write("crash.txt", "")
        try FileManager.default.createDirectory(
            atPath: directory.file("dumps"), withIntermediateDirectories: false)
        try directory.write("dumps/app.dmp", "")
        let harness = try Self.harness(directory: directory.path)
        let result = harness.read { terminal in
            terminal.type(".opendump du")
            terminal.press("Tab")
            terminal.waitForLastLine("0:000> .opendump dumps/")
            terminal.press("Tab")
            terminal.press("Enter")
        }
        #expect(result == .line(".opendump dumps/app.dmp "))

        #expect(harness.startReading())
        harness.terminal.type(".opendump \(directory.path)/cr")
        harness.terminal.press("Tab", "Tab")
        let shown = harness.terminal.waitFor { $0.contains("crash.dmp  crash.txt") }
        #expect(shown.met, "\(shown.screen)")
        harness.terminal.press("C-c")
        #expect(harness.nextResult() == .interrupted)
    }

    @Test("no completer, or no candidate: Tab leaves the line alone")
    func nothingToComplete() throws {
        let harness = try EditorHarness()
        let result = harness.read { terminal in
            terminal.type("k")
            terminal.press("Tab", "Tab")
            terminal.type("b")
            terminal.press("Enter")
        }
        #expect(result == .line("kb"))
    }
}

/// The pieces of completion that need no terminal.
@Suite("Completion helpers")
struct CompletionHelperTests {
    @Test("word range: back to whitespace or the start")
    func wordRange() {
        #expect(Completion.wordRange(in: "lm m nt", endingAt: 7) == 5..<7)
        #expect(Completion.wordRange(in: "lm m nt", endingAt: 2) == 0..<2)
        #expect(Completion.wordRange(in: "lm ", endingAt: 3) == 3..<3)
        #expect(Completion.wordRange(in: "", endingAt: 0) == 0..<0)
        #expect(Completion.wordRange(in: "k", endingAt: 99) == 0..<1)
        #expect(Completion.wordRange(in: "é ü", endingAt: 3) == 2..<3)
    }

    @Test("common prefix of candidate texts")
    func commonPrefix() {
        #expect(Completion.commonPrefix(of: ["lm ", "lmi ", "lmv "]) == "lm")
        #expect(Completion.commonPrefix(of: ["k "]) == "k ")
        #expect(Completion.commonPrefix(of: ["abc", "xyz"]) == "")
        #expect(Completion.commonPrefix(of: []) == "")
        #expect(Completion.commonPrefix(of: ["café", "cafe"]) == "caf")
    }

    @Test("candidates display without their trailing space")
    func display() {
        #expect(Completion.Candidate("lm ").display == "lm")
        #expect(Completion.Candidate("dir/", display: "dir/").display == "dir/")
    }

    @Test("columns are filled top to bottom within the width")
    func columns() {
        let items = ["a", "bb", "ccc", "dddd", "e"]
        // Column width 4 + 2 = 6; 14 columns of terminal hold 2 columns (6 + 4 + ... ).
        #expect(ColumnLayout.rows(of: items, width: 14) == ["a     dddd", "bb    e", "ccc"])
        #expect(ColumnLayout.rows(of: items, width: 80) == ["a     bb    ccc   dddd  e"])
        #expect(ColumnLayout.rows(of: items, width: 3) == ["a", "bb", "ccc", "dddd", "e"])
        #expect(ColumnLayout.rows(of: [], width: 80).isEmpty)
        #expect(ColumnLayout.displayWidth("日本x") == 5)
    }
}

/// The file-path completer on a directory made for the test.
@Suite("File path completer")
struct FilePathCompleterTests {
    let directory: TemporaryDirectory
    let completer: FilePathCompleter

    init() throws {
        directory = try TemporaryDirectory()
        for name in ["alpha.dmp", "alps.txt", ".hidden", "beta"] {
            try directory.write(name, "")
        }
        try FileManager.default.createDirectory(
            atPath: directory.file("albums"), withIntermediateDirectories: false)
        symlink(directory.file("albums"), directory.file("alink"))
        completer = FilePathCompleter(
            homeDirectory: directory.path, currentDirectory: directory.path)
    }

    @Test("relative names, directories marked with a slash, symbolic links followed")
    func relative() {
        #expect(
            completer.candidates(for: "al").map(\.text) == [
                "albums/", "alink/", "alpha.dmp ", "alps.txt ",
            ])
        #expect(
            completer.candidates(for: "al").map(\.display) == [
                "albums/", "alink/", "alpha.dmp", "alps.txt",
            ])
        #expect(completer.candidates(for: "be").map(\.text) == ["beta "])
        #expect(completer.candidates(for: "zz").isEmpty)
    }

    @Test("absolute paths and the home directory keep what was typed")
    func absoluteAndHome() {
        #expect(
            completer.candidates(for: directory.path + "/alp").map(\.text) == [
                directory.path + "/alpha.dmp ", directory.path + "/alps.txt ",
            ])
        #expect(completer.candidates(for: "~/be").map(\.text) == ["~/beta "])
        #expect(completer.candidates(for: "~").map(\.text) == ["~/"])
        #expect(completer.candidates(for: "~nobody/x").isEmpty)
    }

    @Test("hidden entries only when the name starts with a dot")
    func hidden() {
        #expect(!completer.candidates(for: "").map(\.text).contains(".hidden "))
        #expect(completer.candidates(for: ".h").map(\.text) == [".hidden "])
    }

    @Test("complete(line:cursor:) replaces the word before the cursor, or from pathStart")
    func completeInLine() {
        let completion = completer.complete(line: ".opendump be", cursor: 12)
        #expect(completion == Completion(replacing: 10..<12, candidates: ["beta "]))
        let fromStart = completer.complete(line: "$<be", cursor: 4, pathStart: 2)
        #expect(fromStart == Completion(replacing: 2..<4, candidates: ["beta "]))
    }

    @Test("a directory that cannot be read gives no candidates")
    func missingDirectory() {
        #expect(completer.candidates(for: "nothing/here").isEmpty)
    }
}
