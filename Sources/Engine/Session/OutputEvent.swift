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
        /// The terminal of whoever ran `.cls` (the event's origin) should be cleared, and no
        /// one else's; logs ignore it. Text is empty.
        case clearScreen
    }

    public var kind: Kind
    /// The line, without a trailing newline.
    public var text: String
    /// Who caused it.
    public var origin: CommandSource
    /// Increasing number, unique within the session's hub.
    public var sequence: UInt64

    /// True when the event is for everyone; a `.clearScreen` is only for its origin.
    public var isForEveryone: Bool { kind != .clearScreen }

    /// Whether a viewer should act on the event: everyone acts on ordinary lines; only the
    /// person who caused a private event (a `.cls`) acts on it. `toLocalConsole` is true for
    /// the debugger's own console (its user, start-up commands and their scripts).
    public func isAddressed(toLocalConsole: Bool = false, participantID: Int? = nil) -> Bool {
        if isForEveryone { return true }
        if let participant = origin.remoteParticipant { return participant.id == participantID }
        return toLocalConsole && origin.kind != .engine
    }

    public init(kind: Kind, text: String, origin: CommandSource, sequence: UInt64 = 0) {
        self.kind = kind
        self.text = text
        self.origin = origin
        self.sequence = sequence
    }
}
