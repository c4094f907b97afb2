import Engine
import Foundation
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
    }

    private struct State {
        var nextParticipantID = 1
        var nextListenerID = 0
        var participants: [Int: Record] = [:]
        var listeners: [Listener] = []
    }

    private let state = Mutex(State())
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
            throw RemoteError("'\(path)' is already in use by another live session.")
        }
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
        let id = state.withLock { state in
            defer { state.nextListenerID += 1 }
            return state.nextListenerID
        }
        return Listener(id: id, options: options, socketPath: socketPath)
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
                outbox: outbox, listenerID: listener.id)
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
            input.currentPrompt { prompt in
                guard let prompt else { return }
                _ = outbox.enqueue(WireProtocol.controlLine("prompt", "* " + prompt))
            }
        }
        return true
    }

    /// A plain participant turned out to be a program (its hello came late): record who it
    /// is, switch it to control lines, and send its welcome and prompt.
    func becameProgram(_ participant: RemoteParticipant, outbox: Outbox) {
        state.withLock { $0.participants[participant.id]?.participant = participant }
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

    /// Sends what is queued for a participant, then closes its connection.
    func closeAfterFlush(_ outbox: Outbox) {
        let channel = outbox.channel
        channel.eventLoop.execute {
            outbox.flush()
            outbox.close()
            channel.writeAndFlush(channel.allocator.buffer(capacity: 0)).whenComplete { _ in
                channel.close(promise: nil)
            }
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    /// A participant fell too far behind: tell it (if it ever reads again) and disconnect it.
    /// Called under the hub's lock, so it only schedules work.
    func dropLagging(_ id: Int) {
        let outbox = state.withLock { $0.participants[id]?.outbox }
        guard let outbox else { return }
        outbox.close()
        broadcaster.remove(id)
        let channel = outbox.channel
        let message =
            "*** You stopped reading the session's output and fell too far behind; you were "
            + "disconnected. Join again to catch up. ***"
        channel.eventLoop.execute {
            var buffer = channel.allocator.buffer(capacity: message.utf8.count + 1)
            buffer.writeString("\n" + message + "\n")
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    /// Disconnects one participant after its queued output (`.remote_exit` from it).
    public func disconnect(participantID: Int, finalLines: [String] = []) {
        let outbox = state.withLock { $0.participants[participantID]?.outbox }
        guard let outbox else { return }
        _ = outbox.enqueue(finalLines)
        closeAfterFlush(outbox)
    }

    /// Disconnects everyone who joined through `listener` (or everyone), showing them
    /// `*** SESSION OVER ***`.
    func disconnectAll(listenerID: Int? = nil) {
        let outboxes = state.withLock { state in
            state.participants.values.filter { listenerID == nil || $0.listenerID == listenerID }
                .map(\.outbox)
        }
        for outbox in outboxes {
            _ = outbox.enqueue([
                WireProtocol.controlLine("bye", "session over"), SessionCommand.sessionOver,
            ])
            closeAfterFlush(outbox)
        }
    }

    /// Closes every listener and connection (the program is exiting).
    public func shutdown() {
        disconnectAll()
        let listeners = state.withLock { $0.listeners }
        for listener in listeners { listener.close() }
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

    /// Sends the prompt after a command finished to the programs.
    func sendPrompt(_ prompt: String, after origin: CommandSource) {
        let id = origin.remoteParticipant?.id ?? 0
        broadcaster.sendControl(WireProtocol.controlLine("prompt", "\(id) \(prompt)"))
    }

    fileprivate func commandEchoed(_ event: OutputEvent) {
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
