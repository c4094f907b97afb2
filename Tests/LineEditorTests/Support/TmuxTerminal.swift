import Foundation
import Glibc
import Synchronization
import TestSupport

/// A real terminal for tests: a detached tmux session (its own server, so tests never touch a
/// user's tmux) whose pane runs a shell that only sleeps. The editor under test opens the pane's
/// terminal device as its input and output, keys are typed with `tmux send-keys`, and the
/// screen is read back with `tmux capture-pane`: tmux's terminal emulator renders exactly what
/// the editor wrote, wrapping, cursor movement and erasing included.
final class TmuxTerminal {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let columns: Int
    let rows: Int
    /// The pane's terminal, opened read-write.
    let fd: Int32
    private let server: String
    /// The server's socket, which tmux leaves behind when it exits.
    private var socketPath = ""

    private static let sequence = Mutex(0)

    init(columns: Int = 80, rows: Int = 24) throws {
        self.columns = columns
        self.rows = rows
        let number = TmuxTerminal.sequence.withLock { value in
            value += 1
            return value
        }
        server = "xcdb-test-\(getpid())-\(number)"
        // The pane's shell ignores the keyboard signals and reads no input; it ends (and with it
        // the server) when the test process is gone, even if that process crashed.
        try TmuxTerminal.run(
            [
                "-L", server, "-f", "/dev/null", "new-session", "-d", "-s", "test", "-x",
                "\(columns)",
                "-y", "\(rows)",
                "trap '' INT QUIT TSTP; while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done",
            ])
        let tty = try TmuxTerminal.run([
            "-L", server, "display-message", "-p", "-t", "test", "#{pane_tty}",
        ])
        .trimmingCharacters(in: .whitespacesAndNewlines)
        socketPath =
            (try? TmuxTerminal.run(["-L", server, "display-message", "-p", "#{socket_path}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            _ = try? TmuxTerminal.run(["-L", server, "kill-server"])
            throw Failure(description: "cannot open pane terminal \(tty)")
        }
        // The editor reads the terminal's size when it starts and learns of changes only by
        // SIGWINCH, which goes to the pane's own processes, not to the test: a pane that is not
        // yet (or no longer) the size asked for would make it lay lines out for another width.
        // (One run under a CPU hog drew a wrapped line as if it were 80 columns wide.)
        if let size = waitForSize() {
            close(fd)
            _ = try? TmuxTerminal.run(["-L", server, "kill-server"])
            throw Failure(
                description: "the pane is \(size.columns)x\(size.rows), not \(columns)x\(rows)")
        }
    }

    /// Waits until the pane's terminal has the size asked for (asking tmux again meanwhile);
    /// the size it has when it never does.
    private func waitForSize(timeout: Double = 30) -> (columns: Int, rows: Int)? {
        let deadline = Date().addingTimeInterval(timeout)
        var size = winsize()
        while true {
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, Int(size.ws_col) == columns,
                Int(size.ws_row) == rows
            {
                return nil
            }
            if Date() >= deadline { return (Int(size.ws_col), Int(size.ws_row)) }
            command("resize-window", "-t", "test", "-x", "\(columns)", "-y", "\(rows)")
            usleep(20_000)
        }
    }

    deinit {
        close(fd)
        _ = try? TmuxTerminal.run(["-L", server, "kill-server"])
        if !socketPath.isEmpty { unlink(socketPath) }
    }

    /// Runs any tmux command on the test session's server.
    func command(_ arguments: String...) {
        _ = try? TmuxTerminal.run(["-L", server] + arguments)
    }

    /// Types `text` literally.
    func type(_ text: String) {
        _ = try? TmuxTerminal.run(["-L", server, "send-keys", "-t", "test", "-l", text])
    }

    /// Presses keys by tmux name: "C-a", "Enter", "Tab", "Up", "Home", "Escape", "M-b".
    func press(_ keys: String...) {
        _ = try? TmuxTerminal.run(["-L", server, "send-keys", "-t", "test"] + keys)
    }

    /// Sends raw bytes to the terminal in one write.
    func send(bytes: [UInt8]) {
        let hex = bytes.map { String($0, radix: 16) }
        _ = try? TmuxTerminal.run(["-L", server, "send-keys", "-t", "test", "-H"] + hex)
    }

    /// The visible screen, one string per row, trailing spaces removed.
    func screen() -> [String] {
        let text =
            (try? TmuxTerminal.run(["-L", server, "capture-pane", "-p", "-t", "test"])) ?? ""
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Everything the pane has shown, scrollback included, rows that wrapped joined into one
    /// line, trailing spaces removed.
    func fullHistory() -> [String] {
        let text =
            (try? TmuxTerminal.run([
                "-L", server, "capture-pane", "-p", "-J", "-t", "test", "-S", "-", "-E", "-",
            ]))
            ?? ""
        var lines = text.components(separatedBy: "\n").map { line in
            var line = Substring(line)
            while line.last == " " { line.removeLast() }
            return String(line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The cursor: zero-based column and row.
    func cursor() -> (column: Int, row: Int) {
        let text =
            (try? TmuxTerminal.run(
                ["-L", server, "display-message", "-p", "-t", "test", "#{cursor_x} #{cursor_y}"]))
            ?? ""
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (-1, -1)
    }

    /// The screen rows without the empty ones at the bottom.
    func visibleLines() -> [String] {
        var lines = screen()
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Polls the screen until `condition` holds; returns the last screen either way.
    @discardableResult
    func waitFor(
        timeout: Double = 60, _ condition: ([String]) -> Bool
    ) -> (met: Bool, screen: [String]) {
        let deadline = Date().addingTimeInterval(timeout)
        var lines = visibleLines()
        while !condition(lines) {
            if Date() > deadline { return (false, lines) }
            usleep(10_000)
            lines = visibleLines()
        }
        return (true, lines)
    }

    /// Waits until the last non-empty row is `line`.
    @discardableResult
    func waitForLastLine(_ line: String, timeout: Double = 60) -> (met: Bool, screen: [String]) {
        waitFor(timeout: timeout) { $0.last == line }
    }

    /// Waits until the cursor is at `position`.
    @discardableResult
    func waitForCursor(column: Int, row: Int, timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let position = cursor()
            if position.column == column && position.row == row { return true }
            if Date() > deadline { return false }
            usleep(10_000)
        }
    }

    /// Runs tmux and returns its standard output (see `CleanSpawn` for why not `Process`).
    @discardableResult
    private static func run(_ arguments: [String]) throws -> String {
        do {
            return try CleanSpawn.run("tmux", arguments)
        } catch {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed")
        }
    }
}
