/// Who issued a command, and whether they typed it or a script of theirs ran it. The session
/// prints this attribution so everyone sharing a session knows who typed what; sinks use it to
/// avoid echoing a participant's own typing back to them. Rights go with the person: a script
/// line has exactly the rights of whoever started the script.
public struct CommandSource: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The person at the debugger's own console.
        case console
        /// `-c` / `-cf` start-up commands.
        case startup
        /// A participant connected over the network.
        case remote(RemoteParticipant)
        /// The program itself (banners, notices).
        case engine
    }

    /// Who is behind the command (and whose rights it has).
    public var kind: Kind
    /// The line comes from a script (`$<` and friends) that `kind` started, not from typing.
    public var isScript: Bool

    public init(_ kind: Kind, isScript: Bool = false) {
        self.kind = kind
        self.isScript = isScript
    }

    public static let console = CommandSource(.console)
    public static let startup = CommandSource(.startup)
    public static let engine = CommandSource(.engine)

    /// The same person, running a script.
    public func runningScript() -> CommandSource {
        CommandSource(kind, isScript: true)
    }

    /// True for input typed by a person at the console (not a remote participant, not a
    /// script).
    public var isConsole: Bool { kind == .console && !isScript }

    /// The remote participant behind the command (typed, or run by their script).
    public var remoteParticipant: RemoteParticipant? {
        if case .remote(let participant) = kind { return participant }
        return nil
    }

    /// The remote participant who typed this very line (nil for their scripts' lines, which
    /// they have not seen yet).
    public var remoteTypist: RemoteParticipant? {
        isScript ? nil : remoteParticipant
    }

    public var description: String {
        let who: String
        switch kind {
        case .console: who = "console"
        case .startup: who = "startup"
        case .engine: who = "engine"
        case .remote(let participant): who = participant.description
        }
        return isScript ? who + " (script)" : who
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
