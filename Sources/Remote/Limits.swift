import NIOCore

/// The bounds that keep a shared session safe from slow, hostile or numerous clients.
public struct SharingLimits: Sendable {
    /// Participants connected at once; more are refused with a message.
    public var maximumParticipants = 1000
    /// Connections still identifying themselves or answering the password prompt, per server.
    public var maximumPendingHandshakes = 128
    /// Bytes of output that may wait for one participant that has stopped taking any for
    /// `stallTimeout`; past that it counts as too slow and is dropped.
    public var outboxBytes = 1 << 20
    /// Bytes that may wait for one participant at all, however recently it read (a burst).
    public var outboxHardBytes = 16 << 20
    /// How long a participant with more than `outboxBytes` waiting may go without reading.
    public var stallTimeout = TimeAmount.seconds(2)
    /// Lines kept for replay to newcomers (`/L` is capped at this).
    public var scrollbackLines = 10_000
    /// Lines replayed when the client does not say (`/L` default).
    public var defaultReplayLines = 200
    /// How long the server waits for a program's `#xcdb:hello` before treating the connection as
    /// a person on a plain client.
    public var helloWait = TimeAmount.milliseconds(150)
    /// How long a connection may take to answer the password prompt.
    public var passwordWait = TimeAmount.seconds(30)
    /// Commands one participant may have waiting in the session's queue.
    public var maximumQueuedCommands = 256

    public init() {}

    /// The defaults, with `XCDB_REMOTE_OUTBOX_BYTES`, `XCDB_REMOTE_OUTBOX_HARD_BYTES`,
    /// `XCDB_REMOTE_STALL_MS` and `XCDB_REMOTE_MAX_CLIENTS` applied (for tests and unusual
    /// deployments).
    public static func fromEnvironment(_ environment: [String: String]) -> SharingLimits {
        var limits = SharingLimits()
        if let text = environment["XCDB_REMOTE_OUTBOX_BYTES"], let value = Int(text), value >= 4096
        {
            limits.outboxBytes = value
        }
        if let text = environment["XCDB_REMOTE_OUTBOX_HARD_BYTES"], let value = Int(text),
            value >= 4096
        {
            limits.outboxHardBytes = value
        }
        if let text = environment["XCDB_REMOTE_STALL_MS"], let value = Int64(text), value >= 0,
            value <= 3_600_000
        {
            limits.stallTimeout = .milliseconds(value)
        }
        if let text = environment["XCDB_REMOTE_MAX_CLIENTS"], let value = Int(text), value >= 1 {
            limits.maximumParticipants = value
        }
        return limits
    }
}
