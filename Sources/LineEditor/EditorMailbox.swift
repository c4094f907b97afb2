import Glibc
import Synchronization

/// Everything other threads hand to the editor thread: text to print above the line being
/// edited, and requests raised by signals. It is the only editor state shared between threads;
/// a wake-up pipe gets the editor thread out of its wait for a key.
final class EditorMailbox: Sendable {
    /// Something a signal asks the editor thread to do at its next chance.
    enum Request: Sendable {
        /// The terminal changed size (SIGWINCH).
        case resize
        /// The process was continued after a stop (SIGCONT): editing mode must be set again.
        case resetTerminal
    }

    private struct State {
        var isReading = false
        var pendingText = ""
        var pendingByteCount = 0
        var resizeRequested = false
        var resetRequested = false
        var inputEnded = false
    }

    /// Where text goes when no line is being edited.
    let outputFD: Int32
    /// The editor thread polls this together with the terminal.
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    private let state = Mutex(State())

    init(outputFD: Int32) throws(LineEditorError) {
        self.outputFD = outputFD
        (wakeReadFD, wakeWriteFD) = try FileDescriptorIO.makePipe()
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// See `LineEditor.printAbove(_:)`. The write happens under the lock, so text never
    /// interleaves with other text, nor with the start of a `readLine`.
    func printAbove(_ text: String) {
        guard !text.isEmpty else { return }
        state.withLock { state in
            if state.isReading {
                state.pendingText += text
                state.pendingByteCount += text.utf8.count
                FileDescriptorIO.poke(wakeWriteFD)
            } else {
                FileDescriptorIO.writeAll(outputFD, text)
            }
        }
    }

    /// From now on text is queued for the editor thread.
    func beginReading() {
        state.withLock { $0.isReading = true }
    }

    /// Back to direct writes; text still queued is written now, below the accepted line.
    func endReading() {
        state.withLock { state in
            state.isReading = false
            if !state.pendingText.isEmpty {
                FileDescriptorIO.writeAll(outputFD, state.pendingText)
                state.pendingText = ""
                state.pendingByteCount = 0
            }
        }
    }

    /// Bytes of text waiting to be printed above the line.
    var pendingByteCount: Int {
        state.withLock { $0.pendingByteCount }
    }

    /// Removes and returns the queued text.
    func takePendingText() -> String {
        state.withLock { state in
            defer {
                state.pendingText = ""
                state.pendingByteCount = 0
            }
            return state.pendingText
        }
    }

    /// See `LineEditor.endInput()`: from now on every read ends at once.
    func endInput() {
        state.withLock { state in
            state.inputEnded = true
            FileDescriptorIO.poke(wakeWriteFD)
        }
    }

    /// Whether `endInput()` was called.
    var isInputEnded: Bool {
        state.withLock { $0.inputEnded }
    }

    /// Called by the signal watcher thread.
    func post(_ request: Request) {
        state.withLock { state in
            switch request {
            case .resize: state.resizeRequested = true
            case .resetTerminal: state.resetRequested = true
            }
            FileDescriptorIO.poke(wakeWriteFD)
        }
    }

    /// Removes and returns the pending requests.
    func takeRequests() -> (resize: Bool, resetTerminal: Bool) {
        state.withLock { state in
            defer {
                state.resizeRequested = false
                state.resetRequested = false
            }
            return (state.resizeRequested, state.resetRequested)
        }
    }
}
