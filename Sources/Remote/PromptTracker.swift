import Dispatch
import Foundation
import Synchronization

/// What an editing client knows of the server's prompt, told by the network thread and waited
/// on by the thread that reads the person's lines:
///
/// * the prompt text to show (the newest `#xcdb:prompt`, whoever's command it followed);
/// * whether the server has prompts at all: a debugger has a command table and sends a prompt
///   after every command; a child program shared with `xremote /s` has neither;
/// * whether the command the person sent last has finished (its prompt came back), so the
///   next prompt is drawn after that command's output, as at the debugger's own console;
/// * whether the session has ended.
///
/// Every wait also ends on Ctrl-C (`interrupted()`) and on the end of the session, so the
/// person always gets the terminal back.
final class PromptTracker: Sendable {
    private struct State {
        var prompt = ""
        var sawPrompt = false
        /// The server's command names; nil until it answered.
        var commandNames: [String]?
        var waitingForMine = false
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

    // MARK: Told by the network thread

    func promptArrived(_ text: String, isMine: Bool) {
        update { state in
            state.prompt = text
            state.sawPrompt = true
            if isMine { state.waitingForMine = false }
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

    /// Waits until the first prompt can be drawn: the server said it has no prompts, or its
    /// first prompt came. True after Ctrl-C.
    @discardableResult
    func waitUntilReady() -> Bool {
        wait { state in
            guard let names = state.commandNames else { return state.sawPrompt }
            return names.isEmpty || state.sawPrompt
        }
    }

    /// Notes that a line is being sent; `expectingPrompt` when the server answers it with a
    /// prompt of mine (a command, not a session command).
    func willSend(expectingPrompt: Bool) {
        update { state in
            state.interrupted = false
            state.waitingForMine = expectingPrompt
        }
    }

    /// Waits until the command sent last has finished, or Ctrl-C; true after Ctrl-C.
    @discardableResult
    func waitForCommandToFinish() -> Bool {
        wait { !$0.waitingForMine }
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
}
