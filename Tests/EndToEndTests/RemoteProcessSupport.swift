import Foundation
import Synchronization
import TestSupport

/// A program run with pipes: lines go in, everything it prints is collected.
final class RunningProgram: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let collected = CollectedBytes()
    private let reader: Thread
    /// Signalled when everything the program printed has been read.
    private let drained = DispatchSemaphore(value: 0)

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        // Writing to a program that has ended must fail, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let handle = output.fileHandleForReading
        let collected = self.collected
        let drained = self.drained
        reader = Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                collected.append(data)
            }
            drained.signal()
        }
        try process.run()
        reader.start()
    }

    deinit {
        if process.isRunning {
            process.terminate()
        }
    }

    /// Sends one line to its standard input.
    func send(_ line: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes its standard input.
    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    var text: String { collected.text }
    var lines: [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Waits until the output satisfies `condition` (generous by default: a loaded machine is
    /// slow, and a condition that holds ends the wait at once).
    @discardableResult
    func waitFor(_ seconds: Double = 60, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(text) { return true }
            usleep(5000)
        }
        return condition(text)
    }

    func waitFor(_ fragment: String, count: Int = 1, seconds: Double = 60) -> Bool {
        waitFor(seconds) { $0.components(separatedBy: fragment).count - 1 >= count }
    }

    /// Waits for the process to exit; nil when it does not within `seconds`.
    func exitCode(within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(5000) }
        guard !process.isRunning else { return nil }
        // Its output may still be in the pipe: read it all before answering.
        if drained.wait(timeout: .now() + 30) == .success { drained.signal() }
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends `signal` to the program.
    func send(signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Waits for the program to end; the signal that ended it, or nil when it exited (or is
    /// still running after `seconds`).
    func terminatingSignal(within seconds: Double) -> Int32? {
        guard exitCode(within: seconds) != nil else { return nil }
        return process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
    }
}

/// A private runtime directory for one test's sockets and registry.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "xcdb-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        mkdir(path, 0o700)
    }

    /// Removes the directory; call it from a `defer` so the directory outlives the test's
    /// programs (a local's lifetime may otherwise end at its last use).
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    var environment: [String: String] { ["XCDB_RUNTIME_DIR": path + "/run"] }
}

extension String {
    /// The lines that are exactly a marker `X-n` (what `.echo X-n` prints), in order.
    func markers(prefixes: Set<Character>) -> [String] {
        split(separator: "\n").map(String.init).filter { line in
            guard let first = line.first, prefixes.contains(first), line.dropFirst().hasPrefix("-")
            else { return false }
            return Int(line.dropFirst(2)) != nil
        }
    }
}

/// What a program printed so far.
final class CollectedBytes: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func append(_ data: Data) { bytes.withLock { $0.append(contentsOf: data) } }
    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}
