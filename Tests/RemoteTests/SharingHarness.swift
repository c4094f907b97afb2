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

    init(outboxBytes: Int? = nil) {
        directory =
            NSTemporaryDirectory() + "xcdb-remote-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        session = Session(mode: .user, programName: "xcdb", table: Builtins.table)
        var environment = [
            "XCDB_RUNTIME_DIR": directory, "XCDB_SHARED_RUNTIME_DIR": directory + "-shared",
        ]
        if let outboxBytes {
            environment["XCDB_REMOTE_OUTBOX_BYTES"] = String(outboxBytes)
            environment["XCDB_REMOTE_STALL_MS"] = "1000"
        }
        service = SharingService(
            session: session, programName: "xcdb", environment: environment, onQuit: {})
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
            let event = client.nextJoinEvent(timeout: 10)
            if event == .passwordRequested, let password {
                client.send(password)
                continue
            }
            return event
        }
    }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2000)
    }
    return condition()
}

/// A bare Unix-domain socket, for clients that misbehave.
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

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads what arrives within `seconds`.
    func receive(for seconds: Double) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
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
