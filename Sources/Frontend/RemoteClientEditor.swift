import Engine
import FoundationEssentials
import HostSystem
import LineEditor
import Remote
import Synchronization

/// Line editing for the clients (`xcdb -remote`, `xremote /c`) when a person sits at a
/// terminal: the libedit `LineEditor` at the server's prompt, the session's output printed
/// above the line being typed, Tab completion from the server's command names, and a history
/// file of the clients' own (lines holding a password are left out).
public final class RemoteClientEditor: ClientLineEditor {
    private let editor: LineEditor
    private let completion = SharedCompletion()

    /// The history file: `$XCDB_REMOTE_HISTORY`, else `~/.xcdb_remote_history` (apart from the
    /// debugger's own `~/.xcdb_history`: these commands ran elsewhere).
    public static var historyPath: String {
        if let path = HostEnvironment.value("XCDB_REMOTE_HISTORY") { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
            ".xcdb_remote_history"
        ).path
    }

    /// - Parameter sessionCommands: `@` commands Tab offers at the start of a line.
    public init(sessionCommands: [String]) throws(LineEditorError) {
        let completion = self.completion
        completion.state.withLock { $0.sessionCommands = sessionCommands }
        var configuration = LineEditor.Configuration()
        configuration.historyFile = Self.historyPath
        configuration.completer = { line, cursor in
            let found = completion.state.withLock { $0.complete(line: line, cursor: cursor) }
            return Completion(
                replacing: found.replacing,
                candidates: found.names.map { Completion.Candidate($0 + " ", display: $0) })
        }
        configuration.shownAfterEnter = InteractiveConsole.maskingPasswords
        editor = try LineEditor(configuration)
        if let problem = editor.historyLoadError {
            editor.printAbove("WARNING: command history not loaded: \(problem)\n")
        }
    }

    public func readLine(prompt: String) -> ClientInput {
        switch editor.readLine(prompt: prompt) {
        case .line(let line):
            if !line.trimmingWhitespace().isEmpty && !Secrets.containsSecret(line) {
                try? editor.addHistory(line)
            }
            return .line(line)
        case .interrupted:
            return .interrupted
        case .endOfFile:
            return .endOfInput
        }
    }

    public func endInput() {
        editor.endInput()
    }

    /// Shows session output above the line being typed.
    public func show(_ text: String) {
        editor.printAbove(text)
    }

    /// The server's command names arrived: Tab completes them from now on.
    public func commandNamesArrived(_ names: [String]) {
        completion.state.withLock { $0.commandNames = names }
    }

    /// Gives `client` line editing when standard input and output are a terminal; otherwise
    /// (pipes, files) it keeps reading plain lines. If the editor cannot start, says so on
    /// standard error and keeps plain lines.
    public static func attach(
        to client: inout InteractiveClient, sessionCommands: [String] = [], programName: String
    ) {
        guard LineEditor.isInteractive() else { return }
        let editor: RemoteClientEditor
        do {
            editor = try RemoteClientEditor(sessionCommands: sessionCommands)
        } catch {
            StandardStream.error(
                "\(programName): line editing unavailable (\(error)); reading plain lines\n")
            return
        }
        client.lineEditor = editor
        client.write = { editor.show($0) }
        let earlier = client.commandNames
        client.commandNames = { names in
            editor.commandNamesArrived(names)
            earlier(names)
        }
    }
}

/// The completion state the editor's completer and the network thread share.
private final class SharedCompletion: Sendable {
    let state = Mutex(ClientCompletion())
}
