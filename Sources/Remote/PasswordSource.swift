import Engine
import FoundationEssentials
import Glibc

/// Where a client's password comes from when the server asks for one, so it need not be on a
/// command line (where `ps` and shell history show it): `password=` on the transport, else a
/// file (`passwordfile=PATH`), else the environment (`XCDB_REMOTE_PASSWORD`), else the person
/// at the terminal, asked without echo.
public struct PasswordSource: Sendable, Equatable {
    /// The environment variable clients read a password from.
    public static let environmentVariable = "XCDB_REMOTE_PASSWORD"

    /// Given on the command line (`password=`).
    public var literal: String?
    /// `passwordfile=PATH`.
    public var file: String?
    /// From the environment.
    public var environment: String?

    public init(literal: String? = nil, file: String? = nil, environment: String? = nil) {
        self.literal = literal
        self.file = file
        self.environment = environment
    }

    /// The password to answer with; asks at the terminal when no other source has one.
    public func password() throws(RemoteError) -> String {
        if let literal { return literal }
        if let file { return try Self.read(file: file) }
        if let environment, !environment.isEmpty { return environment }
        guard let typed = PasswordReader.read(prompt: "Password: ") else {
            throw RemoteError(
                "The server asks for a password and there is no terminal to type it at: give it "
                    + "with passwordfile=PATH (a file only you can read) or the "
                    + "\(Self.environmentVariable) environment variable.")
        }
        return typed
    }

    /// Reads the first line of a password file, which must be a regular file of this user that
    /// nobody else can read or write (as ssh insists for keys).
    public static func read(file path: String) throws(RemoteError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw RemoteError("Cannot open the password file '\(path)': \(Errno.text)")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw RemoteError("Cannot read the password file '\(path)': \(Errno.text)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw RemoteError("The password file '\(path)' is not a regular file.")
        }
        guard info.st_uid == getuid() else {
            throw RemoteError(
                "The password file '\(path)' belongs to another user (uid \(info.st_uid)).")
        }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw RemoteError(
                "The password file '\(path)' is open to other users (mode "
                    + "\(String(permissions, radix: 8))); run chmod 600 on it.")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while bytes.count <= 4096 {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        let firstLine =
            bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .first.map { Array($0) } ?? []
        var line = String(decoding: firstLine, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        guard !line.isEmpty, line.utf8.count <= 64,
            line.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw RemoteError(
                "The password file '\(path)' must hold the password (1 to 64 printable "
                    + "characters) on its first line.")
        }
        return line
    }
}

/// Reads a password from the controlling terminal without echoing it. Standard input is left
/// alone, so a client reading commands from a pipe can still ask its person.
public enum PasswordReader {
    /// The typed line, or nil when there is no terminal (or it ended).
    public static func read(prompt: String) -> String? {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard terminal >= 0 else { return nil }
        defer { close(terminal) }
        _ = StandardStream.write(prompt, to: terminal)
        var saved = termios()
        let haveModes = tcgetattr(terminal, &saved) == 0
        if haveModes {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ICANON)
            tcsetattr(terminal, TCSAFLUSH, &quiet)
        }
        defer {
            if haveModes { tcsetattr(terminal, TCSAFLUSH, &saved) }
            _ = StandardStream.write("\n", to: terminal)
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096 {
            let count = Glibc.read(terminal, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else {
                return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
