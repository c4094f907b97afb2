import Dispatch
import Engine
import FoundationEssentials
import NIOCore
import NIOPosix
import Synchronization

/// The client end of the wire protocol, shared by `xremote /c` and `xcdb -remote`: connects,
/// identifies itself, answers the password prompt, and hands transcript lines, prompts and
/// command lists to its owner through callbacks (called on a network thread).
public final class RemoteClient: Sendable {
    /// Where the server is.
    public enum Endpoint: Sendable, Equatable {
        case unix(path: String)
        case tcp(host: String, port: Int)
        /// Listen on `port` and wait for the server to dial in (`clicon`).
        case waitForServer(port: Int, loopbackOnly: Bool)
    }

    /// What the server said while joining.
    public enum JoinEvent: Sendable, Equatable {
        /// Joined; my participant id.
        case joined(id: Int, readOnly: Bool)
        /// The server asks for a password: answer with `send(_:)`.
        case passwordRequested
        /// The connection closed before joining; the server's reason, if any.
        case closed(String?)
    }

    /// Whose line a prompt ends.
    public enum PromptOrigin: Sendable, Equatable {
        /// The first prompt after joining.
        case joining
        /// A line I sent has finished (exactly one prompt per line that reached the session).
        case mine
        /// Someone else's command (or the console's, or a script's) has finished.
        case others
    }

    /// Callbacks, called on the connection's event loop.
    public struct Callbacks: Sendable {
        /// A transcript line to show.
        public var line: @Sendable (String) -> Void
        /// The prompt after a command, and whose command it was.
        public var prompt: @Sendable (_ text: String, _ origin: PromptOrigin) -> Void
        /// The server's command names (answer to `requestCommandNames()`).
        public var commandNames: @Sendable ([String]) -> Void
        /// The connection closed (the server's reason, if it gave one).
        public var closed: @Sendable (String?) -> Void

        public init(
            line: @escaping @Sendable (String) -> Void,
            prompt: @escaping @Sendable (String, PromptOrigin) -> Void = { _, _ in },
            commandNames: @escaping @Sendable ([String]) -> Void = { _ in },
            closed: @escaping @Sendable (String?) -> Void = { _ in }
        ) {
            self.line = line
            self.prompt = prompt
            self.commandNames = commandNames
            self.closed = closed
        }
    }

    private struct State {
        var channel: (any Channel)?
        var joinEvents: [JoinEvent] = []
        var myID: Int?
        var closeReason: String?
    }

    private let state = Mutex(State())
    private let joinSignal = DispatchSemaphore(value: 0)
    private let hello: ClientHello
    private let callbacks: Callbacks
    private let group: any EventLoopGroup

    public init(
        hello: ClientHello, callbacks: Callbacks,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.hello = hello
        self.callbacks = callbacks
        self.group = group
    }

    /// Connects and sends the hello. Then call `nextJoinEvent()`.
    public func connect(to endpoint: Endpoint) throws(RemoteError) {
        let channel: any Channel
        do {
            switch endpoint {
            case .unix(let path):
                channel = try bootstrap().connect(unixDomainSocketPath: path).wait()
            case .tcp(let host, let port):
                channel = try bootstrap().connect(host: host, port: port).wait()
            case .waitForServer(let port, let loopbackOnly):
                channel = try waitForServer(port: port, loopbackOnly: loopbackOnly)
            }
        } catch let error as RemoteError {
            throw error
        } catch {
            throw RemoteError("*** Unable to Connect *** (\(Self.describe(error, endpoint)))")
        }
        state.withLock { $0.channel = channel }
        send(hello.line)
    }

    private func bootstrap() -> ClientBootstrap {
        ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.addHandlers(channel)
                }
            }
    }

    private func addHandlers(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(LineFrameDecoder(maximumLength: 1 << 20)),
            ClientHandler(client: self))
    }

    private func waitForServer(port: Int, loopbackOnly: Bool) throws -> any Channel {
        let accepted = group.next().makePromise(of: (any Channel).self)
        let server = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.addHandlers(channel)
                    accepted.succeed(channel)
                }
            }
            .bind(host: loopbackOnly ? "127.0.0.1" : "0.0.0.0", port: port).wait()
        defer { try? server.close().wait() }
        return try accepted.futureResult.wait()
    }

    static func describe(_ error: any Error, _ endpoint: Endpoint) -> String {
        let text = "\(error)"
        switch endpoint {
        case .unix(let path):
            if text.contains("ENOENT") || text.contains("No such file") {
                return "Diagnosis: no session at \(path) (is the server running?)"
            }
            if text.contains("EACCES") || text.contains("Permission denied") {
                return "Diagnosis: permission denied on \(path) (the session belongs to another "
                    + "user; they can share it with access=all)"
            }
            if text.contains("ECONNREFUSED") || text.contains("Connection refused") {
                return "Diagnosis: \(path) is stale (the server is gone)"
            }
            return "\(path): \(text)"
        case .tcp(let host, let port):
            return "\(host):\(port): \(text)"
        case .waitForServer(let port, _):
            return "waiting on port \(port): \(text)"
        }
    }

    /// Waits for the next thing the server says while joining.
    public func nextJoinEvent(timeout: TimeInterval = 30) -> JoinEvent {
        while true {
            if let event = state.withLock({ state -> JoinEvent? in
                state.joinEvents.isEmpty ? nil : state.joinEvents.removeFirst()
            }) {
                return event
            }
            if joinSignal.wait(timeout: .now() + timeout) == .timedOut {
                return .closed("The server did not answer in \(Int(timeout)) seconds.")
            }
        }
    }

    /// Sends one line (a command, `@` command, password answer, or control line).
    public func send(_ line: String) {
        guard let channel = state.withLock({ $0.channel }) else { return }
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        channel.writeAndFlush(buffer, promise: nil)
    }

    /// Ctrl-C: asks the server to interrupt the running command.
    public func interrupt() { send(WireProtocol.controlLine("interrupt")) }

    /// Asks for the server's command names (answered through `callbacks.commandNames`).
    public func requestCommandNames() { send(WireProtocol.controlLine("commands")) }

    /// Says that nothing more will be sent (half-close) and waits up to `timeout` seconds for
    /// the server to send the output of what was sent and close.
    public func finishSending(timeout: TimeInterval = 30) {
        guard let channel = state.withLock({ $0.channel }) else { return }
        channel.close(mode: .output, promise: nil)
        let closed = DispatchSemaphore(value: 0)
        channel.closeFuture.whenComplete { _ in closed.signal() }
        if closed.wait(timeout: .now() + timeout) == .timedOut {
            channel.close(promise: nil)
        }
    }

    /// Closes the connection.
    public func close() {
        if let channel = state.withLock({ $0.channel }) {
            try? channel.close().wait()
        }
    }

    /// Blocks until the connection is closed; returns the server's reason, if any.
    @discardableResult
    public func waitUntilClosed() -> String? {
        guard let channel = state.withLock({ $0.channel }) else { return nil }
        try? channel.closeFuture.wait()
        return state.withLock { $0.closeReason }
    }

    public var isConnected: Bool { state.withLock { $0.channel?.isActive ?? false } }

    // MARK: - From the handler

    fileprivate func received(_ line: String) {
        guard let control = WireProtocol.control(line) else {
            let joined = state.withLock { $0.myID != nil }
            if !joined, line == WireProtocol.passwordPrompt {
                pushJoinEvent(.passwordRequested)
                return
            }
            if !joined, line == WireProtocol.wrongPassword {
                state.withLock { $0.closeReason = line }
                return
            }
            callbacks.line(line)
            return
        }
        switch control.name {
        case "welcome":
            var id = 0
            var readOnly = false
            for field in control.argument.split(separator: " ") {
                if field.hasPrefix("id=") { id = Int(field.dropFirst(3)) ?? 0 }
                if field == "readonly=1" { readOnly = true }
            }
            state.withLock { $0.myID = id }
            pushJoinEvent(.joined(id: id, readOnly: readOnly))
        case "prompt":
            let argument = control.argument
            guard let space = argument.firstIndex(of: " ") else { return }
            let origin = argument[..<space]
            let text = String(argument[argument.index(after: space)...])
            let myID = state.withLock { $0.myID }
            let whose: PromptOrigin =
                origin == "*" ? .joining : Int(origin) == myID ? .mine : .others
            callbacks.prompt(text, whose)
        case "commands":
            callbacks.commandNames(control.argument.split(separator: " ").map(String.init))
        case "text":
            callbacks.line(control.argument)
        case "bye":
            state.withLock { $0.closeReason = control.argument }
        default:
            break
        }
    }

    fileprivate func channelClosed() {
        let (joined, reason) = state.withLock { ($0.myID != nil, $0.closeReason) }
        if !joined { pushJoinEvent(.closed(reason)) }
        callbacks.closed(reason)
    }

    private func pushJoinEvent(_ event: JoinEvent) {
        state.withLock { $0.joinEvents.append(event) }
        joinSignal.signal()
    }
}

private final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = InboundLine

    let client: RemoteClient

    init(client: RemoteClient) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .line(let line): client.received(line)
        case .tooLong(let bytes): client.received("[a line of \(bytes) bytes was too long to show]")
        case .interrupt: client.received("^C")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.channelClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server finished sending: the session is over for us.
        if let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
