import Engine

/// A `-server`/`.server` transport string: `npipe:pipe=NAME[,password=P][,hidden][,readonly]
/// [,access=all]` or `tcp:port=N[,password=P][,address=A][,hidden][,readonly][,clicon=HOST]`;
/// `passwordfile=PATH` instead of `password=` reads it from a file only the user can read.
/// Keys are case-insensitive; values keep their case.
public struct ServerTransport: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A Unix-domain socket named after the pipe, in the runtime directory.
        case npipe(name: String)
        /// A TCP port (or the first free one of a range), on `address` (default loopback).
        case tcp(ports: ClosedRange<Int>, address: String?)
        /// Reverse connection: the server dials `host:port` where a client waits.
        case tcpReverse(host: String, port: Int)
    }

    public var kind: Kind
    public var password: String?
    /// `passwordfile=PATH`: read when the server starts.
    public var passwordFile: String?
    /// Not listed by `xremote /q`.
    public var hidden: Bool
    /// Every participant joining through this server may only look.
    public var readOnly: Bool
    /// The pipe's socket may be opened by every local user (`access=all`), not just its owner.
    public var everyone: Bool

    /// Parses a server transport string. `processID` replaces a `%d`/`%x` in a pipe name, as
    /// CDB does.
    public static func parse(_ text: String, processID: Int32 = 0) throws(TransportError)
        -> ServerTransport
    {
        let (scheme, fields) = try TransportFields.split(text)
        guard scheme == "npipe" || scheme == "tcp" else {
            throw TransportError(
                "transport '\(scheme)' is not supported; use npipe:pipe=NAME or tcp:port=N")
        }
        var password: String?
        var passwordFile: String?
        var hidden = false
        var readOnly = false
        var everyone = false
        var pipe: String?
        var port: ClosedRange<Int>?
        var address: String?
        var clicon: String?
        for (key, value) in fields {
            switch key {
            case "password": password = try TransportFields.password(value)
            case "passwordfile": passwordFile = try TransportFields.required(value, key)
            case "hidden": hidden = true
            case "readonly": readOnly = true
            case "access":
                guard value?.lowercased() == "all" || value?.lowercased() == "owner" else {
                    throw TransportError("access= takes 'owner' (the default) or 'all'")
                }
                everyone = value?.lowercased() == "all"
            case "pipe" where scheme == "npipe":
                pipe = try pipeName(TransportFields.required(value, key), processID: processID)
            case "port" where scheme == "tcp":
                port = try portRange(TransportFields.required(value, key))
            case "address" where scheme == "tcp":
                address = try TransportFields.required(value, key)
            case "clicon" where scheme == "tcp":
                clicon = try TransportFields.host(TransportFields.required(value, key))
            case "icfenable": break
            case "ipversion": break
            default:
                throw TransportError("unknown option '\(key)' in a \(scheme) server transport")
            }
        }
        let kind: Kind
        switch scheme {
        case "npipe":
            guard let pipe else { throw TransportError("npipe: needs pipe=NAME") }
            kind = .npipe(name: pipe)
        case "tcp":
            guard let port else { throw TransportError("tcp: needs port=N") }
            if let clicon {
                guard port.lowerBound == port.upperBound else {
                    throw TransportError("with clicon= the server gives one exact port")
                }
                kind = .tcpReverse(host: clicon, port: port.lowerBound)
            } else {
                kind = .tcp(ports: port, address: address)
            }
        default:
            throw TransportError(
                "transport '\(scheme)' is not supported; use npipe:pipe=NAME or tcp:port=N")
        }
        if password != nil, passwordFile != nil {
            throw TransportError("give password= or passwordfile=, not both")
        }
        return ServerTransport(
            kind: kind, password: password, passwordFile: passwordFile, hidden: hidden,
            readOnly: readOnly, everyone: everyone)
    }

    /// The string `.servers` shows: CDB's re-capitalised keys, the password as `*`.
    public var listing: String {
        var text: String
        switch kind {
        case .npipe(let name): text = "npipe:Pipe=\(name)"
        case .tcp(let ports, let address):
            text = "tcp:Port=\(ports.lowerBound)"
            if ports.upperBound != ports.lowerBound { text += ":\(ports.upperBound)" }
            if let address { text += ",Address=\(address)" }
        case .tcpReverse(let host, let port): text = "tcp:Port=\(port),Clicon=\(host)"
        }
        if password != nil || passwordFile != nil { text += ",Password=*" }
        if hidden { text += ",Hidden" }
        if readOnly { text += ",ReadOnly" }
        if everyone { text += ",Access=All" }
        return text
    }

    static func pipeName(_ value: String, processID: Int32) throws(TransportError) -> String {
        var name = ""
        var substituted = false
        var characters = value.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                name.append(character)
                continue
            }
            switch characters.next() {
            case "d" where !substituted:
                name += String(processID)
                substituted = true
            case "x" where !substituted:
                name += String(processID, radix: 16)
                substituted = true
            case "%": name.append("%")
            default: throw TransportError("pipe name '\(value)': only one %d or %x is allowed")
            }
        }
        guard isValidName(name) else {
            throw TransportError(
                "pipe name '\(value)': use letters, digits, '_', '-' and '.' (up to 64)")
        }
        return name
    }

    /// Pipe and session names become file names: keep them to a safe alphabet.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix(".") else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
                || scalar == "."
        }
    }

    static func portRange(_ value: String) throws(TransportError) -> ClosedRange<Int> {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2,
            let low = Int(parts[0]), let high = parts.count == 2 ? Int(parts[1]) : low,
            (1...65535).contains(low), (1...65535).contains(high), low <= high
        else {
            throw TransportError("port '\(value)': give a port 1-65535 or a range LOW:HIGH")
        }
        return low...high
    }
}

/// A `-remote` transport string: `npipe:server=HOST,pipe=NAME[,password=P]`,
/// `tcp:server=HOST,port=N[,password=P]` or `tcp:clicon=HOST,port=N[,password=P]` (wait for
/// the server to dial in). `passwordfile=PATH` reads the password from a file instead; with
/// neither, a password the server asks for comes from `XCDB_REMOTE_PASSWORD` or the terminal.
public struct ClientTransport: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case npipe(server: String, name: String)
        case tcp(server: String, port: Int)
        /// Listen on `port` until the server at `host` dials in.
        case tcpWaiting(host: String, port: Int)
    }

    public var kind: Kind
    public var password: String?
    /// `passwordfile=PATH`.
    public var passwordFile: String?

    public init(kind: Kind, password: String? = nil, passwordFile: String? = nil) {
        self.kind = kind
        self.password = password
        self.passwordFile = passwordFile
    }

    public static func parse(_ text: String) throws(TransportError) -> ClientTransport {
        let transport = try parseFields(text)
        if transport.password != nil, transport.passwordFile != nil {
            throw TransportError("give password= or passwordfile=, not both")
        }
        return transport
    }

    private static func parseFields(_ text: String) throws(TransportError) -> ClientTransport {
        let (scheme, fields) = try TransportFields.split(text)
        guard scheme == "npipe" || scheme == "tcp" else {
            throw TransportError(
                "transport '\(scheme)' is not supported; use npipe:server=HOST,pipe=NAME or "
                    + "tcp:server=HOST,port=N")
        }
        var server: String?
        var pipe: String?
        var port: Int?
        var clicon: String?
        var password: String?
        var passwordFile: String?
        for (key, value) in fields {
            switch key {
            case "server": server = try TransportFields.host(TransportFields.required(value, key))
            case "pipe" where scheme == "npipe":
                let name = try TransportFields.required(value, key)
                guard ServerTransport.isValidName(name) else {
                    throw TransportError("pipe name '\(name)' is not valid")
                }
                pipe = name
            case "port" where scheme == "tcp":
                let range = try ServerTransport.portRange(TransportFields.required(value, key))
                port = range.lowerBound
            case "clicon" where scheme == "tcp":
                clicon = try TransportFields.host(TransportFields.required(value, key))
            case "password": password = try TransportFields.password(value)
            case "passwordfile": passwordFile = try TransportFields.required(value, key)
            case "ipversion": break
            default:
                throw TransportError("unknown option '\(key)' in a \(scheme) client transport")
            }
        }
        switch scheme {
        case "npipe":
            guard let pipe else { throw TransportError("npipe: needs pipe=NAME") }
            return ClientTransport(
                kind: .npipe(server: server ?? "localhost", name: pipe), password: password,
                passwordFile: passwordFile)
        case "tcp":
            guard let port else { throw TransportError("tcp: needs port=N") }
            if let clicon {
                return ClientTransport(
                    kind: .tcpWaiting(host: clicon, port: port), password: password,
                    passwordFile: passwordFile)
            }
            guard let server else { throw TransportError("tcp: needs server=HOST") }
            return ClientTransport(
                kind: .tcp(server: server, port: port), password: password,
                passwordFile: passwordFile)
        default:
            throw TransportError(
                "transport '\(scheme)' is not supported; use npipe:server=HOST,pipe=NAME or "
                    + "tcp:server=HOST,port=N")
        }
    }
}

/// A transport string mistake, with what to write instead.
public struct TransportError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The shared `scheme:key=value,key,...` syntax.
enum TransportFields {
    static func split(_ text: String) throws(TransportError) -> (String, [(String, String?)]) {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw TransportError(
                "'\(Secrets.redacted(trimmed))' is not a transport: write e.g. npipe:pipe=NAME "
                    + "or tcp:port=N")
        }
        let scheme = trimmed[..<colon].lowercased()
        var fields: [(String, String?)] = []
        for part in trimmed[trimmed.index(after: colon)...].split(separator: ",") {
            let field = part.trimmingWhitespace()
            guard !field.isEmpty else { continue }
            if let equals = field.firstIndex(of: "=") {
                fields.append(
                    (field[..<equals].lowercased(), String(field[field.index(after: equals)...])))
            } else {
                fields.append((field.lowercased(), nil))
            }
        }
        return (scheme, fields)
    }

    static func required(_ value: String?, _ key: String) throws(TransportError) -> String {
        guard let value, !value.isEmpty else { throw TransportError("\(key)= needs a value") }
        return value
    }

    /// Passwords: 1 to 64 printable characters without spaces or commas (CDB allows 12
    /// alphanumerics; longer ones are accepted).
    static func password(_ value: String?) throws(TransportError) -> String {
        guard let value, !value.isEmpty, value.utf8.count <= 64,
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw TransportError("password= needs 1 to 64 printable characters")
        }
        return value
    }

    /// A host name or address (`\\` prefix allowed, as in CDB).
    static func host(_ value: String) throws(TransportError) -> String {
        var host = value
        while host.hasPrefix("\\") { host.removeFirst() }
        guard !host.isEmpty, host.utf8.count <= 253,
            host.unicodeScalars.allSatisfy({ scalar in
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "-"
                    || scalar == ":" || scalar == "_"
            })
        else {
            throw TransportError("'\(value)' is not a host name or address")
        }
        return host
    }
}
