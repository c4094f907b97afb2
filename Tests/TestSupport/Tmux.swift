import Foundation
import Glibc

/// A program running in a real terminal: a detached tmux session on a private tmux server, driven
/// with `send-keys` and read with `capture-pane`, the way a person would use it.
public final class TerminalSession: @unchecked Sendable {
    public let socketName: String
    public let sessionName = "t"

    /// True when tmux is installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
            || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// Starts `command` (a shell command line) in a new terminal of the given size.
    public init(
        command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]
    ) throws {
        socketName = "xcdb-test-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
        try tmux([
            "new-session", "-d", "-s", sessionName, "-x", String(width), "-y", String(height),
            "env TERM=xterm-256color sh -c \"trap : INT; \(exports)\(command); echo [exit \\$?]; sleep 60\"",
        ])
        socketPath =
            (try? tmux(["display-message", "-p", "#{socket_path}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    private var socketPath = ""

    deinit {
        _ = try? tmux(["kill-server"])
        // tmux leaves its socket file behind.
        if !socketPath.isEmpty { unlink(socketPath) }
    }

    /// Types text (literally, no key names).
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", sessionName, "-l", text])
    }

    /// Types a command line and presses Enter.
    public func enter(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    /// Presses keys by tmux name: `Enter`, `Tab`, `C-c`, `C-d`, `Up`, `C-r`, `BSpace`.
    public func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", sessionName] + keys)
    }

    /// The visible screen, one string per row, trailing spaces removed.
    public func screen() throws -> [String] {
        let text = try tmux(["capture-pane", "-p", "-t", sessionName])
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// The cursor position (column, row), zero-based.
    public func cursor() throws -> (x: Int, y: Int) {
        let text = try tmux(["display-message", "-p", "-t", sessionName, "#{cursor_x} #{cursor_y}"])
        let parts = text.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (parts.first ?? -1, parts.count > 1 ? parts[1] : -1)
    }

    /// Waits until `predicate` holds for the screen, up to `timeout` seconds (generous: a loaded
    /// machine is slow, and a screen that is right ends the wait at once); returns the last
    /// screen seen and whether it held.
    @discardableResult
    public func waitFor(
        timeout: TimeInterval = 60, _ predicate: ([String]) -> Bool
    ) throws -> (screen: [String], satisfied: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return (last, true) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (last, false)
    }

    /// Waits until some row contains `text` (rows have their trailing spaces removed, so a
    /// prompt is matched without its final space).
    @discardableResult
    public func waitFor(text: String, timeout: TimeInterval = 60) throws -> Bool {
        let wanted = text.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        return try waitFor(timeout: timeout) { $0.contains { $0.contains(wanted) } }.satisfied
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        do {
            return try CleanSpawn.run("tmux", ["-L", socketName, "-f", "/dev/null"] + arguments)
        } catch {
            throw TmuxError(message: "tmux \(arguments.first ?? "") failed")
        }
    }
}

public struct TmuxError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
