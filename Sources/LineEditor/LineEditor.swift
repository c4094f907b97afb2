import Glibc
import Synchronization

/// A terminal line editor for the debugger's prompt, on libedit: Emacs keys, history kept in a
/// file, Tab completion, Ctrl-C/Ctrl-D handling, and output from other threads printed above
/// the line being typed.
///
/// It knows nothing of debugger commands: the caller gives it a prompt, a completer and a
/// history file, and gets lines back.
///
/// ```swift
/// guard LineEditor.isInteractive() else { /* read plain lines instead */ }
/// let editor = try LineEditor(.init(historyFile: home + "/.xcdb_history", completer: complete))
/// while true {
///     switch editor.readLine(prompt: "0:000> ") {
///     case .line(let line):
///         try? editor.addHistory(line)  // unless the line holds a password
///         run(line)
///     case .interrupted: continue
///     case .endOfFile: return  // Ctrl-D: treat as `q`
///     }
/// }
/// ```
///
/// Threads: `readLine` and `addHistory` belong to one thread (the REPL); a second thread
/// calling them waits for the first. `printAbove` may be called from any thread at any time.
/// The completer runs on the `readLine` thread and must not call `readLine` or `addHistory`.
///
/// The first editor sets the process's LC_CTYPE to a UTF-8 locale if it is not one already
/// (the environment's, else C.UTF-8): libedit needs it for non-ASCII text.
/// `~/.editrc` is not read.
public final class LineEditor: Sendable {
    /// How the editor is set up.
    public struct Configuration: Sendable {
        /// The terminal to read keys from.
        public var input: Int32
        /// The terminal to draw on (and where `printAbove` writes).
        public var output: Int32
        /// Where libedit reports its own problems.
        public var error: Int32
        /// The history file (the debugger uses `~/.xcdb_history`); nil keeps history in
        /// memory only.
        public var historyFile: String?
        /// Most history entries kept (1...1_000_000).
        public var historyLimit: Int
        /// What Tab offers; nil makes Tab beep.
        public var completer: Completer?
        /// The terminal type for libedit's terminal database; nil uses `$TERM`.
        public var terminalType: String?
        /// How long to wait after ESC for the rest of a key sequence (Alt-key, cursor key)
        /// before treating it as the ESC key, which clears the line.
        public var escapeTimeout: Duration
        /// Most candidates shown when Tab lists completions; the rest are counted.
        public var completionListLimit: Int
        /// What a line shows once Enter is pressed, when it must not stay on the screen as
        /// typed (a password masked); nil, or a nil answer, leaves it. `readLine` still
        /// returns the line as typed.
        public var shownAfterEnter: (@Sendable (String) -> String?)?

        public init(
            input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
            error: Int32 = STDERR_FILENO, historyFile: String? = nil, historyLimit: Int = 1000,
            completer: Completer? = nil, terminalType: String? = nil,
            escapeTimeout: Duration = .milliseconds(50), completionListLimit: Int = 200
        ) {
            self.input = input
            self.output = output
            self.error = error
            self.historyFile = historyFile
            self.historyLimit = historyLimit
            self.completer = completer
            self.terminalType = terminalType
            self.escapeTimeout = escapeTimeout
            self.completionListLimit = completionListLimit
            self.shownAfterEnter = nil
        }
    }

    /// How `readLine` ended.
    public enum ReadResult: Sendable, Equatable {
        /// Enter: the line, without its line break.
        case line(String)
        /// Ctrl-C: the line was abandoned ("^C" shown after it); the caller may ignore this.
        case interrupted
        /// Ctrl-D on an empty line, the terminal went away, or `endInput()` was called.
        case endOfFile
    }

    private let session: Mutex<EditorSession>
    private let mailbox: EditorMailbox

    /// Why the history file could not be loaded, if it could not; the editor then starts with
    /// an empty history and still saves to the file.
    public let historyLoadError: LineEditorError?

    /// Sets up the editor on the configured terminal and loads the history file.
    public init(_ configuration: Configuration = Configuration()) throws(LineEditorError) {
        let mailbox = try EditorMailbox(outputFD: configuration.output)
        let history = try HistoryStore(
            path: configuration.historyFile, limit: configuration.historyLimit)
        do {
            try history.load()
            historyLoadError = nil
        } catch {
            historyLoadError = error
        }
        let session = try EditorSession(
            configuration: configuration, mailbox: mailbox, history: history)
        try SignalWatcher.shared().register(mailbox)
        self.mailbox = mailbox
        self.session = Mutex(session)
    }

    deinit {
        try? SignalWatcher.shared().unregister(mailbox)
    }

    /// Shows `prompt` and lets the user edit a line until Enter, Ctrl-C or Ctrl-D. The line
    /// is not added to the history: call `addHistory(_:)` for lines that belong there.
    public func readLine(prompt: String) -> ReadResult {
        session.withLock { $0.readLine(prompt: prompt) }
    }

    /// Adds `line` to the history and saves the history file. Blank lines and a repeat of the
    /// newest entry are not stored. The entry is kept in memory even when saving fails.
    public func addHistory(_ line: String) throws(LineEditorError) {
        try session.withLock { (session) throws(LineEditorError) in
            if session.history.add(line) {
                try session.history.save()
            }
        }
    }

    /// The history, oldest entry first.
    public var history: [String] {
        session.withLock { $0.history.entries }
    }

    /// Prints `text` on the terminal without disturbing the line being edited: while a
    /// `readLine` is active the text appears above the prompt, and the prompt and the partly
    /// typed line are drawn again below it with the cursor where it was. Otherwise the text is
    /// written straight away. Safe from any thread; texts never interleave.
    ///
    /// `text` should end with a line break; while a line is being edited a missing one is
    /// added so the prompt starts its own row. Control characters are written as they are.
    public func printAbove(_ text: String) {
        mailbox.printAbove(text)
    }

    /// Ends input from another thread, as if the terminal had closed: a `readLine` in progress
    /// prints the text waiting to go above the line, erases its prompt and the partly typed
    /// line, and returns `.endOfFile`; every later `readLine` returns `.endOfFile` at once.
    /// For programs whose input ends elsewhere (a remote session the server closed). Safe from
    /// any thread; cannot be undone.
    public func endInput() {
        mailbox.endInput()
    }

    /// Whether both descriptors are terminals. When standard input is not one, the debugger
    /// reads plain lines instead of using the editor.
    public static func isInteractive(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO
    ) -> Bool {
        isatty(input) == 1 && isatty(output) == 1
    }
}
