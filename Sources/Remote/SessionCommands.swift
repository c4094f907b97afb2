import Engine

/// remote.exe's session commands: a line starting with `@` is taken by the session, not passed
/// to the program. Letters are case-insensitive.
public enum SessionCommand: Equatable, Sendable {
    /// `@H`: list the session commands.
    case help
    /// `@M text`: a message to everyone.
    case message(String)
    /// `@P text`: a pop-up on the server; shown as a notice here.
    case popup(String)
    /// `@Q`: leave (clients).
    case quit
    /// `@K`: end the session (server console only).
    case kill
    /// `@@text`: send `@text` to the program.
    case escaped(String)
    /// Any other `@x`.
    case unknown

    /// The session command in `line`, or nil when it is an ordinary line.
    public static func parse(_ line: String) -> SessionCommand? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("@") else { return nil }
        let body = trimmed.dropFirst()
        guard let letter = body.first else { return .unknown }
        let rest = body.dropFirst().drop { $0 == " " || $0 == "\t" }
        switch letter {
        case "@": return .escaped("@" + body.dropFirst())
        case "h", "H", "?": return .help
        case "m", "M": return .message(String(rest))
        case "p", "P": return .popup(String(rest))
        case "q", "Q": return .quit
        case "k", "K": return .kill
        default: return .unknown
        }
    }

    /// The `@H` text (remote.exe's wording).
    public static let helpLines = [
        "@M: To Send Message",
        "@P: To Generate popup",
        "@K: To kill the server",
        "@Q: To Quit client",
        "@H: This Help",
        "@@: To send a line starting with @ to the program",
    ]

    /// The session commands a client may type, for Tab completion (`@K` is the server's).
    public static let clientCommandNames = ["@H", "@M", "@P", "@Q"]

    /// `@M` as everyone sees it: the line as typed, then the sender and the server's day/time.
    /// `from` is the sender's computer (and user), or `Local` at the server console.
    public static func messageNotice(typed: String, from: String, dayAndClock: String) -> String {
        "\(typed.rightPadded(to: 36)) [\(from.rightPadded(to: 14)) \(dayAndClock)]"
    }

    /// `@P` as clients see it.
    public static func popupNotice(text: String, from: String, dayAndClock: String) -> [String] {
        ["From \(from)  [\(dayAndClock)]", "", " \(text)"]
    }

    /// What a client sees when it leaves or the session ends.
    public static let sessionOver = "*** SESSION OVER ***"
}
