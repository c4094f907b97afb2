import NIOCore

/// The bounds that keep a shared session safe from slow, hostile or numerous clients.
public struct SharingLimits: Sendable {
    /// Participants connected at once; more are refused with a message.
    public var maximumParticipants = 1000
    /// Connections still identifying themselves or answering the password prompt, per server.
    public var maximumPendingHandshakes = 128
    /// Of those, how many may come from one address (one IP address, one IPv6 /64, or one
    /// user on a Unix-domain socket). When an address is over its share, its oldest silent
    /// connection makes room for the newcomer, so a crowd of connections that never finish
    /// the handshake cannot keep a real participant out, even from the same address.
    public var pendingHandshakesPerAddress = 8
    /// How long a connection may take to say its first whole line (a program's hello, a plain
    /// client's password) while the server waits for it: silent and half-sent lines are closed.
    public var handshakeDeadline = TimeAmount.seconds(10)
    /// Bytes of output that may wait for one participant that has stopped taking any for
    /// `stallTimeout`; past that it counts as too slow and is dropped.
    public var outboxBytes = 1 << 20
    /// Bytes that may wait for one participant at all, however recently it read (a burst).
    public var outboxHardBytes = 16 << 20
    /// How long a participant with more than `outboxBytes` waiting may go without reading.
    public var stallTimeout = TimeAmount.seconds(2)
    /// How long a dropped participant's connection stays open so that, if it reads again, it
    /// gets the output already on its way and then the line saying why it was dropped.
    public var dropLinger = TimeAmount.seconds(60)
    /// Lines kept for replay to newcomers (`/L` is capped at this).
    public var scrollbackLines = 10_000
    /// Lines replayed when the client does not say (`/L` default).
    public var defaultReplayLines = 200
    /// How long the server waits for a program's `#xcdb:hello` before treating the connection as
    /// a person on a plain client.
    public var helloWait = TimeAmount.milliseconds(150)
    /// How long a program that said hello may take to answer the password prompt (its person
    /// may be typing it).
    public var passwordWait = TimeAmount.seconds(60)
    /// Commands one participant may have waiting in the session's queue.
    public var maximumQueuedCommands = 256

    public init() {}

    /// The defaults, with `XCDB_REMOTE_OUTBOX_BYTES`, `XCDB_REMOTE_OUTBOX_HARD_BYTES`,
    /// `XCDB_REMOTE_STALL_MS`, `XCDB_REMOTE_MAX_CLIENTS`, `XCDB_REMOTE_HANDSHAKE_MS` and
    /// `XCDB_REMOTE_HELLO_MS` applied (for tests and unusual deployments).
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
        if let text = environment["XCDB_REMOTE_HANDSHAKE_MS"], let value = Int64(text),
            value >= 100, value <= 3_600_000
        {
            limits.handshakeDeadline = .milliseconds(value)
        }
        if let text = environment["XCDB_REMOTE_HELLO_MS"], let value = Int64(text), value >= 0,
            value <= 3_600_000
        {
            limits.helloWait = .milliseconds(value)
        }
        return limits
    }
}
