import Dispatch
import Engine
import Foundation
import Synchronization

/// remote.exe's server mode (`xremote /s "command" NAME`): a child program with pipes for its
/// standard input and output. What it prints is the session transcript; every participant's
/// lines (and the server console's) go to its standard input, echoed to everyone first.
public final class ChildProcessInput: SharedInput {
    public let hub: OutputHub
    private let process: Process
    private let stdinHandle: FileHandle
    private let stdoutFD: Int32
    /// Writes to the child happen here, so a child that does not read never blocks a network
    /// event loop.
    private let writeQueue = DispatchQueue(label: "xremote.child-stdin")
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `command` with `/bin/sh -c`, its output merged and fed into `hub`.
    public init(command: String, hub: OutputHub) throws(RemoteError) {
        self.hub = hub
        let input = Pipe()
        let output = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw RemoteError("Cannot start '\(command)': \(error)")
        }
        stdinHandle = input.fileHandleForWriting
        stdoutFD = output.fileHandleForReading.fileDescriptor
        // Writing to a child that exited must give an error, not kill us.
        signal(SIGPIPE, SIG_IGN)
        let reader = Thread { [self] in readOutput() }
        reader.name = "xremote child output"
        reader.start()
    }

    /// Reads the child's output: whole lines as they come, and a partial line (a prompt such as
    /// `C:\>` or `0:000> `) once the child has been quiet for 50 ms.
    private func readOutput() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var poller = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, pending.isEmpty ? -1 : 50)
            if ready == 0 {
                emit(pending)
                pending = []
                continue
            }
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            let count = read(stdoutFD, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                emit(line)
                pending.removeSubrange(...newline)
            }
            // A child printing one enormous line must not grow memory without bound.
            if pending.count > WireProtocol.maximumLineLength {
                emit(pending)
                pending = []
            }
        }
        if !pending.isEmpty { emit(pending) }
        process.waitUntilExit()
        finished.signal()
    }

    private func emit(_ bytes: [UInt8]) {
        hub.emit(.output, LineFrameDecoder.clean(bytes), origin: .engine)
    }

    public func submit(
        _ line: String, from source: CommandSource, completion: @escaping @Sendable () -> Void
    ) {
        hub.emit(.commandEcho, line, origin: source)
        let data = Data((line + "\n").utf8)
        let handle = stdinHandle
        writeQueue.async {
            try? handle.write(contentsOf: data)
            completion()
        }
    }

    public func interrupt() {
        kill(process.processIdentifier, SIGINT)
    }

    public var commandNames: [String] { [] }

    public func currentPrompt(_ reply: @escaping @Sendable (String?) -> Void) {
        reply(nil)
    }

    /// Blocks until the child has exited and its output is drained; returns its exit status.
    public func waitForExit() -> Int32 {
        finished.wait()
        finished.signal()
        return process.terminationStatus
    }

    /// Ends the child (`@K`).
    public func terminate() {
        if process.isRunning { process.terminate() }
    }
}
