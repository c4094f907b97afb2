import Foundation
import Glibc
import Synchronization

@testable import LineEditor

/// An editor on a tmux terminal, with `readLine` running on a thread of its own the way the
/// debugger's REPL thread runs it.
final class EditorHarness {
    let terminal: TmuxTerminal
    let editor: LineEditor
    let prompt: String
    private let results = ResultQueue()

    init(
        columns: Int = 80, rows: Int = 24, prompt: String = "0:000> ",
        configure: (inout LineEditor.Configuration) -> Void = { _ in }
    ) throws {
        terminal = try TmuxTerminal(columns: columns, rows: rows)
        var configuration = LineEditor.Configuration(
            input: terminal.fd, output: terminal.fd, error: terminal.fd, terminalType: "screen")
        configure(&configuration)
        editor = try LineEditor(configuration)
        self.prompt = prompt
    }

    /// Starts one `readLine` in the background and waits until its prompt is drawn.
    @discardableResult
    func startReading(waitForPrompt: Bool = true) -> Bool {
        let editor = editor
        let prompt = prompt
        let results = results
        let thread = Thread {
            results.append(editor.readLine(prompt: prompt))
        }
        thread.start()
        guard waitForPrompt else { return true }
        let shownPrompt = prompt.trimmingCharacters(in: .whitespaces)
        guard terminal.waitFor({ $0.last?.hasPrefix(shownPrompt) == true }).met else {
            return false
        }
        // The prompt can be on screen a moment before the editor has switched the terminal to
        // its own mode; keys typed in between would be echoed by the terminal itself.
        return waitForEditingMode()
    }

    /// Waits until the terminal no longer echoes input (the editor has taken it over).
    private func waitForEditingMode(timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var settings = termios()
            if tcgetattr(terminal.fd, &settings) == 0, settings.c_lflag & tcflag_t(ECHO) == 0 {
                return true
            }
            usleep(2_000)
        }
        return false
    }

    /// The next result of a background `readLine`, or nil after `timeout` seconds.
    func nextResult(timeout: Double = 60) -> LineEditor.ReadResult? {
        results.next(timeout: timeout)
    }

    /// Starts a read, runs `keys`, and returns what `readLine` gave back.
    func read(_ keys: (TmuxTerminal) -> Void) -> LineEditor.ReadResult? {
        guard startReading() else { return nil }
        keys(terminal)
        return nextResult()
    }
}

/// Results handed from the reading thread to the test.
final class ResultQueue: Sendable {
    private let items = Mutex<[LineEditor.ReadResult]>([])

    func append(_ result: LineEditor.ReadResult) {
        items.withLock { $0.append(result) }
    }

    func next(timeout: Double) -> LineEditor.ReadResult? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let item = items.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if let item { return item }
            usleep(5_000)
        }
        return nil
    }
}
