/// The wire protocol shared by the server and its clients. It is line-oriented UTF-8 text so
/// `socat - UNIX-CONNECT:PATH` or `socat - TCP:127.0.0.1:PORT` is a usable client:
///
/// * The client sends lines: debugger commands, `@` session commands (`@H @M @P @Q`), and,
///   when it is a program that knows this protocol, control lines starting with `#xcdb:`.
/// * The server sends the session transcript, one line per output line, exactly as it is shown
///   on the server's console (with who typed each command). The sender's own commands are not
///   echoed back to it: its terminal already shows them (remote.exe does the same).
/// * If the server has a password, its first line is `password:`; the client answers with a
///   line holding the password. A wrong one gets `Wrong password (Error 0x80004005).` after a
///   delay, and the connection is closed.
/// * A program (xremote, xcdb -remote) identifies itself with a first line
///   `#xcdb:hello v=1 user=U host=H lines=200 [readonly=1] [session=NAME]`, sent immediately
///   on connecting (before answering a password prompt). The server waits a short moment for it;
///   a connection that says nothing is a plain client (a person on socat) and joins with the
///   default scrollback.
/// * To programs only, the server also sends control lines:
///   `#xcdb:welcome v=1 id=N style=remote|server readonly=0|1` when it has joined;
///   `#xcdb:prompt ID TEXT` after each command, in order with its output: exactly one for each
///   line a participant sent that reached the session (ID is that participant's, so a client
///   can count its lines in flight; a line refused because too many of the sender's wait gets
///   one too), one after each console or script command (ID 0), and `*` for the first prompt
///   after joining; `#xcdb:commands NAME NAME ...` in answer to `#xcdb:commands`; and
///   `#xcdb:bye REASON` before it closes the connection (also when the participant is dropped
///   for falling behind). A transcript line that itself starts with `#xcdb:` is sent to
///   programs as `#xcdb:text LINE`.
/// * `@Q`, and the end of a client's input (half-close), take effect once the lines the
///   participant sent before have run and their output has gone out.
/// * A connection that closes without sending a byte (a check whether a server answers on a
///   socket) joins nobody and is not announced.
/// * Other control lines a program may send: `#xcdb:interrupt` (Ctrl-C: stops the running
///   command) and `#xcdb:commands` (asks for the command names, for Tab completion).
public enum WireProtocol {
    /// Protocol version in `hello` and `welcome`.
    public static let version = 1
    /// Every control line starts with this.
    public static let controlPrefix = "#xcdb:"
    /// The password prompt line.
    public static let passwordPrompt = "password:"
    /// The line sent before closing a connection with a wrong password.
    public static let wrongPassword = "Wrong password (Error 0x80004005)."
    /// The longest line a client may send; longer lines are discarded with an error.
    public static let maximumLineLength = 64 * 1024

    /// `#xcdb:NAME rest` → (NAME, rest), or nil for a plain line.
    public static func control(_ line: String) -> (name: String, argument: String)? {
        guard line.hasPrefix(controlPrefix) else { return nil }
        let body = line.dropFirst(controlPrefix.count)
        guard let space = body.firstIndex(of: " ") else { return (String(body), "") }
        return (String(body[..<space]), String(body[body.index(after: space)...]))
    }

    /// A control line.
    public static func controlLine(_ name: String, _ argument: String = "") -> String {
        argument.isEmpty ? controlPrefix + name : controlPrefix + name + " " + argument
    }

    /// A transcript line as a program receives it (escaped when it looks like a control line).
    public static func transcriptLineForProgram(_ line: String) -> String {
        line.hasPrefix(controlPrefix) ? controlLine("text", line) : line
    }
}

/// What a client says about itself in its `#xcdb:hello` line.
public struct ClientHello: Sendable, Equatable {
    public var user: String
    public var host: String
    /// Scrollback lines to replay (`/L`).
    public var lines: Int?
    public var readOnly: Bool
    /// The remote.exe session name the client asked for (`xremote /c HOST NAME`).
    public var session: String?
    public var program: String?

    public init(
        user: String, host: String, lines: Int? = nil, readOnly: Bool = false,
        session: String? = nil, program: String? = nil
    ) {
        self.user = user
        self.host = host
        self.lines = lines
        self.readOnly = readOnly
        self.session = session
        self.program = program
    }

    /// The `#xcdb:hello ...` line.
    public var line: String {
        var fields = [
            "v=\(WireProtocol.version)", "user=\(Identity.sanitized(user))",
            "host=\(Identity.sanitized(host))",
        ]
        if let lines { fields.append("lines=\(lines)") }
        if readOnly { fields.append("readonly=1") }
        if let session { fields.append("session=\(Identity.sanitized(session))") }
        if let program { fields.append("program=\(Identity.sanitized(program))") }
        return WireProtocol.controlLine("hello", fields.joined(separator: " "))
    }

    /// Parses the argument of a `hello` control line; unknown fields are ignored, bad values
    /// fall back to defaults (a hello can never make the server fail).
    public static func parse(_ argument: String) -> ClientHello {
        var hello = ClientHello(user: "unknown", host: "unknown")
        for field in argument.split(separator: " ") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let key = field[..<equals]
            let value = String(field[field.index(after: equals)...])
            switch key {
            case "user": hello.user = Identity.sanitized(value)
            case "host": hello.host = Identity.sanitized(value)
            case "lines": hello.lines = Int(value).map { max(0, $0) }
            case "readonly": hello.readOnly = value == "1"
            case "session": hello.session = value
            case "program": hello.program = Identity.sanitized(value)
            default: break
            }
        }
        return hello
    }
}
