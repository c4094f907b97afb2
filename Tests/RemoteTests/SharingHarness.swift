import Engine
import Foundation
import Synchronization
import Testing

@testable import Remote

/// A debugger session with the sharing service, in a private runtime directory.
final class SharingHarness {
    let session: Session
    let service: SharingService
    let directory: String

    /// - Parameter limits: `XCDB_REMOTE_*` settings (see `SharingLimits.fromEnvironment`).
    init(limits: [String: String] = [:]) {
        directory =
            NSTemporaryDirectory() + "xcdb-remote-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        session = Session(mode: .user, programName: "xcdb", table: Builtins.table)
        var environment = [
            "XCDB_RUNTIME_DIR": directory, "XCDB_SHARED_RUNTIME_DIR": directory + "-shared",
        ]
        environment.merge(limits) { _, new in new }
        let service = SharingService(
            session: session, programName: "xcdb", environment: environment, onQuit: {})
        self.service = service
        session.withState { $0.sharing = service }
    }

    deinit {
        service.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + "-shared")
    }

    /// Runs a console line and returns its output and error lines.
    @discardableResult
    func run(_ line: String) -> [String] {
        let before = session.hub.scrollback(last: 1).first?.sequence ?? 0
        session.execute(line, from: .console)
        return session.hub.scrollback(last: 10_000).filter {
            $0.sequence > before && ($0.kind == .output || $0.kind == .error)
        }.map(\.text)
    }

    func pipePath(_ name: String) -> String { directory + "/npipe." + name }
}

/// A protocol client that records what it receives.
final class RecordingClient: Sendable {
    private let received = Locked<[String]>([])
    private let closedReason = Locked<(closed: Bool, reason: String?)>((false, nil))
    let client: RemoteClient

    init(user: String = "ann", lines: Int? = nil, readOnly: Bool = false) {
        let received = self.received
        let closedReason = self.closedReason
        client = RemoteClient(
            hello: ClientHello(
                user: user, host: "TESTBOX", lines: lines, readOnly: readOnly, program: "test"),
            callbacks: RemoteClient.Callbacks(
                line: { line in received.withLock { $0.append(line) } },
                closed: { reason in closedReason.withLock { $0 = (true, reason) } }))
    }

    var lines: [String] { received.withLock { $0 } }
    var isClosed: Bool { closedReason.withLock { $0.closed } }

    /// Connects and joins (answering a password prompt with `password`).
    func join(_ endpoint: RemoteClient.Endpoint, password: String? = nil) throws
        -> RemoteClient.JoinEvent
    {
        try client.connect(to: endpoint)
        while true {
            let event = client.nextJoinEvent(timeout: 60)
            if event == .passwordRequested, let password {
                client.send(password)
                continue
            }
            return event
        }
    }
}

/// Polls `condition` until it holds or `seconds` pass (generous by default: a loaded machine
/// is slow, and a condition that holds ends the wait at once).
func eventually(_ seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2000)
    }
    return condition()
}

/// A bare socket, for clients that misbehave: Unix-domain or loopback TCP.
final class RawSocket {
    let fd: Int32

    init?(path: String) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() where index < raw.count - 1 {
                raw[index] = byte
            }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
    }

    /// A TCP connection to the loopback server; `receiveBuffer` shrinks the kernel's buffer (a
    /// reader that stops reading then stops taking data soon).
    init?(port: Int, receiveBuffer: Int32? = nil) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    private var received: [UInt8] = []
    private(set) var reachedEnd = false
    /// The error that ended the stream instead of an orderly end (ECONNRESET: the peer reset
    /// the connection, and data on its way may be lost).
    private(set) var readError: Int32?

    /// Everything read so far.
    var text: String { String(decoding: received, as: UTF8.self) }

    /// Reads until `condition` holds for all that was read, the stream ends, or `seconds`
    /// pass; returns whether the condition holds.
    @discardableResult
    func read(for seconds: Double = 60, until condition: (String) -> Bool) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(text), !reachedEnd, Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count < 0 { readError = errno }
                reachedEnd = true
                break
            }
            received.append(contentsOf: buffer[0..<count])
        }
        return condition(text)
    }

    /// Reads until the other end closes (or `seconds` pass); true when it closed.
    @discardableResult
    func readToEnd(for seconds: Double = 60) -> Bool {
        read(for: seconds) { _ in false }
        return reachedEnd
    }
}

/// A copyable handle on a mutex-protected value.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> R {
        mutex.withLock(body)
    }
}

/// A listening Unix-domain socket owned by the test: a stand-in for another live server, or,
/// closed without removing its file, the stale socket a killed server leaves behind.
final class UnixListeningSocket {
    let path: String
    private var fd: Int32

    init?(path: String) {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            return nil
        }
    }

    /// Stops listening but leaves the socket file, as a process killed with SIGKILL does.
    func closeLeavingFile() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(path)
        }
    }
}
