import Dispatch
import FoundationEssentials
import Synchronization

/// What a client knows of the server's prompt, told by the network thread and waited on by the
/// thread that reads the person's lines:
///
/// * the prompt text to show (the newest `#xcdb:prompt`, whoever's command it followed);
/// * whether the server has prompts at all: a debugger has a command table and answers every
///   line with a prompt when it has run; a child program shared with `xremote /s` has neither;
/// * how many of the lines sent are still running (their prompt has not come back), so the
///   next prompt is drawn after that output, and piped input neither leaves nor talks (`@Q`,
///   `@M`) before the answers to the lines before it have arrived;
/// * whether the session has ended.
///
/// Every wait also ends at the end of the session, and the waits of a person at a terminal on
/// Ctrl-C (`interrupted()`), so the person always gets the terminal back.
final class PromptTracker: Sendable {
    private struct State {
        var prompt = ""
        var sawPrompt = false
        /// The server's command names; nil until it answered.
        var commandNames: [String]?
        /// Lines sent that the server answers with a prompt of mine, not answered yet.
        var unanswered = 0
        var interrupted = false
        var closed = false
    }

    private let state = Mutex(State())
    /// Signalled on every change; the one waiting thread checks again.
    private let changed = DispatchSemaphore(value: 0)

    /// The prompt to show now ("" before the first one, and for servers without prompts).
    var prompt: String { state.withLock { $0.prompt } }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Whether the server sends prompts (known once it answered with its command names).
    var serverHasPrompts: Bool {
        state.withLock { state in state.sawPrompt || !(state.commandNames?.isEmpty ?? true) }
    }

    /// Lines still waiting for their prompt.
    var unanswered: Int { state.withLock { $0.unanswered } }

    // MARK: Told by the network thread

    func promptArrived(_ text: String, origin: RemoteClient.PromptOrigin) {
        update { state in
            state.prompt = text
            state.sawPrompt = true
            if origin == .mine, state.unanswered > 0 { state.unanswered -= 1 }
        }
    }

    func commandNamesArrived(_ names: [String]) {
        update { $0.commandNames = names }
    }

    func sessionClosed() {
        update { $0.closed = true }
    }

    /// Ctrl-C while the person waits: give them the prompt back.
    func interrupted() {
        update { $0.interrupted = true }
    }

    // MARK: Used by the reading thread

    /// Waits until the first prompt can be drawn: the server's command names are known (so Tab
    /// completes them from the first keystroke) and, if it has prompts, its first prompt came.
    /// True after Ctrl-C.
    @discardableResult
    func waitUntilReady() -> Bool {
        wait { state in
            guard let names = state.commandNames else { return false }
            return names.isEmpty || state.sawPrompt
        }
    }

    /// Waits until the server said whether it has prompts (its command names came), or the
    /// session ended. Not ended by Ctrl-C (piped input).
    func waitForCommandNames() {
        waitIgnoringInterrupts { $0.commandNames != nil }
    }

    /// Notes that a line is being sent; `expectingPrompt` when the server answers it with a
    /// prompt of mine (a line it runs, not a session command).
    func willSend(expectingPrompt: Bool) {
        update { state in
            state.interrupted = false
            if expectingPrompt { state.unanswered += 1 }
        }
    }

    /// Waits until every line sent has finished, or Ctrl-C; true after Ctrl-C.
    @discardableResult
    func waitForCommandToFinish() -> Bool {
        wait { $0.unanswered == 0 }
    }

    /// Waits until at most `count` lines sent are unanswered, or the session ended. Not ended
    /// by Ctrl-C (piped input: Ctrl-C interrupts the server's command, whose prompt then comes).
    func waitUntilUnanswered(atMost count: Int) {
        waitIgnoringInterrupts { $0.unanswered <= count }
    }

    /// Waits until the session has ended; false after `timeout` seconds.
    @discardableResult
    func waitUntilClosed(timeout: TimeInterval) -> Bool {
        let deadline = DispatchTime.now() + timeout
        while !isClosed {
            if changed.wait(timeout: deadline) == .timedOut { return isClosed }
        }
        return true
    }

    private func update(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
        changed.signal()
    }

    /// Waits until `condition` holds, the session ends, or Ctrl-C (which is then used up);
    /// true when it ended with Ctrl-C.
    private func wait(until condition: (State) -> Bool) -> Bool {
        while true {
            let ending = state.withLock { state -> Bool? in
                if state.interrupted {
                    state.interrupted = false
                    return true
                }
                return state.closed || condition(state) ? false : nil
            }
            if let ending { return ending }
            changed.wait()
        }
    }

    private func waitIgnoringInterrupts(until condition: (State) -> Bool) {
        while !state.withLock({ $0.closed || condition($0) }) {
            changed.wait()
        }
    }
}
