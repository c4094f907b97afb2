/// Line editing for a person's client session (`xremote /c`, `xcdb -remote`) on a terminal.
/// The Frontend implements it with its libedit `LineEditor`; this module knows nothing of the
/// terminal library. While a line is being read, text written through the client's `write`
/// must appear above it.
public protocol ClientLineEditor: Sendable {
    /// Shows `prompt` (the server's current prompt) and reads one line. Called on the client's
    /// own thread, one read at a time.
    func readLine(prompt: String) -> ClientInput

    /// The session is over: a read in progress, and every later one, returns `.endOfInput`
    /// once the text written so far is on the screen. Called from any thread.
    func endInput()
}

/// How a read of a client's line editor ended.
public enum ClientInput: Sendable, Equatable {
    /// Enter: the line, without its line break.
    case line(String)
    /// Ctrl-C at the prompt: the client sends the interrupt to the server.
    case interrupted
    /// Ctrl-D on an empty line (the client leaves as with `@Q`), or `endInput()` was called.
    case endOfInput
}
