import Engine
import FoundationEssentials
import Frontend
import Glibc
import Remote

StandardStream.ignoreBrokenPipes()

let command: XRemoteCommand
do {
    command = try XRemoteCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    StandardStream.error("xremote: \(error.message)\n\n\(XRemoteCommand.usage)\n")
    exit(1)
}

switch command {
case .help:
    print(XRemoteCommand.usage)
    exit(0)
case .version:
    print("xremote \(XcdbVersion.number)")
    exit(0)
case .client(let server, let session, let lines, let readOnly):
    exit(
        XRemoteClient.run(server: server, session: session, lines: lines, readOnly: readOnly) {
            RemoteClientEditor.attach(
                to: &$0, sessionCommands: SessionCommand.clientCommandNames,
                programName: "xremote")
        })
case .query(let server):
    exit(XRemoteQuery.run(server: server))
case .server(let childCommand, let session, let visible):
    exit(XRemoteServer.run(command: childCommand, session: session, visible: visible))
}
