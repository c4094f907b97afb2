import Engine
import FoundationEssentials
import HostSystem
import Remote

/// `xcdb -remote TRANSPORT`: this process is a client of another debugger's `.server` (or
/// `.remote`) session. Commands typed here run there; its transcript shows here. At a terminal
/// the client has line editing (`RemoteClientEditor`); piped input is sent line by line.
enum RemoteClientMode {
    static func run(transport text: String, options: DebuggerOptions, programName: String) -> Int32
    {
        let transport: ClientTransport
        do {
            transport = try ClientTransport.parse(text)
        } catch {
            Launcher.printError("\(programName): -remote: \(error.message)")
            return 1
        }
        let endpoint: RemoteClient.Endpoint
        switch transport.kind {
        case .npipe(let server, let name):
            guard Identity.isLocal(server) else {
                Launcher.printError(
                    "\(programName): npipe sessions are Unix-domain sockets on the server's own "
                        + "computer, so '\(server)' cannot be reached this way. Ask for a TCP "
                        + "server (.server tcp:port=N,address=...,password=P) and join with "
                        + "-remote tcp:server=\(server),port=N,password=P.")
                return 1
            }
            // A .server pipe of this user, one shared with everyone, or else a .remote session
            // of that name.
            let candidates = [
                RuntimeDirectory.personal().pipeSocket(name),
                RuntimeDirectory.everyone().pipeSocket(name),
            ]
            let remoteSession = SessionRegistry(directories: [.personal(), .everyone()]).find(name)
            let path =
                candidates.first { FileManager.default.fileExists(atPath: $0) }
                ?? remoteSession?.socket ?? candidates[0]
            endpoint = .unix(path: path)
        case .tcp(let server, let port):
            endpoint = .tcp(host: server, port: port)
        case .tcpWaiting(let host, let port):
            endpoint = .waitForServer(port: port, loopbackOnly: Identity.isLocal(host))
        }
        let writer = StandardOutputWriter()
        var client = InteractiveClient(
            hello: ClientHello(
                user: Identity.userName, host: Identity.hostName, lines: options.historyLines,
                program: programName),
            endpoint: endpoint,
            write: { writer.write($0) },
            readLine: { Swift.readLine(strippingNewline: true) })
        client.password = PasswordSource(
            literal: transport.password, file: transport.passwordFile,
            environment: HostEnvironment.value(PasswordSource.environmentVariable))
        if let commands = options.initialCommands { client.initialCommands = [commands] }
        RemoteClientEditor.attach(to: &client, programName: programName)
        return client.run()
    }
}
