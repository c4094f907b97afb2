/// What a command writes through. Text is split into lines; a trailing partial line is held
/// until more text completes it or the command ends (`flush()`), so every sink sees whole lines.
///
/// Nothing accumulates: every complete line goes to the hub at once, and a partial line longer
/// than `maximumPendingLength` is passed on as a line of its own. Once the line being run must
/// stop (Ctrl-C, a limit), further output is dropped, so even a command that polls rarely goes
/// quiet at once.
public final class OutputWriter {
    /// A partial line longer than this is emitted as it is.
    static let maximumPendingLength = 64 * 1024

    private let hub: OutputHub
    private let origin: CommandSource
    private let budget: ExecutionBudget?
    private var pending = ""

    init(hub: OutputHub, origin: CommandSource, budget: ExecutionBudget?) {
        self.hub = hub
        self.origin = origin
        self.budget = budget
    }

    /// Writes one complete line.
    public func line(_ text: String = "") {
        if pending.isEmpty {
            emit(.output, text)
        } else {
            write(text + "\n")
        }
    }

    /// Writes several complete lines.
    public func lines(_ texts: [String]) {
        for text in texts { line(text) }
    }

    /// Writes text that may contain newlines or end mid-line.
    public func write(_ text: String) {
        guard !text.isEmpty else { return }
        pending += text
        if pending.utf8.count > Self.maximumPendingLength,
            !pending.utf8.contains(UInt8(ascii: "\n"))
        {
            flush()
            return
        }
        guard pending.utf8.contains(UInt8(ascii: "\n")) else { return }
        var parts = pending.split(separator: "\n", omittingEmptySubsequences: false)
        pending = String(parts.removeLast())
        for part in parts {
            emit(.output, String(part))
        }
        if pending.utf8.count > Self.maximumPendingLength { flush() }
    }

    /// Writes an error line (`^ Syntax error in '...'`). Errors are shown even when the line
    /// is stopping: they say why.
    public func error(_ text: String) {
        flush()
        hub.emit(.error, text, origin: origin)
    }

    /// Emits a held partial line, if any.
    public func flush() {
        guard !pending.isEmpty else { return }
        let text = pending
        pending = ""
        emit(.output, text)
    }

    /// Asks the terminal of whoever ran the command (and only theirs) to clear its screen.
    public func clearScreen() {
        flush()
        hub.emit(.clearScreen, "", origin: origin)
    }

    private func emit(_ kind: OutputEvent.Kind, _ text: String) {
        if budget?.shouldStop == true { return }
        // A command reading this output (`.foreach`, `as /c`) gets it instead of the screen.
        if kind == .output, let capture = budget?.flow.activeCapture {
            capture.append(text)
            return
        }
        hub.emit(kind, text, origin: origin)
    }
}
