import Engine
import FoundationEssentials
import HostSystem
import LineEditor

/// The interactive console: the libedit line editor with history and completion, reading
/// commands until `q` or Ctrl-D. Output from others (remote participants) is printed above the
/// line being typed.
final class InteractiveConsole {
    let editor: LineEditor

    /// The history file: `$XCDB_HISTORY`, else `~/.xcdb_history`.
    static var historyPath: String {
        if let path = HostEnvironment.value("XCDB_HISTORY") { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
            ".xcdb_history"
        ).path
    }

    init(table: CommandTable) throws {
        let completer = CommandCompleter(table: table)
        var configuration = LineEditor.Configuration()
        configuration.historyFile = Self.historyPath
        configuration.completer = { line, cursor in completer.complete(line: line, cursor: cursor) }
        configuration.shownAfterEnter = Self.maskingPasswords
        editor = try LineEditor(configuration)
    }

    /// A line with a password (`.server tcp:port=5005,password=P`) stays on the screen with the
    /// password masked once Enter is pressed, as in the transcript, logs and history.
    static let maskingPasswords: @Sendable (String) -> String? = { line in
        Secrets.containsSecret(line) ? Secrets.redacted(line) : nil
    }

    /// Writes through the editor so asynchronous output never garbles the typed line.
    var writer: any ConsoleWriter { EditorWriter(editor: editor) }

    func run(router: ConsoleLineRouter) -> Int32 {
        let session = router.session
        try? InterruptHandler.install { session.interrupt.raise() }
        defer { ExitPaths.ctrlCEndsTheProcess() }
        if let problem = editor.historyLoadError {
            editor.printAbove("WARNING: command history not loaded: \(problem)\n")
        }
        while true {
            switch editor.readLine(prompt: session.prompt) {
            case .line(let line):
                if !line.trimmingWhitespace().isEmpty && !Secrets.containsSecret(line) {
                    try? editor.addHistory(line)
                }
                if router.run(line) == .quit { return 0 }
                // The terminal echoed ^C without a line break; start the prompt on a new line.
                if session.interrupt.isRaised { editor.printAbove("\n") }
            case .interrupted:
                continue
            case .endOfFile:
                _ = router.run("q")
                return 0
            }
        }
    }
}

/// Console output through the line editor.
struct EditorWriter: ConsoleWriter {
    let editor: LineEditor

    func write(_ text: String) {
        editor.printAbove(text)
    }
}
