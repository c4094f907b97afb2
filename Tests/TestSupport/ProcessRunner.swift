import Foundation

/// Runs the project's executables as a user would, for end-to-end tests.
public enum Products {
    /// The directory holding the built executables (beside the test bundle), or
    /// `XCDB_BIN_DIR` when set.
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["XCDB_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
    }()

    /// Full path of a built executable (`xcdb`, `xkd`, `xremote`).
    public static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// What a finished process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool

    /// Standard output split into lines (no trailing empty line).
    public var lines: [String] {
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Starts a process, feeds it `input` on standard input, waits (at most `timeout` seconds,
/// then kills it) and collects its output.
public func runProcess(
    _ path: String, _ arguments: [String] = [], input: String? = nil,
    environment: [String: String]? = nil, currentDirectory: String? = nil,
    timeout: TimeInterval = 30
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let currentDirectory {
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
    }
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let collected = OutputCollector()
    stdout.fileHandleForReading.readabilityHandler = { handle in
        collected.append(handle.availableData, error: false)
    }
    stderr.fileHandleForReading.readabilityHandler = { handle in
        collected.append(handle.availableData, error: true)
    }
    try process.run()
    if let input {
        // The program may exit before reading its input; a broken pipe is not an error here.
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    }
    try? stdin.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    var timedOut = false
    while process.isRunning {
        if Date() > deadline {
            timedOut = true
            process.terminate()
            break
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    stdout.fileHandleForReading.readabilityHandler = nil
    stderr.fileHandleForReading.readabilityHandler = nil
    collected.append(stdout.fileHandleForReading.readDataToEndOfFile(), error: false)
    collected.append(stderr.fileHandleForReading.readDataToEndOfFile(), error: true)
    let (out, err) = collected.texts
    return ProcessResult(
        status: process.terminationStatus, stdout: out, stderr: err, timedOut: timedOut)
}

/// Thread-safe accumulation of a child's output.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()

    func append(_ data: Data, error: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if error { err.append(data) } else { out.append(data) }
    }

    var texts: (String, String) {
        lock.lock()
        defer { lock.unlock() }
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
