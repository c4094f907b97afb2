import Dispatch
import Engine
import FoundationEssentials
import NIOCore
import NIOPosix
import Synchronization

/// A session shared over the network: its listeners, its participants, and the broadcaster
/// that hands them the session's output. Used by the debugger (`SharingService`) and by
/// `xremote /s` (a child program's session).
public final class SharedSession: Sendable {
    /// The session's output stream (participants receive everything emitted here).
    public let hub: OutputHub
    /// Where participants' lines go.
    public let input: any SharedInput
    public let limits: SharingLimits
    let group: any EventLoopGroup

    private struct Record {
        var participant: RemoteParticipant
        var how: String
        var since: Date
        var lastActive: Date
        var outbox: Outbox
        var listenerID: Int
        var isProgram: Bool
    }

    private struct State {
        var nextParticipantID = 1
        var nextListenerID = 0
        var participants: [Int: Record] = [:]
        var listeners: [Listener] = []
    }

    private let state = Mutex(State())
    /// The prompt programs were sent last (for a line refused before it reached the session).
    private let lastPrompt = Mutex<String?>(nil)
    private let relay = Relay()
    private let broadcaster: Broadcaster

    /// - Parameters:
    ///   - hub: the session's output; what it already holds becomes the replay scrollback.
    ///   - promptSource: called after each command echo so programs get the next prompt.
    public init(
        hub: OutputHub, input: any SharedInput, limits: SharingLimits = SharingLimits(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.hub = hub
        self.input = input
        self.limits = limits
        self.group = group
        let relay = self.relay
        broadcaster = Broadcaster(
            scrollbackLimit: limits.scrollbackLines,
            onOverflow: { id in relay.overflowed(id) },
            onCommandEcho: { event in relay.commandEchoed(event) })
        let (_, earlier) = hub.add(broadcaster, replayingLast: limits.scrollbackLines)
        broadcaster.seed(earlier)
        relay.attach(self)
    }

    // MARK: - Listening

    /// Listens on a Unix-domain socket at `path` with file mode `mode`. Refuses when a live
    /// server already listens there; removes a stale socket file.
    func listen(unixPath path: String, mode: mode_t, options: ListenerOptions)
        throws(RemoteError) -> Listener
    {
        guard path.utf8.count < 108 else {
            throw RemoteError(
                "The socket path '\(path)' is too long for a Unix-domain socket (107 bytes at "
                    + "most); set XDG_RUNTIME_DIR to a shorter directory.")
        }
        if UnixSocketProbe.isListening(path) {
            throw RemoteError(
                "'\(path)' is in use: another live session answers there. End it first, or "
                    + "pick another name.")
        }
        // A socket nobody answers on was left by a server that died (SIGKILL): replace it.
        unlink(path)
        let listener = makeListener(options: options, socketPath: path)
        let channel: any Channel
        do {
            channel = try serverBootstrap(listener, isTCP: false)
                .bind(unixDomainSocketPath: path).wait()
        } catch {
            throw RemoteError("Cannot listen on '\(path)': \(error)")
        }
        guard chmod(path, mode) == 0 else {
            let reason = Errno.text
            try? channel.close().wait()
            unlink(path)
            throw RemoteError("Cannot set the mode of '\(path)': \(reason)")
        }
        ExitCleanup.add(path)
        listener.attach(channel)
        register(listener)
        return listener
    }

    /// Listens on TCP `address`, on the first free port of `ports`.
    func listen(address: String, ports: ClosedRange<Int>, options: ListenerOptions)
        throws(RemoteError) -> Listener
    {
        let listener = makeListener(options: options, socketPath: nil)
        var lastError: (any Error)?
        for port in ports {
            do {
                let channel = try serverBootstrap(listener, isTCP: true)
                    .bind(host: address, port: port).wait()
                listener.boundPort.store(channel.localAddress?.port ?? port, ordering: .relaxed)
                listener.attach(channel)
                register(listener)
                return listener
            } catch {
                lastError = error
            }
        }
        let range = ports.count == 1 ? "port \(ports.lowerBound)" : "ports \(ports)"
        throw RemoteError(
            "Cannot listen on \(address) \(range): \(lastError.map { "\($0)" } ?? "no port")")
    }

    /// Dials a client waiting with `-remote tcp:clicon=...` and treats the connection as a
    /// joining participant.
    func dial(host: String, port: Int, options: ListenerOptions) throws(RemoteError) -> Listener {
        let listener = makeListener(options: options, socketPath: nil)
        do {
            _ = try ClientBootstrap(group: group)
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try self.addHandlers(to: channel, listener: listener)
                    }
                }
                .connect(host: host, port: port).wait()
        } catch {
            throw RemoteError("Cannot connect to the waiting client at \(host):\(port): \(error)")
        }
        register(listener)
        return listener
    }

    private func makeListener(options: ListenerOptions, socketPath: String?) -> Listener {
        TerminationSignals.sharingStarted()
        let id = state.withLock { state in
            defer { state.nextListenerID += 1 }
            return state.nextListenerID
        }
        return Listener(id: id, options: options, socketPath: socketPath, limits: limits)
    }

    private func register(_ listener: Listener) {
        state.withLock { $0.listeners.append(listener) }
    }

    private func serverBootstrap(_ listener: Listener, isTCP: Bool) -> ServerBootstrap {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(
                .writeBufferWaterMark, value: .init(low: 32 * 1024, high: 256 * 1024)
            )
            // A client that stops sending (socat at the end of its input) still gets the output
            // of what it sent.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // Keep what the kernel buffers for a stalled reader small; our outbox bounds the rest.
            .childChannelOption(.socketOption(.so_sndbuf), value: 128 * 1024)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.addHandlers(to: channel, listener: listener)
                }
            }
        if isTCP {
            bootstrap = bootstrap.serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        }
        return bootstrap
    }

    private func addHandlers(to channel: any Channel, listener: Listener) throws {
        try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(LineFrameDecoder()),
            ConnectionHandler(shared: self, listener: listener))
    }

    // MARK: - Participants

    func nextParticipantID() -> Int {
        state.withLock { state in
            defer { state.nextParticipantID += 1 }
            return state.nextParticipantID
        }
    }

    /// Registers a participant, queues its welcome and replay, and tells everyone. False when
    /// the session is full.
    func join(
        _ participant: RemoteParticipant, outbox: Outbox, listener: Listener, isProgram: Bool,
        replay: Int?
    ) -> Bool {
        let now = Date()
        let admitted = state.withLock { state -> Bool in
            guard state.participants.count < limits.maximumParticipants else { return false }
            state.participants[participant.id] = Record(
                participant: participant, how: listener.options.how, since: now, lastActive: now,
                outbox: outbox, listenerID: listener.id, isProgram: isProgram)
            return true
        }
        guard admitted else { return false }
        var first: [String] = []
        if isProgram { first.append(Self.welcomeLine(participant)) }
        let member = Broadcaster.Member(
            id: participant.id, style: participant.style, isProgram: isProgram, outbox: outbox)
        let lines = min(replay ?? limits.defaultReplayLines, limits.scrollbackLines)
        guard broadcaster.join(member, first: first, replay: lines) else {
            dropLagging(participant.id)
            return true
        }
        post([Notices.connected(participant, how: listener.options.how, at: now)])
        if isProgram {
            input.currentPrompt { [self] prompt in
                guard let prompt else { return }
                lastPrompt.withLock { $0 = prompt }
                _ = outbox.enqueue(WireProtocol.controlLine("prompt", "* " + prompt))
            }
        }
        return true
    }

    /// A plain participant turned out to be a program (its hello came late): record who it
    /// is, switch it to control lines, and send its welcome and prompt.
    func becameProgram(_ participant: RemoteParticipant, outbox: Outbox) {
        state.withLock { state in
            state.participants[participant.id]?.participant = participant
            state.participants[participant.id]?.isProgram = true
        }
        broadcaster.replace(
            Broadcaster.Member(
                id: participant.id, style: participant.style, isProgram: true, outbox: outbox))
        _ = outbox.enqueue(Self.welcomeLine(participant))
        input.currentPrompt { prompt in
            guard let prompt else { return }
            _ = outbox.enqueue(WireProtocol.controlLine("prompt", "* " + prompt))
        }
    }

    static func welcomeLine(_ participant: RemoteParticipant) -> String {
        let style = participant.style == .remoteExe ? "remote" : "server"
        return WireProtocol.controlLine(
            "welcome",
            "v=\(WireProtocol.version) id=\(participant.id) style=\(style) "
                + "readonly=\(participant.readOnly ? 1 : 0)")
    }

    /// A line of `participant` will never reach the session (too many of theirs wait): a
    /// program still gets the prompt that ends it, so it does not wait for that line forever.
    func lineRefused(_ participant: RemoteParticipant, outbox: Outbox, isProgram: Bool) {
        guard isProgram, let prompt = lastPrompt.withLock({ $0 }) else { return }
        _ = outbox.enqueue(WireProtocol.controlLine("prompt", "\(participant.id) \(prompt)"))
    }

    /// A participant's connection closed: forget it and tell everyone.
    func leave(_ participant: RemoteParticipant) {
        broadcaster.remove(participant.id)
        let record = state.withLock { $0.participants.removeValue(forKey: participant.id) }
        guard let record else { return }
        post([Notices.disconnected(participant, how: record.how, at: Date())])
    }

    func touch(_ id: Int) {
        state.withLock { $0.participants[id]?.lastActive = Date() }
    }

    /// Emits notice lines in order with everything else.
    func post(_ lines: [String]) {
        for line in lines { hub.emit(.notice, line, origin: .engine) }
    }

    /// Sends what is queued for a participant and then `final`, then closes its connection
    /// (once all of it is written, or after `dropLinger` for a peer that does not read).
    func closeAfterFlush(_ outbox: Outbox, final: [String] = []) {
        outbox.closeAfterDrain(final: final, linger: limits.dropLinger)
    }

    /// Why a participant that fell behind was dropped: the last line it receives.
    static let droppedReason =
        "*** You stopped reading the session's output and fell too far behind; you were "
        + "disconnected. Join again to catch up. ***"

    /// A participant fell too far behind: it leaves the session now, and its connection
    /// carries the output already on its way, then the reason, then closes. Called under the
    /// hub's lock, so it only schedules work (the notice to everyone comes from the event loop).
    func dropLagging(_ id: Int) {
        let record = state.withLock { $0.participants.removeValue(forKey: id) }
        guard let record else { return }
        broadcaster.remove(id)
        let isProgram = record.isProgram
        let final =
            isProgram
            ? [WireProtocol.controlLine("bye", Self.droppedReason)]
            : [Self.droppedReason]
        record.outbox.drop(final: final, linger: limits.dropLinger)
        record.outbox.channel.eventLoop.execute { [self] in
            post([Notices.disconnected(record.participant, how: record.how, at: Date())])
        }
    }

    /// Disconnects one participant after its queued output (`.remote_exit` from it).
    public func disconnect(participantID: Int, finalLines: [String] = []) {
        let outbox = state.withLock { $0.participants[participantID]?.outbox }
        guard let outbox else { return }
        closeAfterFlush(outbox, final: finalLines)
    }

    /// Disconnects everyone who joined through `listener` (or everyone), showing them
    /// `*** SESSION OVER ***`.
    func disconnectAll(listenerID: Int? = nil) {
        let outboxes = state.withLock { state in
            state.participants.values.filter { listenerID == nil || $0.listenerID == listenerID }
                .map(\.outbox)
        }
        for outbox in outboxes {
            closeAfterFlush(
                outbox,
                final: [
                    WireProtocol.controlLine("bye", "session over"), SessionCommand.sessionOver,
                ])
        }
    }

    /// Closes every listener and connection (the program is exiting): the participants get
    /// `*** SESSION OVER ***` after their queued output, and the call waits up to `wait` for
    /// their connections to close, so the goodbyes are out before the process ends.
    public func shutdown(wait: TimeAmount = .seconds(2)) {
        let channels = state.withLock { $0.participants.values.map(\.outbox.channel) }
        disconnectAll()
        let listeners = state.withLock { $0.listeners }
        for listener in listeners { listener.close() }
        // Never block an event loop (a channel's close needs it).
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else { return }
        let deadline = NIODeadline.now() + wait
        for channel in channels {
            let left = deadline - NIODeadline.now()
            guard left > .zero else { break }
            let closed = DispatchSemaphore(value: 0)
            channel.closeFuture.whenComplete { _ in closed.signal() }
            _ = closed.wait(timeout: .now() + .nanoseconds(Int(left.nanoseconds)))
        }
    }

    /// Stops one listener (connections made through it stay).
    func close(_ listener: Listener) {
        listener.close()
    }

    /// `.clients` lines: who is connected, how, since when, last active.
    public func clientListing() -> [String] {
        let records = state.withLock {
            $0.participants.values.sorted { $0.participant.id < $1.participant.id }
        }
        return records.map { record in
            let participant = record.participant
            let access = participant.readOnly ? ", read-only" : ""
            return "\(participant.host)\\\(participant.user) (\(record.how)\(access)), connected "
                + "\(TimeLabel.long(record.since)), last active \(TimeLabel.long(record.lastActive))"
        }
    }

    /// How many participants are connected.
    public var participantCount: Int { state.withLock { $0.participants.count } }

    /// Sends the prompt after a command finished to the programs: `#xcdb:prompt ID TEXT`, ID
    /// being the participant whose line it was (0 for the console and scripts).
    func sendPrompt(_ prompt: String, after origin: CommandSource) {
        let id = origin.remoteParticipant?.id ?? 0
        lastPrompt.withLock { $0 = prompt }
        broadcaster.sendControl(WireProtocol.controlLine("prompt", "\(id) \(prompt)"))
    }

    /// A participant's line finished (exactly once per line that reached the session, however
    /// many commands and echoes it made): the prompt after it tells its program so.
    func lineFinished(_ participant: RemoteParticipant, prompt: String?) {
        guard let prompt else { return }
        sendPrompt(prompt, after: CommandSource(.remote(participant)))
    }

    fileprivate func commandEchoed(_ event: OutputEvent) {
        // A participant's own lines are answered when they finish (`lineFinished`); the
        // console's and scripts' after their echo.
        guard event.origin.remoteParticipant == nil else { return }
        let origin = event.origin
        // A script's lines are not lines anyone sent: the prompt follows the line that ran it.
        guard !origin.isScript else { return }
        input.currentPrompt { [weak self] prompt in
            guard let prompt else { return }
            self?.sendPrompt(prompt, after: origin)
        }
    }
}

/// Forwards the broadcaster's callbacks to the shared session once it exists (the broadcaster
/// is made during the session's initialisation).
private final class Relay: Sendable {
    private let target = Mutex<WeakShared>(WeakShared())

    func attach(_ shared: SharedSession) {
        target.withLock { $0.value = shared }
    }

    func overflowed(_ id: Int) {
        target.withLock { $0.value }?.dropLagging(id)
    }

    func commandEchoed(_ event: OutputEvent) {
        target.withLock { $0.value }?.commandEchoed(event)
    }
}

private struct WeakShared: @unchecked Sendable {
    weak var value: SharedSession?
}

/// The join and leave notices everyone sees.
public enum Notices {
    public static func connected(_ participant: RemoteParticipant, how: String, at date: Date)
        -> String
    {
        switch participant.style {
        case .remoteExe:
            return "**Remote: Connected to \(participant.host) \(participant.user) "
                + "[\(TimeLabel.dayAndClock(date))]"
        case .debuggerServer:
            return "\(participant.host)\\\(participant.user) (\(how)) connected at "
                + TimeLabel.long(date)
        }
    }

    public static func disconnected(_ participant: RemoteParticipant, how: String, at date: Date)
        -> String
    {
        switch participant.style {
        case .remoteExe:
            return "**Remote:  Disconnected from \(participant.host) \(participant.user) "
                + "[\(TimeLabel.dayAndClock(date))]"
        case .debuggerServer:
            return "\(participant.host)\\\(participant.user) (\(how)) disconnected at "
                + TimeLabel.long(date)
        }
    }
}

/// Whether something listens on a Unix-domain socket path (a live session), as opposed to a
/// stale file left by a process that died.
enum UnixSocketProbe {
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
