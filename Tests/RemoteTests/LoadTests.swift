import Engine
import Foundation
import Synchronization
import Testing

@testable import Remote

/// 100 participants on loopback TCP, 10 of them typing 10,000 commands in all, while one more
/// participant stops reading: every transcript holds every command's output exactly once, in
/// the same order, and the stalled participant is dropped without holding anyone up.
///
/// The 90 readers are plain clients (like socat) read by one polling thread, and their byte
/// streams are compared whole: they must be identical from the start marker on. The 10 typists
/// are protocol clients; their own echoes are left out, so their output lines are compared.
@Suite(.serialized) struct LoadTests {
    static let participants = 100
    static let typists = 10
    static let commandsPerTypist = 1000

    @Test(.timeLimit(.minutes(1))) func hundredParticipantsTenThousandCommands() throws {
        let harness = SharingHarness(outboxBytes: 256 * 1024)
        let started = harness.run(".server tcp:port=46100:46199")
        guard
            let portText = started.last?.split(separator: "port=").last?.prefix(while: \.isNumber),
            let port = Int(portText)
        else {
            Issue.record("no port in \(started)")
            return
        }
        let endpoint = RemoteClient.Endpoint.tcp(host: "127.0.0.1", port: port)
        var typists: [MarkerClient] = []
        for index in 0..<Self.typists {
            let client = MarkerClient(user: "typist\(index)")
            #expect(try client.join(endpoint))
            typists.append(client)
        }
        let readers = ReaderPool()
        for _ in Self.typists..<Self.participants {
            #expect(readers.connect(port: port))
        }
        // One more participant that never reads: lines pile up for it until it is dropped.
        guard let stalled = RawTCPSocket(port: port, receiveBuffer: 4096) else {
            Issue.record("cannot connect the stalled client")
            return
        }
        #expect(eventually(10) { harness.service.participantCount == Self.participants + 1 })
        readers.start()
        harness.run(".echo START")

        let start = Date()
        let typing = DispatchGroup()
        for (typist, client) in typists.enumerated() {
            DispatchQueue.global().async(group: typing) {
                // Keep at most 64 of one's own commands in flight (a person types slower).
                for index in 0..<Self.commandsPerTypist {
                    while index - client.count(prefix: "T\(typist)-") >= 64 { usleep(200) }
                    client.client.send(
                        ".echo T\(typist)-\(index) " + String(repeating: "x", count: 100))
                }
            }
        }
        typing.wait()
        let total = Self.typists * Self.commandsPerTypist
        // Every command has run once the typists have seen all outputs; then mark the end.
        for client in typists {
            #expect(eventually(30) { client.markers.count == total })
        }
        harness.run(".echo END")
        #expect(eventually(30) { readers.allEndWith("\nEND\n") })
        let elapsed = Date().timeIntervalSince(start)
        readers.stop()

        // The readers' transcripts are byte-for-byte the same from START to END ...
        let streams = readers.transcripts(from: "\nSTART\n", to: "\nEND\n")
        #expect(streams.count == Self.participants - Self.typists)
        let reference = streams.first ?? []
        #expect(
            streams.allSatisfy { ReaderPool.same($0, reference) },
            "a reader saw a different transcript")
        // ... and hold every command's output once, each typist's in the order typed.
        let markers = String(decoding: reference, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("T") }.map { String($0.prefix { $0 != " " }) }
        #expect(markers.count == total)
        for typist in 0..<Self.typists {
            let own = markers.filter { $0.hasPrefix("T\(typist)-") }
            #expect(own == (0..<Self.commandsPerTypist).map { "T\(typist)-\($0)" })
        }
        // The typists saw the same outputs in the same order.
        for client in typists {
            #expect(client.markers == markers, "\(client.user) saw a different order")
        }
        // The stalled participant was dropped; everyone else is still there.
        #expect(eventually(10) { harness.service.participantCount == Self.participants })
        _ = stalled
        print(
            "load: \(Self.participants) participants, \(total) commands in "
                + String(format: "%.2f", elapsed) + " s")
    }
}

/// Plain-client readers served by one thread that polls all their sockets and keeps the bytes.
final class ReaderPool: @unchecked Sendable {
    private var sockets: [RawTCPSocket] = []
    private let buffers = Locked<[[UInt8]]>([])
    private let running = Locked<Bool>(false)
    private var thread: Thread?

    func connect(port: Int) -> Bool {
        guard let socket = RawTCPSocket(port: port) else { return false }
        sockets.append(socket)
        buffers.withLock { $0.append([]) }
        return true
    }

    func start() {
        running.withLock { $0 = true }
        let fds = sockets.map(\.fd)
        let buffers = self.buffers
        let running = self.running
        let thread = Thread {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var pollers = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            while running.withLock({ $0 }) {
                guard poll(&pollers, nfds_t(pollers.count), 20) > 0 else { continue }
                for index in pollers.indices where pollers[index].revents != 0 {
                    let count = read(pollers[index].fd, &chunk, chunk.count)
                    if count > 0 {
                        buffers.withLock { $0[index].append(contentsOf: chunk[0..<count]) }
                    } else {
                        pollers[index].fd = -1
                    }
                }
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() { running.withLock { $0 = false } }

    /// True when every reader's last 4 KiB contain `text`.
    func allEndWith(_ text: String) -> Bool {
        buffers.withLock { buffers in
            buffers.allSatisfy { Self.find(text, in: $0, from: max(0, $0.count - 4096)) != nil }
        }
    }

    /// Each reader's bytes from the end of `start` to the start of `end`.
    func transcripts(from start: String, to end: String) -> [[UInt8]] {
        buffers.withLock { buffers in
            buffers.map { bytes in
                guard let open = Self.find(start, in: bytes, from: 0),
                    let close = Self.find(end, in: bytes, from: open + start.utf8.count)
                else { return [] }
                return Array(bytes[(open + start.utf8.count)..<close])
            }
        }
    }

    /// memchr + memcmp: the test's own scanning must not dominate a debug build's run time.
    static func find(_ text: String, in bytes: [UInt8], from offset: Int) -> Int? {
        let needle = Array(text.utf8)
        guard let first = needle.first else { return nil }
        return bytes.withUnsafeBufferPointer { haystack -> Int? in
            guard let base = haystack.baseAddress else { return nil }
            var position = offset
            while position + needle.count <= haystack.count {
                guard let hit = memchr(base + position, Int32(first), haystack.count - position)
                else { return nil }
                let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                guard index + needle.count <= haystack.count else { return nil }
                let matches = needle.withUnsafeBufferPointer { needle -> Bool in
                    guard let pointer = needle.baseAddress else { return false }
                    return memcmp(base + index, pointer, needle.count) == 0
                }
                if matches { return index }
                position = index + 1
            }
            return nil
        }
    }

    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count
            && a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
                    return memcmp(x, y, a.count) == 0
                }
            }
    }
}

/// Records only the `.echo T..` output lines (the first word of each).
final class MarkerClient: Sendable {
    let user: String
    private let received = Locked<[String]>([])
    private let counts = Locked<[Substring: Int]>([:])
    let client: RemoteClient

    init(user: String) {
        self.user = user
        let received = self.received
        let counts = self.counts
        client = RemoteClient(
            hello: ClientHello(user: user, host: "LOAD", lines: 0, program: "load"),
            callbacks: RemoteClient.Callbacks(line: { line in
                guard line.hasPrefix("T"), let space = line.firstIndex(of: " "),
                    let dash = line.firstIndex(of: "-")
                else { return }
                received.withLock { $0.append(String(line[..<space])) }
                counts.withLock { $0[line[...dash], default: 0] += 1 }
            }))
    }

    func join(_ endpoint: RemoteClient.Endpoint) throws -> Bool {
        try client.connect(to: endpoint)
        if case .joined = client.nextJoinEvent(timeout: 10) { return true }
        return false
    }

    var markers: [String] { received.withLock { $0 } }

    /// How many markers starting `prefix` (`T3-`) arrived.
    func count(prefix: String) -> Int {
        counts.withLock { $0[Substring(prefix)] ?? 0 }
    }
}

/// A TCP connection to the loopback server.
final class RawTCPSocket {
    let fd: Int32

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
}
