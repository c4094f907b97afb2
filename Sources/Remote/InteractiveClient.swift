import Dispatch
import Engine
import Foundation
import Synchronization

/// A person's client session: joins (asking for a password when the server wants one), shows
/// the transcript, reads lines and sends them, until `@Q`, `.remote_exit`, end of input, or the
/// server closing. Used by `xremote /c` and `xcdb -remote`; how lines are read and written is
/// injected, so a line editor can take over the terminal.
///
/// Two ways to read:
/// * plain lines (`readLine`): every line is sent as soon as it is read, so piped scripts and
///   here-documents stream through; at the end of input the client waits for the output of
///   what it sent, then leaves;
/// * a line editor (`lineEditor`): the prompt is the server's, the next line is read once the
///   command sent last has finished (its prompt came back), Ctrl-C sends the interrupt, and
///   Ctrl-D leaves as `@Q` does. `write` must then print above the line being edited.
public struct InteractiveClient {
    public var hello: ClientHello
    public var endpoint: RemoteClient.Endpoint
    /// Answer to the password prompt; nil asks the person (without echo on a terminal).
    public var password: String?
    /// Lines shown before joining (remote.exe's client banner).
    public var banner: [String] = []
    /// Plain lines only: show `#xcdb:prompt` prompts (after the person's own commands); by
    /// default only when a person is at a terminal, so piped transcripts stay plain. (A line
    /// editor always shows the server's prompt.)
    public var showsPrompts = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    /// Commands to send right after joining (`-c`).
    public var initialCommands: [String] = []
    /// Writes text (lines end with `\n`; a prompt does not).
    public var write: @Sendable (String) -> Void
    /// Reads one line of input, or nil at end of input (when there is no `lineEditor`).
    public var readLine: () -> String?
    /// Reads lines instead of `readLine` when set (a person at a terminal).
    public var lineEditor: (any ClientLineEditor)?
    /// Called with the server's command names once joined (for Tab completion).
    public var commandNames: @Sendable ([String]) -> Void = { _ in }

    public init(
        hello: ClientHello, endpoint: RemoteClient.Endpoint,
        write: @escaping @Sendable (String) -> Void, readLine: @escaping () -> String?
    ) {
        self.hello = hello
        self.endpoint = endpoint
        self.write = write
        self.readLine = readLine
    }

    /// Runs the session; returns the process exit code (0 after a normal end).
    public func run() -> Int32 {
        let write = self.write
        let editor = lineEditor
        let prompts = PromptTracker()
        let sawSessionOver = Atomic<Bool>(false)
        let joined = Atomic<Bool>(false)
        let promptShowing = Atomic<Bool>(false)
        let showsPrompts = self.showsPrompts && editor == nil
        let commandNames = self.commandNames
        let callbacks = RemoteClient.Callbacks(
            line: { line in
                // Output arriving after a prompt: put the prompt on a line of its own first.
                if promptShowing.exchange(false, ordering: .relaxed) { write("\n") }
                if line == SessionCommand.sessionOver {
                    sawSessionOver.store(true, ordering: .relaxed)
                }
                write(line + "\n")
            },
            prompt: { text, mine in
                prompts.promptArrived(text, isMine: mine)
                if showsPrompts, mine {
                    write(text)
                    promptShowing.store(true, ordering: .relaxed)
                }
            },
            commandNames: { names in
                prompts.commandNamesArrived(names)
                commandNames(names)
            },
            closed: { reason in
                // Before joining, run() reports the failure itself.
                guard joined.load(ordering: .relaxed) else { return }
                if !sawSessionOver.load(ordering: .relaxed) {
                    if let reason, reason != "left", reason != "session over" {
                        write((editor == nil ? "\n" : "") + reason + "\n")
                    }
                    write(SessionCommand.sessionOver + "\n")
                }
                guard let editor else {
                    // The person may be sitting in readLine: end the program from here.
                    exit(0)
                }
                prompts.sessionClosed()
                editor.endInput()
            })
        let client = RemoteClient(hello: hello, callbacks: callbacks)
        for line in banner { write(line + "\n") }
        do {
            try client.connect(to: endpoint)
        } catch {
            write(error.message + "\n")
            return 1
        }
        joining: while true {
            switch client.nextJoinEvent() {
            case .joined:
                joined.store(true, ordering: .relaxed)
                if !client.isConnected {
                    write(SessionCommand.sessionOver + "\n")
                    return 0
                }
                break joining
            case .passwordRequested:
                guard let answer = password ?? PasswordReader.read(prompt: "Password: ") else {
                    write("No password given.\n")
                    return 1
                }
                client.send(answer)
            case .closed(let reason):
                write((reason ?? "The server closed the connection.") + "\n")
                return 1
            }
        }
        client.requestCommandNames()
        let interrupts = SignalForwarder {
            prompts.interrupted()
            client.interrupt()
        }
        defer { interrupts.stop() }
        if let editor {
            return readEdited(editor, client: client, prompts: prompts)
        }
        for command in initialCommands { client.send(command) }
        while let line = readLine() {
            promptShowing.store(false, ordering: .relaxed)
            client.send(line)
        }
        // End of input: let the server finish what was sent (a piped script's last commands),
        // then leave.
        client.finishSending()
        return 0
    }

    /// The line editor's loop: read a line at the server's prompt, send it, and wait for the
    /// command to finish before showing the prompt again.
    private func readEdited(
        _ editor: any ClientLineEditor, client: RemoteClient, prompts: PromptTracker
    ) -> Int32 {
        if prompts.waitUntilReady() { write("\n") }
        for command in initialCommands {
            send(command, client: client, prompts: prompts)
        }
        while true {
            switch editor.readLine(prompt: prompts.prompt) {
            case .line(let line):
                if SessionCommand.parse(line) == .quit {
                    leave(client: client, prompts: prompts, sending: line)
                    return 0
                }
                send(line, client: client, prompts: prompts)
            case .interrupted:
                client.interrupt()
            case .endOfInput:
                // Ctrl-D leaves the session as @Q does; or the session is already over.
                if !prompts.isClosed { leave(client: client, prompts: prompts, sending: "@Q") }
                return 0
            }
        }
    }

    private func send(_ line: String, client: RemoteClient, prompts: PromptTracker) {
        prompts.willSend(expectingPrompt: Self.isAnsweredWithPrompt(line, prompts: prompts))
        client.send(line)
        // The terminal showed ^C without a line break: the prompt starts a row of its own.
        if prompts.waitForCommandToFinish() { write("\n") }
    }

    /// Whether the server answers `line` with a prompt for this participant: a debugger does
    /// for every line it runs; session commands other than `@@` are handled without one, and a
    /// line over the length limit is refused.
    static func isAnsweredWithPrompt(_ line: String, prompts: PromptTracker) -> Bool {
        guard prompts.serverHasPrompts, line.utf8.count <= WireProtocol.maximumLineLength else {
            return false
        }
        switch SessionCommand.parse(line) {
        case nil, .escaped: return true
        default: return false
        }
    }

    /// Sends `@Q` (or the line that asks to leave) and waits for the server to say goodbye.
    private func leave(client: RemoteClient, prompts: PromptTracker, sending line: String) {
        client.send(line)
        if !prompts.waitUntilClosed(timeout: 10) {
            client.close()
        }
    }
}

/// Turns Ctrl-C into a call (the client sends it to the server as an interrupt).
final class SignalForwarder {
    private let source: any DispatchSourceSignal

    init(_ handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// Reads a password from the terminal without echoing it (or a plain line when input is not
/// a terminal).
public enum PasswordReader {
    public static func read(prompt: String) -> String? {
        StandardStream.error(prompt)
        guard isatty(STDIN_FILENO) == 1 else { return Swift.readLine(strippingNewline: true) }
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            StandardStream.error("\n")
        }
        return Swift.readLine(strippingNewline: true)
    }
}
