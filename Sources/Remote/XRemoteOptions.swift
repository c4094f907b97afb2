/// `xremote`'s command line, remote.exe style (options start with `/` or `-`, any case):
///
///     xremote /c Server SessionName [/L Lines] [/ro]
///     xremote /q Server
///     xremote /s "Command" SessionName [/v | /-v]
public enum XRemoteCommand: Equatable, Sendable {
    case client(server: String, session: String, lines: Int?, readOnly: Bool)
    case query(server: String)
    case server(command: String, session: String, visible: Bool?)
    case help
    /// `--version`.
    case version

    public static let usage = """
        usage:
          xremote /c Server SessionName [/L Lines] [/ro]   join a session
          xremote /q Server                                list the visible sessions
          xremote /s "Command" SessionName [/v | /-v]      run Command as a shared session
          xremote --help | --version

        Server is this computer's name, '.' or localhost for sessions on this computer (Unix
        sockets only you can open). To reach another computer, join a debugger's TCP server:
        xremote /c Host:Port SessionName (the debugger ran .server tcp:port=Port,...).
        /L: lines of history to receive on joining (default 200). /ro: join read-only.
        In a session: @H help, @M message, @P popup, @Q leave, @K end (server only).
        """

    public static func parse(_ arguments: [String]) throws(TransportError) -> XRemoteCommand {
        func isOption(_ word: String, _ name: String) -> Bool {
            (word.hasPrefix("/") || word.hasPrefix("-")) && word.dropFirst().lowercased() == name
        }
        guard let first = arguments.first else { return .help }
        if isOption(first, "?") || isOption(first, "h") || isOption(first, "-help") { return .help }
        if first == "--version" { return .version }
        if isOption(first, "c") {
            guard arguments.count >= 3 else {
                throw TransportError("/c needs a server and a session name")
            }
            var lines: Int?
            var readOnly = false
            var index = 3
            while index < arguments.count {
                let word = arguments[index]
                if isOption(word, "l") {
                    guard index + 1 < arguments.count, let value = Int(arguments[index + 1]),
                        value >= 0
                    else { throw TransportError("/L needs a decimal number of lines") }
                    lines = value
                    index += 2
                } else if isOption(word, "ro") {
                    readOnly = true
                    index += 1
                } else if isOption(word, "f") || isOption(word, "b") || isOption(word, "k") {
                    index += 2  // colours: accepted and ignored (the terminal decides)
                } else {
                    throw TransportError("unknown option '\(word)' for /c")
                }
            }
            return .client(
                server: arguments[1], session: arguments[2], lines: lines, readOnly: readOnly)
        }
        if isOption(first, "q") {
            guard arguments.count == 2 else { throw TransportError("/q needs a server name") }
            return .query(server: arguments[1])
        }
        if isOption(first, "s") {
            guard arguments.count >= 3 else {
                throw TransportError("/s needs a command and a session name")
            }
            var visible: Bool?
            var index = 3
            while index < arguments.count {
                let word = arguments[index]
                if isOption(word, "v") {
                    visible = true
                    index += 1
                } else if isOption(word, "-v") {
                    visible = false
                    index += 1
                } else if isOption(word, "f") || isOption(word, "b") || isOption(word, "u")
                    || isOption(word, "ud")
                {
                    index += 2
                } else {
                    throw TransportError("unknown option '\(word)' for /s")
                }
            }
            return .server(command: arguments[1], session: arguments[2], visible: visible)
        }
        throw TransportError("unknown option '\(first)'")
    }
}
