import Engine
import FoundationEssentials
import NIOCore
import NIOPosix
import Synchronization

/// The debugger's session sharing: `.remote`, `.server`, `.servers`, `.endsrv`, `.clients`,
/// `.remote_exit`. The Frontend creates one per debugger process and puts it into
/// `DebuggerState.sharing`.
public final class SharingService: SessionSharing {
    private let session: Session
    private let programName: String
    private let environment: [String: String]
    private let limits: SharingLimits
    private let onQuit: @Sendable () -> Void

    private struct RemoteExeSession {
        var name: String
        var listener: Listener
        var directory: RuntimeDirectory
    }

    private struct ServerEntry {
        var transport: ServerTransport
        var listener: Listener
        var ended = false
    }

    private struct State {
        var shared: SharedSession?
        var remote: RemoteExeSession?
        var servers: [ServerEntry] = []
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - onQuit: what to do when a remote participant's `qq` ends the session (the Frontend
    ///     exits the process).
    public init(
        session: Session, programName: String,
        environment: [String: String] = SharingEnvironment.current(),
        onQuit: @escaping @Sendable () -> Void
    ) {
        self.session = session
        self.programName = programName
        self.environment = environment
        self.limits = SharingLimits.fromEnvironment(environment)
        self.onQuit = onQuit
    }

    private func sharedSession() -> SharedSession {
        state.withLock { state in
            if let shared = state.shared { return shared }
            let shared = SharedSession(
                hub: session.hub, input: DebuggerInput(session: session, onQuit: onQuit),
                limits: limits)
            state.shared = shared
            return shared
        }
    }

    // MARK: - .remote

    public func startRemote(name: String) throws(CommandError) -> [String] {
        if let current = state.withLock({ $0.remote }) {
            throw CommandError.message(
                "This session is already shared as '\(current.name)'; end it with .remote_exit "
                    + "before starting another.")
        }
        let directory = RuntimeDirectory.personal(environment: environment)
        let registry = SessionRegistry(directories: [directory])
        do throws(RemoteError) {
            try directory.preparePrivate()
            if registry.find(name) != nil {
                throw RemoteError(
                    "A session named '\(name.lowercased())' is already running on this computer; "
                        + "pick another name.")
            }
            let listener = try sharedSession().listen(
                unixPath: directory.remoteSessionSocket(name), mode: 0o600,
                options: ListenerOptions(
                    style: .remoteExe, sessionName: name.lowercased(), how: "remote"))
            let commandLine = session.withState { $0.commandLine }
            try registry.register(
                SessionRegistry.Entry(
                    name: name.lowercased(),
                    command: commandLine.isEmpty ? programName : commandLine,
                    visible: true, processID: getpid(), socket: directory.remoteSessionSocket(name)),
                in: directory)
            state.withLock {
                $0.remote = RemoteExeSession(
                    name: name.lowercased(), listener: listener, directory: directory)
            }
        } catch {
            throw CommandError.message(error.message)
        }
        return Banners.server(host: Identity.hostName, session: name.lowercased()) + [
            "(Unix-domain socket \(directory.remoteSessionSocket(name)), mode 0600: only "
                + "\(Identity.userName) can join. End with .remote_exit.)"
        ]
    }

    public func stopRemote() throws(CommandError) -> [String] {
        guard
            let remote = state.withLock({ state -> RemoteExeSession? in
                defer { state.remote = nil }
                return state.remote
            })
        else {
            throw CommandError.message(
                "No .remote session is running (.remote_exit at the console ends one; "
                    + "use .endsrv for .server servers).")
        }
        remote.listener.close()
        SessionRegistry(directories: [remote.directory]).unregister(
            name: remote.name, in: remote.directory)
        sharedSession().disconnectAll(listenerID: remote.listener.id)
        return ["Remote session '\(remote.name)' ended."]
    }

    // MARK: - .server

    public func startServer(transport text: String) throws(CommandError) -> [String] {
        let transport: ServerTransport
        do {
            transport = try ServerTransport.parse(text, processID: getpid())
        } catch {
            throw CommandError.message("\(error.message)")
        }
        var password = transport.password
        if let file = transport.passwordFile {
            do {
                password = try PasswordSource.read(file: file)
            } catch {
                throw CommandError.message(error.message)
            }
        }
        let options = ListenerOptions(
            style: .debuggerServer, password: password, readOnly: transport.readOnly,
            how: transport.listing)
        let listener: Listener
        var joinHint: String
        do throws(RemoteError) {
            switch transport.kind {
            case .npipe(let name):
                let duplicate = state.withLock { state in
                    state.servers.contains { entry in
                        !entry.ended && entry.transport.kind == transport.kind
                    }
                }
                if duplicate {
                    throw RemoteError(
                        "Pipe '\(name)' is already used by a server of this debugger.")
                }
                let directory =
                    transport.everyone
                    ? RuntimeDirectory.everyone(environment: environment)
                    : RuntimeDirectory.personal(environment: environment)
                if transport.everyone {
                    try directory.prepareShared()
                } else {
                    try directory.preparePrivate()
                }
                let path = directory.pipeSocket(name)
                listener = try sharedSession().listen(
                    unixPath: path, mode: transport.everyone ? 0o666 : 0o600, options: options)
                joinHint =
                    "Join with: xcdb -remote npipe:server=\(Identity.hostName),pipe=\(name)"
                    + (password != nil ? ",password=..." : "")
                    + "   (socket \(path))"
            case .tcp(let ports, let address):
                let host = address ?? "127.0.0.1"
                if !Self.isLoopback(host), password == nil {
                    throw RemoteError(
                        "Refusing to listen on \(host) without a password: anyone who can reach "
                            + "this machine could run commands in this debugger. Add "
                            + "password=..., or leave out address= to listen on 127.0.0.1 only.")
                }
                listener = try sharedSession().listen(address: host, ports: ports, options: options)
                let port = listener.boundPort.load(ordering: .relaxed)
                let server = Self.isLoopback(host) ? "localhost" : Identity.hostName
                joinHint =
                    "Join with: xcdb -remote tcp:server=\(server),port=\(port)"
                    + (password != nil ? ",password=..." : "")
                    + (ports.count > 1 ? "   (listening on port \(port))" : "")
            case .tcpReverse(let host, let port):
                if !Self.isLoopback(host), password == nil {
                    throw RemoteError(
                        "Refusing to connect out to \(host) without a password; add password=....")
                }
                listener = try sharedSession().dial(host: host, port: port, options: options)
                joinHint = "Connected to the client waiting at \(host):\(port)."
            }
        } catch {
            throw CommandError.message(error.message)
        }
        state.withLock { $0.servers.append(ServerEntry(transport: transport, listener: listener)) }
        return ["Server started with '\(Secrets.redacted(text))'", joinHint]
    }

    public func serverListing() -> [String] {
        state.withLock { state in
            state.servers.enumerated().map { index, entry in
                entry.ended
                    ? "\(index) - <Disabled, exit pending>"
                    : "\(index) - Debugger Server - \(entry.transport.listing)"
            }
        }
    }

    public func endServer(id: Int) throws(CommandError) -> [String] {
        let listener = state.withLock { state -> Listener? in
            guard state.servers.indices.contains(id), !state.servers[id].ended else { return nil }
            state.servers[id].ended = true
            return state.servers[id].listener
        }
        guard let listener else {
            throw CommandError.message("No active server with id \(id) (see .servers).")
        }
        listener.close()
        return [
            "Server told to exit.  Actual exit may be delayed until",
            "the next connection attempt.",
        ]
    }

    public func clientListing() -> [String] {
        let local = "\(Identity.hostName)\\\(Identity.userName) (local console)"
        let remote = state.withLock { $0.shared }?.clientListing() ?? []
        return [local] + remote
    }

    public func disconnect(participantID: Int) {
        state.withLock { $0.shared }?.disconnect(
            participantID: participantID,
            finalLines: [WireProtocol.controlLine("bye", "left"), SessionCommand.sessionOver])
    }

    /// Ends every server and connection and removes socket and registry files (the debugger
    /// is exiting).
    public func shutdown() {
        let (shared, remote) = state.withLock { state in
            defer { state.remote = nil }
            return (state.shared, state.remote)
        }
        if let remote {
            SessionRegistry(directories: [remote.directory]).unregister(
                name: remote.name, in: remote.directory)
        }
        shared?.shutdown()
    }

    /// True while a `.remote` session or a `.server` server is open.
    public var isSharing: Bool {
        state.withLock { state in
            state.remote != nil || state.servers.contains { !$0.ended && $0.listener.isOpen }
                || (state.shared?.participantCount ?? 0) > 0
        }
    }

    /// The participants connected right now (for tests and diagnostics).
    public var participantCount: Int { state.withLock { $0.shared }?.participantCount ?? 0 }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered.hasPrefix("127.")
    }
}

/// remote.exe's banners.
public enum Banners {
    static let stars = "**************************************"

    /// The server banner (§2.1): the box, then how to connect.
    public static func server(host: String, session: String) -> [String] {
        [
            stars, "***********     REMOTE    ************",
            "***********     SERVER    ************", stars,
            "To Connect: xremote /c \(host) \"\(session)\"",
        ]
    }

    /// The client banner (§3.1), shown before the replay.
    public static let client = [
        stars, "***********     REMOTE    ************", "***********     CLIENT    ************",
        stars, "Connected...", "",
    ]
}

extension SharingService {
    /// remote.exe's `@` session commands typed at the debugger's own console (`@K` ends the
    /// `.remote` session, `@M`/`@P` talk to everyone, labelled `Local`). Returns the lines to
    /// show the console, or nil when `line` is not a session command.
    public func consoleSessionCommand(_ line: String) -> [String]? {
        guard let command = SessionCommand.parse(line) else { return nil }
        let shared = state.withLock { $0.shared }
        switch command {
        case .help:
            return SessionCommand.helpLines
        case .message:
            guard let shared else { return ["@M: this session is not shared."] }
            shared.post([
                SessionCommand.messageNotice(
                    typed: line.trimmingWhitespace(), from: "Local",
                    dayAndClock: TimeLabel.dayAndClock())
            ])
            return []
        case .popup(let text):
            guard let shared else { return ["@P: this session is not shared."] }
            shared.post(
                SessionCommand.popupNotice(
                    text: text, from: "Local", dayAndClock: TimeLabel.dayAndClock()))
            return []
        case .quit:
            return ["@Q leaves a session as a client; at the server use @K or .remote_exit."]
        case .kill:
            do {
                return try stopRemote()
            } catch {
                return error.render(line: line, command: Substring(line), promptWidth: 0)
            }
        case .escaped(let text):
            return ["@@ sends a line to a child program; here type \(text) directly."]
        case .unknown:
            return ["** Unknown Command **"] + SessionCommand.helpLines
        }
    }
}
