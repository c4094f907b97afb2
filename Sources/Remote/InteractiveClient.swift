import Dispatch
import Engine
import FoundationEssentials
import Glibc
import Synchronization

/// A person's client session: joins (asking for a password when the server wants one), shows
/// the transcript, reads lines and sends them, until `@Q`, `.remote_exit`, end of input, or the
/// server closing. Used by `xremote /c` and `xcdb -remote`; how lines are read and written is
/// injected, so a line editor can take over the terminal.
///
/// Two ways to read:
/// * plain lines (`readLine`): lines stream to the server as they are read (piped scripts and
///   here-documents), a window of them at a time; a session command (`@Q`, `@M`) waits until
///   the lines before it have been answered (their prompts came back), and so does the end of
///   input, so `printf 'k\n@Q\n' | xremote ...` prints the stack before leaving;
/// * a line editor (`lineEditor`): the prompt is the server's, the next line is read once the
///   command sent last has finished (its prompt came back), Ctrl-C sends the interrupt, and
///   Ctrl-D leaves as `@Q` does. `write` must then print above the line being edited.
public struct InteractiveClient {
    public var hello: ClientHello
    public var endpoint: RemoteClient.Endpoint
    /// Where the answer to the password prompt comes from (by default: asked at the terminal).
    public var password = PasswordSource()
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
    /// Plain lines: at most this many lines in flight (sent, not answered yet), well under the
    /// server's limit of queued lines per participant.
    public var pipelineWindow = 64

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
        let reading = StandardInputState()
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
            prompt: { text, origin in
                prompts.promptArrived(text, origin: origin)
                if showsPrompts, origin != .others, prompts.unanswered == 0 {
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
                prompts.sessionClosed()
                if let editor {
                    editor.endInput()
                } else if reading.takeOverForExit() {
                    // The person sits in readLine, which cannot be woken: end the program here.
                    exit(0)
                }
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
                do {
                    client.send(try password.password())
                } catch {
                    write(error.message + "\n")
                    client.close()
                    return 1
                }
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
        return readPlain(client: client, prompts: prompts, reading: reading) {
            // The person pressed Enter: the prompt shown last is on a row of its own now.
            promptShowing.store(false, ordering: .relaxed)
        }
    }

    /// Plain lines: stream them, keeping the answers in order with the session commands and
    /// the end of input.
    private func readPlain(
        client: RemoteClient, prompts: PromptTracker, reading: StandardInputState,
        lineRead: () -> Void
    ) -> Int32 {
        // Whether lines are answered with prompts is known once the command names came.
        prompts.waitForCommandNames()
        for command in initialCommands {
            sendPlain(command, client: client, prompts: prompts)
        }
        while true {
            guard reading.beginRead() else { return parkWhileExiting() }
            if prompts.isClosed {
                guard reading.endRead() else { return parkWhileExiting() }
                return 0
            }
            let line = readLine()
            guard reading.endRead() else { return parkWhileExiting() }
            guard let line else { break }
            lineRead()
            if SessionCommand.parse(line) == .quit {
                prompts.waitUntilUnanswered(atMost: 0)
                client.send(line)
                if !prompts.waitUntilClosed(timeout: 60) { client.close() }
                return 0
            }
            sendPlain(line, client: client, prompts: prompts)
        }
        // End of input: wait for the answers to what was sent (a piped script's last
        // commands), then say so and leave once the server has sent everything.
        prompts.waitUntilUnanswered(atMost: 0)
        client.finishSending(timeout: 60)
        return 0
    }

    private func sendPlain(_ line: String, client: RemoteClient, prompts: PromptTracker) {
        let expectsPrompt = Self.isAnsweredWithPrompt(line, prompts: prompts)
        // A session command acts at once on the server: let the lines before it finish.
        prompts.waitUntilUnanswered(atMost: expectsPrompt ? pipelineWindow - 1 : 0)
        prompts.willSend(expectingPrompt: expectsPrompt)
        client.send(line)
    }

    /// The connection closed while standard input was being read: `exit` is under way on the
    /// network thread; wait for it rather than race it.
    private func parkWhileExiting() -> Int32 {
        while true { pause() }
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
    /// for every line it runs; session commands other than `@@` are handled without one, and
    /// a line over the length limit, a control line or a bare Ctrl-C never reaches the session.
    static func isAnsweredWithPrompt(_ line: String, prompts: PromptTracker) -> Bool {
        guard prompts.serverHasPrompts, line.utf8.count <= WireProtocol.maximumLineLength,
            !line.hasPrefix(WireProtocol.controlPrefix)
        else { return false }
        if !line.isEmpty, line.utf8.allSatisfy({ $0 == 0x03 }) { return false }
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

/// Who may end the process when the connection closes under a client reading plain lines:
/// the network thread may (`exit`) only while the reading thread sits in `readLine`, which
/// nothing can wake; otherwise the reading thread sees the end and returns.
final class StandardInputState: Sendable {
    private static let idle = 0
    private static let reading = 1
    private static let exiting = 2
    private let state = Atomic<Int>(StandardInputState.idle)

    /// The reading thread is about to read; false when the network thread is ending the process.
    func beginRead() -> Bool {
        state.compareExchange(
            expected: Self.idle, desired: Self.reading, ordering: .acquiringAndReleasing
        ).exchanged
    }

    /// The read returned; false when the network thread is ending the process.
    func endRead() -> Bool {
        state.compareExchange(
            expected: Self.reading, desired: Self.idle, ordering: .acquiringAndReleasing
        ).exchanged
    }

    /// The network thread: true when it is to end the process (the reader is stuck reading).
    func takeOverForExit() -> Bool {
        state.compareExchange(
            expected: Self.reading, desired: Self.exiting, ordering: .acquiringAndReleasing
        ).exchanged
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
