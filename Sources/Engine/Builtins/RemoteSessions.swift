extension Builtins {
    /// `.remote SessionName`: share this session remote.exe style.
    static let remote = Command(
        name: ".remote",
        summary: "share this session remote.exe style (join with xremote /c HOST NAME)",
        usage: ".remote SessionName",
        details: [
            "Starts a remote.exe-style server for this session. Others join with",
            "xremote /c HOST SessionName [/L lines] [/ro] and see every command and its output.",
            "Names are letters, digits, '_', '-' and '.', up to 64 characters, case-insensitive.",
            "On Linux the session is a Unix-domain socket only you can open. .remote_exit ends it.",
        ],
        effect: .changesSession,
        argument: .text
    ) { invocation in
        var words = ArgumentWords(invocation.arguments)
        guard let word = words.next(), words.next() == nil else {
            throw RemoteCommands.usage(for: invocation.command)
        }
        let name = unquoted(word)
        guard RemoteCommands.isValidSessionName(name) else {
            throw CommandError.lines(
                [
                    "Invalid session name '\(name)': use letters, digits, '_', '-' and '.' "
                        + "(up to 64 characters, not starting with '.')."
                ] + RemoteCommands.usageLines(for: invocation.command))
        }
        let sharing = try invocation.state.requireSharing()
        invocation.out.lines(try sharing.startRemote(name: name))
    }

    /// `.remote_exit [FinalCommands]`: leave the shared session (a participant), or end the
    /// remote.exe-style session (the console).
    static let remoteExit = Command(
        name: ".remote_exit",
        summary: "leave a shared session (remote participant) or end .remote (console)",
        usage: ".remote_exit [FinalCommands]",
        details: [
            "From a remote participant: runs FinalCommands (separated by ';'), then leaves;",
            "the session goes on. At the debugger's console: ends the .remote session and",
            "disconnects its participants (.server servers are ended with .endsrv).",
        ],
        // Leaving changes nothing for the others; the final commands are checked one by one.
        effect: .none,
        argument: .text,
        takesRestOfLine: true
    ) { invocation in
        let sharing = try invocation.state.requireSharing()
        if let participant = invocation.source.remoteParticipant {
            let finalCommands = invocation.trimmedArguments
            if !finalCommands.isEmpty {
                // Leave even when the final commands were stopped.
                _ = try? invocation.runNested(finalCommands, echo: false)
            }
            sharing.disconnect(participantID: participant.id)
            return
        }
        invocation.out.lines(try sharing.stopRemote())
    }

    /// `.server Transport`: start a debugging server.
    static let server = Command(
        name: ".server",
        summary: "start a debugging server (npipe:pipe=NAME or tcp:port=N)",
        usage: ".server npipe:pipe=Name[,password=P][,hidden][,readonly][,access=all] | "
            + ".server tcp:port=N[,password=P][,address=A][,hidden][,readonly] | "
            + ".server tcp:port=N,clicon=Host[,password=P]",
        details: [
            "npipe: a Unix-domain socket in $XDG_RUNTIME_DIR/xcdb (or /tmp/xcdb-UID), mode 0600:",
            "  only you can join; access=all makes it joinable by every local user.",
            "tcp: listens on 127.0.0.1 unless address= names another; listening beyond the",
            "  loopback needs a password. port=51:60 takes the first free port of the range.",
            "clicon=Host: dial out to a client waiting with xcdb -remote tcp:clicon=...,port=N.",
            "readonly: everyone joining this server may only look. hidden: not listed by xremote /q.",
            "Clients join with xcdb -remote (the same string with server=HOST) or xremote /c.",
        ],
        effect: .changesSession,
        argument: .text
    ) { invocation in
        let transport = invocation.trimmedArguments
        guard !transport.isEmpty else { throw RemoteCommands.usage(for: invocation.command) }
        let sharing = try invocation.state.requireSharing()
        invocation.out.lines(try sharing.startServer(transport: unquoted(transport)))
    }

    /// `.servers`: list this debugger's servers.
    static let servers = Command(
        name: ".servers",
        summary: "list the debugging servers this debugger started",
        usage: ".servers"
    ) { invocation in
        let sharing = try invocation.state.requireSharing()
        let lines = sharing.serverListing()
        invocation.out.lines(lines.isEmpty ? ["No servers are running."] : lines)
    }

    /// `.endsrv ServerID`: stop a server accepting new clients.
    static let endServer = Command(
        name: ".endsrv",
        summary: "stop a debugging server accepting new clients (connected ones stay)",
        usage: ".endsrv ServerID",
        effect: .changesSession,
        argument: .expression
    ) { invocation in
        var words = ArgumentWords(invocation.arguments)
        guard let word = words.next(), words.next() == nil else {
            throw RemoteCommands.usage(for: invocation.command)
        }
        // Server ids are small numbers; accept decimal or 0x hex (ids are the same in both
        // below 10, which is the usual case).
        let text = word.lowercased()
        let id: Int? =
            text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text, radix: 10)
        guard let id else {
            throw CommandError.couldNotResolve(String(word), at: word.startIndex)
        }
        let sharing = try invocation.state.requireSharing()
        invocation.out.lines(try sharing.endServer(id: id))
    }

    /// `.clients`: who is connected.
    static let clients = Command(
        name: ".clients",
        summary: "list the participants connected to this session",
        usage: ".clients"
    ) { invocation in
        let sharing = try invocation.state.requireSharing()
        invocation.out.lines(sharing.clientListing())
    }
}

/// Shared parts of the sharing commands.
public enum RemoteCommands {
    /// Session names: what remote.exe allows in a pipe name, kept to what is safe in a file name.
    public static func isValidSessionName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
                || scalar == "."
        }
    }

    static func usageLines(for command: Command) -> [String] {
        ["Usage: \(command.usage)"]
    }

    static func usage(for command: Command) -> CommandError {
        .lines(usageLines(for: command))
    }
}
