import Engine
import FoundationEssentials
import Glibc
import HostSystem
import Synchronization

/// `xremote /c SERVER NAME`.
public enum XRemoteClient {
    /// Joins the session and runs it until the person leaves or it ends; returns the exit code.
    /// `prepare` adjusts the client before it connects (the executable gives it line editing
    /// on a terminal).
    public static func run(
        server: String, session: String, lines: Int?, readOnly: Bool,
        prepare: (inout InteractiveClient) -> Void = { _ in }
    ) -> Int32 {
        let endpoint: RemoteClient.Endpoint
        if let colon = server.lastIndex(of: ":"),
            let port = Int(server[server.index(after: colon)...]),
            (1...65535).contains(port)
        {
            endpoint = .tcp(host: String(server[..<colon]), port: port)
        } else if Identity.isLocal(server) {
            let registry = SessionRegistry(directories: [.personal(), .everyone()])
            guard let entry = registry.find(session) else {
                StandardStream.error(
                    "*** Unable to Connect ***\nDiagnosis: no session named '\(session)' on "
                        + "\(Identity.hostName) (xremote /q \(server) lists them)\n")
                return 1
            }
            endpoint = .unix(path: entry.socket)
        } else {
            StandardStream.error(
                "*** Unable to Connect ***\nDiagnosis: '\(server)' is another computer; "
                    + "sessions are local Unix sockets. Join a TCP server there with "
                    + "xremote /c \(server):PORT \(session).\n")
            return 1
        }
        var client = InteractiveClient(
            hello: ClientHello(
                user: Identity.userName, host: Identity.hostName, lines: lines, readOnly: readOnly,
                session: session, program: "xremote"),
            endpoint: endpoint,
            write: { StandardStream.output($0) },
            readLine: { Swift.readLine(strippingNewline: true) })
        client.banner = Banners.client
        // remote.exe's client takes no password option; it comes from the environment or is
        // asked at the terminal.
        let environment = SharingEnvironment.current()
        client.password = PasswordSource(
            environment: environment[PasswordSource.environmentVariable]
                ?? environment["XREMOTE_PASSWORD"])
        prepare(&client)
        return client.run()
    }
}

/// `xremote /q SERVER`.
public enum XRemoteQuery {
    public static func run(server: String) -> Int32 {
        let host = Identity.hostName
        print("Querying server \\\\\(server)")
        guard Identity.isLocal(server) else {
            print("Cannot query \\\\\(server): only sessions on this computer can be listed.")
            return 1
        }
        let sessions = SessionRegistry(directories: [.personal(), .everyone()]).liveSessions()
        guard !sessions.isEmpty else {
            print("No Remote servers running on \\\\\(server)")
            return 0
        }
        let visible = sessions.filter(\.visible)
        guard !visible.isEmpty else {
            print("No visible sessions on server \\\\\(server)")
            return 0
        }
        print("")
        print("Visible sessions on server \(server):")
        print("")
        for entry in visible {
            let program =
                entry.command.split(separator: " ").first.map {
                    PathText.lastComponent(of: String($0))
                } ?? entry.command
            print("\(program.rightPadded(to: 32))[xremote /C \(host) \"\(entry.name)\"] visible")
        }
        return 0
    }
}

/// `xremote /s "command" NAME`: the child program's session, shared.
public enum XRemoteServer {
    public static func run(command: String, session name: String, visible: Bool?) -> Int32 {
        func fail(_ text: String) -> Int32 {
            StandardStream.error("xremote: \(text)\n")
            return 1
        }
        guard ServerTransport.isValidName(name) else {
            return fail("invalid session name '\(name)': use letters, digits, '_', '-', '.'")
        }
        let directory = RuntimeDirectory.personal()
        let registry = SessionRegistry(directories: [directory])
        do {
            try directory.preparePrivate()
        } catch {
            return fail(error.message)
        }
        if registry.find(name) != nil {
            return fail("a session named '\(name.lowercased())' is already running")
        }
        let hub = OutputHub()
        let console = ConsoleSink()
        hub.add(console)
        let child: ChildProcessInput
        do {
            child = try ChildProcessInput(command: command, hub: hub)
        } catch {
            return fail(error.message)
        }
        let shared = SharedSession(
            hub: hub, input: child,
            limits: SharingLimits.fromEnvironment(SharingEnvironment.current()))
        // SIGTERM and SIGHUP end the child and the session, and remove the socket and registry
        // files; Ctrl-C at this console goes to the child, as a participant's would.
        TerminationSignals.beforeExit {
            child.terminate()
            shared.shutdown()
        }
        let interrupts = SignalForwarder { child.interrupt() }
        defer { interrupts.stop() }
        let socket = directory.remoteSessionSocket(name)
        do {
            _ = try shared.listen(
                unixPath: socket, mode: 0o600,
                options: ListenerOptions(
                    style: .remoteExe, sessionName: name.lowercased(), how: "remote"))
            try registry.register(
                SessionRegistry.Entry(
                    name: name.lowercased(), command: command,
                    visible: visible ?? SessionRegistry.isVisibleByDefault(command: command),
                    processID: getpid(), socket: socket),
                in: directory)
        } catch {
            child.terminate()
            return fail(error.message)
        }
        // Registered and listening: say how to join, then let the child's output flow.
        for line in Banners.server(host: Identity.hostName, session: name.lowercased()) {
            console.show(line)
        }
        console.show("")
        child.startReading()
        // The server console: its lines go to the child (or are session commands).
        let killed = Atomic<Bool>(false)
        DetachedThread.start(name: "xremote console") {
            while let line = Swift.readLine(strippingNewline: true) {
                if let command = SessionCommand.parse(line) {
                    switch command {
                    case .help: SessionCommand.helpLines.forEach(console.show)
                    case .message:
                        shared.post([
                            SessionCommand.messageNotice(
                                typed: line, from: "Local", dayAndClock: TimeLabel.dayAndClock())
                        ])
                    case .popup(let text):
                        shared.post(
                            SessionCommand.popupNotice(
                                text: text, from: "Local", dayAndClock: TimeLabel.dayAndClock()))
                    case .kill:
                        killed.store(true, ordering: .relaxed)
                        child.terminate()
                        return
                    case .quit: console.show("@Q leaves as a client; at the server use @K.")
                    case .escaped(let text): child.submit(text, from: .console) { _ in }
                    case .unknown:
                        (["** Unknown Command **"] + SessionCommand.helpLines).forEach(console.show)
                    }
                    continue
                }
                child.submit(line, from: .console) { _ in }
            }
        }
        let status = child.waitForExit()
        // Ended by SIGTERM or SIGHUP: the handler cleans up and the process dies of the signal.
        TerminationSignals.waitIfTerminating()
        registry.unregister(name: name, in: directory)
        // Waits (briefly) until the participants have their goodbyes.
        shared.shutdown()
        return killed.load(ordering: .relaxed) ? 0 : status
    }
}

/// The server console of `xremote /s`: everything but its own typing.
final class ConsoleSink: OutputSink {
    func receive(_ event: OutputEvent) {
        switch event.kind {
        case .commandEcho:
            guard !event.origin.isConsole else { return }
            show(Attribution.echoLine(for: event, viewer: nil, clock: TimeLabel.clock()))
        case .clearScreen: break
        case .output, .error, .notice: show(event.text)
        }
    }

    func show(_ line: String) {
        StandardStream.output(line + "\n")
    }
}
