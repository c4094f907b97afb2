import Dispatch
import Engine
import FoundationEssentials
import Glibc
import HostSystem
import Synchronization

/// remote.exe's server mode (`xremote /s "command" NAME`): a child program with pipes for its
/// standard input and output. What it prints is the session transcript; every participant's
/// lines (and the server console's) go to its standard input, echoed to everyone first.
public final class ChildProcessInput: SharedInput {
    public let hub: OutputHub
    /// The child's process id; it leads its own process group, so `@K` ends everything it
    /// started.
    private let processID: pid_t
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private let exitStatus = Mutex<Int32?>(nil)
    /// Writes to the child happen here, so a child that does not read never blocks a network
    /// event loop.
    private let writeQueue = DispatchQueue(label: "xremote.child-stdin")
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `command` with `/bin/sh -c` in a process group of its own, its output merged and
    /// fed into `hub`.
    public init(command: String, hub: OutputHub) throws(RemoteError) {
        self.hub = hub
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else {
            throw RemoteError("Cannot create pipes for '\(command)': \(Errno.text)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        for fd in [input[0], input[1], output[0], output[1]] {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        close(input[0])
        close(output[1])
        guard result == 0 else {
            close(input[1])
            close(output[0])
            throw RemoteError("Cannot start '\(command)': \(String(cString: strerror(result)))")
        }
        processID = pid
        stdinFD = input[1]
        stdoutFD = output[0]
        // Writing to a child that exited must give an error, not kill us.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Starts passing the child's output to the hub (until then it waits in the pipe), so the
    /// server can show its banner first.
    public func startReading() {
        DetachedThread.start(name: "xremote child") { [self] in readOutput() }
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
        close(stdoutFD)
        var status: Int32 = 0
        while waitpid(processID, &status, 0) < 0, errno == EINTR {}
        // Exit code, or 128 + signal as shells report it.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus.withLock { $0 = code }
        finished.signal()
    }

    private func emit(_ bytes: [UInt8]) {
        hub.emit(.output, LineFrameDecoder.clean(bytes), origin: .engine)
    }

    public func submit(
        _ line: String, from source: CommandSource,
        completion: @escaping @Sendable (_ prompt: String?) -> Void
    ) {
        hub.emit(.commandEcho, line, origin: source)
        let bytes = Array((line + "\n").utf8)
        let fd = stdinFD
        writeQueue.async {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes {
                    write(fd, $0.baseAddress, $0.count)
                }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break }
                offset += written
            }
            completion(nil)
        }
    }

    public func interrupt() {
        kill(-processID, SIGINT)
    }

    public var commandNames: [String] { [] }

    public func currentPrompt(_ reply: @escaping @Sendable (String?) -> Void) {
        reply(nil)
    }

    /// Blocks until the child has exited and its output is drained; returns its exit status.
    public func waitForExit() -> Int32 {
        finished.wait()
        finished.signal()
        return exitStatus.withLock { $0 } ?? 1
    }

    /// Ends the child and everything it started (`@K`).
    public func terminate() {
        guard exitStatus.withLock({ $0 }) == nil else { return }
        kill(-processID, SIGTERM)
    }
}
