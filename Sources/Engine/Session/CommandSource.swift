/// Who issued a command. The session prints this attribution so everyone sharing a session
/// knows who typed what; sinks use it to avoid echoing a participant's own typing back to them.
public struct CommandSource: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The person at the debugger's own console.
        case console
        /// `-c` / `-cf` start-up commands.
        case startup
        /// A script file run with `$<` and friends.
        case script
        /// A participant connected over the network.
        case remote(RemoteParticipant)
        /// The program itself (banners, notices).
        case engine
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public static let console = CommandSource(.console)
    public static let startup = CommandSource(.startup)
    public static let script = CommandSource(.script)
    public static let engine = CommandSource(.engine)

    /// True for input typed by a person at the console (not a remote participant).
    public var isConsole: Bool { kind == .console }

    public var remoteParticipant: RemoteParticipant? {
        if case .remote(let participant) = kind { return participant }
        return nil
    }

    public var description: String {
        switch kind {
        case .console: "console"
        case .startup: "startup"
        case .script: "script"
        case .engine: "engine"
        case .remote(let participant): participant.description
        }
    }
}

/// A connected remote participant, as the session knows them.
public struct RemoteParticipant: Sendable, Hashable, CustomStringConvertible {
    /// How the participant joined: remote.exe style (`.remote`, `xremote`) or a debugging
    /// client of a `.server`. The two print attribution differently.
    public enum Style: Sendable, Hashable {
        case remoteExe
        case debuggerServer
    }

    /// Unique for the lifetime of the process.
    public var id: Int
    public var user: String
    public var host: String
    public var style: Style
    public var readOnly: Bool

    public init(id: Int, user: String, host: String, style: Style, readOnly: Bool) {
        self.id = id
        self.user = user
        self.host = host
        self.style = style
        self.readOnly = readOnly
    }

    public var description: String { "\(host)\\\(user)" }
}
