import Foundation

/// A program running in a real terminal: a detached tmux session on a private tmux server, driven
/// with `send-keys` and read with `capture-pane`, the way a person would use it.
public final class TmuxTerminal: @unchecked Sendable {
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
            "env TERM=xterm-256color sh -c \"\(exports)\(command); sleep 30\"",
        ])
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    /// Types text (literally, no key names).
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", sessionName, "-l", text])
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

    /// Waits until `predicate` holds for the screen, up to `timeout` seconds; returns the last
    /// screen seen and whether it held.
    @discardableResult
    public func waitFor(
        timeout: TimeInterval = 10, _ predicate: ([String]) -> Bool
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

    /// Waits until some row contains `text`.
    @discardableResult
    public func waitFor(text: String, timeout: TimeInterval = 10) throws -> Bool {
        try waitFor(timeout: timeout) { $0.contains { $0.contains(text) } }.satisfied
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let result = try runProcess(
            "/usr/bin/env", ["tmux", "-L", socketName] + arguments, timeout: 10)
        guard result.status == 0 else {
            throw TmuxError(message: "tmux \(arguments.first ?? ""): \(result.stderr)")
        }
        return result.stdout
    }
}

public struct TmuxError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
