/// One line of session output. Every command's text becomes a stream of these; the terminal,
/// log files and remote participants all receive the same events in the same order.
public struct OutputEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The prompt and a command as it was issued (`0:000> k`).
        case commandEcho
        /// Ordinary command output.
        case output
        /// An error message (`^ Syntax error in '...'`).
        case error
        /// A session notice: joins, leaves, messages between participants.
        case notice
        /// The terminal should be cleared (`.cls`); text is empty.
        case clearScreen
    }

    public var kind: Kind
    /// The line, without a trailing newline.
    public var text: String
    /// Who caused it.
    public var origin: CommandSource
    /// Increasing number, unique within the session's hub.
    public var sequence: UInt64

    public init(kind: Kind, text: String, origin: CommandSource, sequence: UInt64 = 0) {
        self.kind = kind
        self.text = text
        self.origin = origin
        self.sequence = sequence
    }
}
