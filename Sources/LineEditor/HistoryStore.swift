import CLibEdit
import Glibc

/// The command history: libedit's in-memory list (which Up/Down and Ctrl-R walk) plus its
/// file.
///
/// The file is plain UTF-8 text, one entry per line, oldest first. It is rewritten after every
/// added entry through a temporary file and `rename`, so a crash or a kill never leaves it
/// half-written, and it is always created with mode 0600. Loading reads at most the file's last
/// `maximumLoadBytes`, so a huge or foreign file costs bounded memory.
///
/// Not thread-safe: the editor keeps it behind its lock.
final class HistoryStore {
    /// libedit's `HistoryW *`.
    let handle: OpaquePointer
    /// Where entries are kept between sessions; nil for memory only.
    let path: String?
    /// Most entries kept, in memory and in the file.
    let limit: Int

    static let maximumLoadBytes = 4 << 20

    /// Creates the list and loads `path` if it exists. A file that cannot be read still gives a
    /// working (empty) history; the problem is returned in `loadError`.
    init(path: String?, limit: Int) throws(LineEditorError) {
        guard let handle = try LibEditLibrary.load().historyInit() else {
            throw LineEditorError("cannot create the history list (out of memory)")
        }
        self.handle = handle
        self.path = path.map(HistoryStore.resolvingSymbolicLink)
        self.limit = min(max(limit, 1), 1_000_000)
        var event = HistEventW()
        _ = xcdb_history_set_size(LibEditLibrary.api.history, handle, &event, Int32(self.limit))
        _ = xcdb_history_set_unique(LibEditLibrary.api.history, handle, &event, 1)
    }

    deinit {
        LibEditLibrary.api.historyEnd(handle)
    }

    /// Entries, oldest first.
    var entries: [String] {
        var result: [String] = []
        var event = HistEventW()
        var status = xcdb_history_step(LibEditLibrary.api.history, handle, &event, H_LAST)
        while status == 0 {
            if let text = event.str {
                result.append(WideString.string(from: text, to: text + wcslen(text)))
            }
            status = xcdb_history_step(LibEditLibrary.api.history, handle, &event, H_PREV)
        }
        return result
    }

    /// Adds `line` unless it is blank or repeats the newest entry; returns whether it was added.
    /// Line breaks inside `line` become spaces, since the file keeps one entry per line.
    @discardableResult
    func add(_ line: String) -> Bool {
        let singleLine = String(
            line.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
        guard singleLine.contains(where: { !$0.isWhitespace }) else { return false }
        var event = HistEventW()
        return WideString.with(singleLine) {
            xcdb_history_enter(LibEditLibrary.api.history, handle, &event, $0)
        } == 1
    }

    /// Reads the file into the list (after whatever is already there). A missing file is an
    /// empty history.
    func load() throws(LineEditorError) {
        guard let path else { return }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return }
            throw .system("cannot read history file '\(path)'")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system("cannot read history file '\(path)'") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw LineEditorError("history file '\(path)' is not a regular file")
        }
        let size = Int(info.st_size)
        let length = min(size, HistoryStore.maximumLoadBytes)
        var bytes = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(
                    fd, buffer.baseAddress.map { $0 + filled }, length - filled,
                    off_t(size - length + filled))
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .system("cannot read history file '\(path)'") }
            if count == 0 { break }
            filled += count
        }
        var lines = bytes[0..<filled].split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // Reading began in the middle of the file: its first line is a fragment.
        if length < size, !lines.isEmpty { lines.removeFirst() }
        for line in lines.filter({ !$0.isEmpty }).suffix(limit) {
            add(String(decoding: line, as: UTF8.self))
        }
    }

    /// Rewrites the file with the current entries.
    func save() throws(LineEditorError) {
        guard let path else { return }
        var text = entries.joined(separator: "\n")
        if !text.isEmpty { text += "\n" }
        let temporary = "\(path).\(getpid()).tmp"
        unlink(temporary)  // left by an earlier process with this id that was killed mid-save
        let fd = open(
            temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .system("cannot write history file '\(path)'") }
        // The mode given to open is reduced by the umask; set it exactly.
        let written = fchmod(fd, 0o600) == 0 && FileDescriptorIO.writeAll(fd, text)
        let code = errno
        close(fd)
        guard written else {
            unlink(temporary)
            throw .system("cannot write history file '\(path)'", code: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .system("cannot replace history file '\(path)'", code: code)
        }
    }

    /// The file a symbolic link points to, so saving replaces the target and keeps the link.
    private static func resolvingSymbolicLink(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
            let resolved = realpath(path, nil)
        else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
