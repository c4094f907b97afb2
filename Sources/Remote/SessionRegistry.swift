import Engine
import FoundationEssentials
import Glibc

/// The sessions `xremote /q` can list: one small file per live remote.exe-style session in the
/// runtime directory (`remote.NAME.session`), written when the session starts and removed when
/// it ends (and on the way out however the process ends, see `ExitCleanup`). Entries of
/// processes that died are ignored and removed; an entry whose socket nobody answers on is
/// ignored.
///
/// File format, one `key=value` per line: `name`, `command` (the program's command line),
/// `visible` (0 or 1), `pid`, `socket`.
public struct SessionRegistry: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var command: String
        public var visible: Bool
        public var processID: Int32
        public var socket: String

        public init(name: String, command: String, visible: Bool, processID: Int32, socket: String)
        {
            self.name = name
            self.command = command
            self.visible = visible
            self.processID = processID
            self.socket = socket
        }

        var fileText: String {
            let oneLine = command.replacing("\n", with: " ")
            return
                "name=\(name)\ncommand=\(Secrets.redacted(oneLine))\nvisible=\(visible ? 1 : 0)\n"
                + "pid=\(processID)\nsocket=\(socket)\n"
        }

        static func parse(_ text: String) -> Entry? {
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            guard let name = fields["name"], let pid = fields["pid"].flatMap({ Int32($0) }),
                let socket = fields["socket"]
            else { return nil }
            return Entry(
                name: name, command: fields["command"] ?? "", visible: fields["visible"] == "1",
                processID: pid, socket: socket)
        }
    }

    public let directories: [RuntimeDirectory]

    public init(directories: [RuntimeDirectory]) {
        self.directories = directories
    }

    /// remote.exe's rule: a session is visible when its command mentions a debugger (`kd`,
    /// `dbg`, `remoteds`, `ntsd`, `cdb`, any case, anywhere in the text), unless `/v` or `/-v`
    /// says otherwise.
    public static func isVisibleByDefault(command: String) -> Bool {
        let lowered = command.lowercased()
        return ["kd", "dbg", "remoteds", "ntsd", "cdb"].contains { lowered.contains($0) }
    }

    /// Writes an entry (readable only by the owner, in the owner's directory).
    public func register(_ entry: Entry, in directory: RuntimeDirectory) throws(RemoteError) {
        let path = directory.remoteSessionEntry(entry.name)
        let temporary = path + ".tmp\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(entry.fileText.utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw RemoteError("Cannot write the session registry entry '\(path)': \(Errno.text)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw RemoteError("Cannot write the session registry entry '\(path)': \(Errno.text)")
        }
        ExitCleanup.add(path)
    }

    public func unregister(name: String, in directory: RuntimeDirectory) {
        let path = directory.remoteSessionEntry(name)
        unlink(path)
        ExitCleanup.forget(path)
    }

    /// Every live session, visible or not; stale entries (dead processes) are removed.
    public func liveSessions() -> [Entry] {
        var result: [Entry] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in names.sorted() where file.hasPrefix("remote.") && file.hasSuffix(".session")
            {
                let path = directory.path + "/" + file
                guard let data = FileManager.default.contents(atPath: path), data.count < 65536,
                    let entry = Entry.parse(String(decoding: data, as: UTF8.self))
                else { continue }
                guard Self.isAlive(entry.processID) else {
                    unlink(path)
                    continue
                }
                // A process id can be reused: the session is there only if its socket answers.
                guard UnixSocketProbe.isListening(entry.socket) else { continue }
                result.append(entry)
            }
        }
        return result
    }

    /// The live session named `name` (case-insensitive), if any.
    public func find(_ name: String) -> Entry? {
        liveSessions().first { $0.name.lowercased() == name.lowercased() }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
