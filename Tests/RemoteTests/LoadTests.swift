import Engine
import Foundation
import Synchronization
import Testing

@testable import Remote

/// 100 participants on loopback TCP, each typing 100 commands (10,000 in all) from a raw
/// socket, as a person on socat would: every participant's transcript holds every command's
/// output exactly once, each participant's own commands in the order typed, and all of them in
/// one order, the same for everyone (the echoes of others' commands included).
///
/// One thread drives all 100 sockets (poll, read, type). Each participant keeps at most
/// `window` of its commands in flight (sent, output not seen yet), as a person waits for an
/// answer; that also bounds how far any reader can fall behind, so none is ever dropped as
/// too slow however loaded the machine is.
@Suite(.serialized) struct LoadTests {
    static let participants = 100
    static let commandsEach = 100
    static let window = 8

    @Test(.timeLimit(.minutes(5))) func hundredParticipantsTypingAHundredCommandsEach() throws {
        let harness = SharingHarness()
        let port = try tcpPort(harness.run(".server tcp:port=46100:46199"))
        let typists = try (0..<Self.participants).map { index in
            try #require(TypistSocket(index: index, port: port), "cannot connect \(index)")
        }
        #expect(eventually(60) { harness.service.participantCount == Self.participants })
        let pool = TypistPool(typists, commandsEach: Self.commandsEach, window: Self.window)
        let start = Date()
        #expect(
            pool.type(deadline: start.addingTimeInterval(240)),
            "not every participant saw its commands' output")
        let elapsed = Date().timeIntervalSince(start)
        // Everyone's commands have run: a last line marks the end of every transcript.
        harness.run(".echo END")
        #expect(pool.read(until: "\nEND\n", deadline: Date().addingTimeInterval(120)))

        let total = Self.participants * Self.commandsEach
        let transcripts = typists.map { $0.transcript() }
        let reference = transcripts[0].outputs
        #expect(reference.count == total)
        #expect(Set(reference).count == total, "an output was duplicated")
        for (typist, transcript) in zip(typists, transcripts) {
            let mine = typist.index * 1000
            // Nothing lost, duplicated or reordered: everyone saw the same outputs in the same
            // order ...
            #expect(
                transcript.outputs == reference, "participant \(typist.index) saw another order")
            // ... each one's own in the order typed ...
            let own = reference.filter { $0 / 1000 == typist.index }
            #expect(own == (0..<Self.commandsEach).map { mine + $0 })
            // ... and the others' command lines, each just before its output (one's own
            // commands are not echoed back to it).
            #expect(transcript.echoes == reference.filter { $0 / 1000 != typist.index })
        }
        #expect(harness.service.participantCount == Self.participants)
        print(
            "load: \(Self.participants) participants typing \(total) commands took "
                + String(format: "%.1f", elapsed) + " s")
    }
}

/// One raw TCP participant: what it typed, and what it read. Markers are numbered
/// `participant * 1000 + command` (`P7-12` is 7012), so transcripts compare as arrays of
/// integers; the bytes are scanned with memchr/memmem (a debug build's per-byte loops would
/// cost the test more than the session it measures).
final class TypistSocket {
    let index: Int
    private let socket: RawSocket
    var fd: Int32 { socket.fd }
    /// `P7-` for participant 7: its commands print `P7-0`, `P7-1`, ...
    let prefix: String
    private(set) var typed = 0
    /// Own outputs seen so far (counted as they arrive, for the typing window).
    private(set) var ownSeen = 0
    /// Every byte read.
    private var bytes: [UInt8] = []
    private let ownPattern: [UInt8]

    init?(index: Int, port: Int) {
        guard let socket = RawSocket(port: port) else { return nil }
        self.socket = socket
        self.index = index
        prefix = "P\(index)-"
        ownPattern = Array("\nP\(index)-".utf8)
    }

    /// Sends the next command.
    func typeNext() {
        socket.send(".echo \(prefix)\(typed)\n")
        typed += 1
    }

    /// Reads what is there; false at the end of the stream.
    func readAvailable(into buffer: inout [UInt8]) -> Bool {
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return count < 0 && errno == EINTR }
        // An own marker may straddle the previous read: look again from just before it.
        let from = max(0, bytes.count - ownPattern.count + 1)
        bytes.append(contentsOf: buffer[0..<count])
        ownSeen += Self.occurrences(of: ownPattern, in: bytes, from: from)
        return true
    }

    /// Whether `marker` has arrived (searched in the last 4 KiB).
    func hasReceived(_ marker: String) -> Bool {
        let needle = Array(marker.utf8)
        return Self.occurrences(of: needle, in: bytes, from: max(0, bytes.count - 4096)) > 0
    }

    /// The output markers (lines `Pn-i`) and the markers in others' command echoes
    /// (`...: xcdb> .echo Pn-i`), in the order read.
    func transcript() -> (outputs: [Int], echoes: [Int]) {
        var outputs: [Int] = []
        var echoes: [Int] = []
        let echoTail = Array(": xcdb> .echo P".utf8)
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            var start = 0
            while start < all.count {
                guard let newline = memchr(base + start, 0x0A, all.count - start) else { break }
                let end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(newline))
                if base[start] == UInt8(ascii: "P") {
                    if let marker = Self.marker(base, from: start + 1, to: end) {
                        outputs.append(marker)
                    }
                } else if let at = Self.find(echoTail, in: base, from: start, to: end) {
                    if let marker = Self.marker(base, from: at + echoTail.count, to: end) {
                        echoes.append(marker)
                    }
                }
                start = end + 1
            }
        }
        return (outputs, echoes)
    }

    /// `n-i` at `from..<to` as `n * 1000 + i`.
    private static func marker(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var participant = 0
        var command = 0
        var sawDash = false
        var index = from
        while index < to {
            let byte = base[index]
            if byte == UInt8(ascii: "-"), !sawDash {
                sawDash = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if sawDash {
                    command = command * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    participant = participant * 10 + Int(byte - UInt8(ascii: "0"))
                }
            } else {
                return nil
            }
            index += 1
        }
        return sawDash ? participant * 1000 + command : nil
    }

    private static func occurrences(of pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int {
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return 0 }
            var count = 0
            var position = from
            while let hit = find(pattern, in: base, from: position, to: all.count) {
                count += 1
                position = hit + 1
            }
            return count
        }
    }

    /// Where `needle` starts in `base[from..<to]` (memchr for its first byte, then memcmp).
    private static func find(
        _ needle: [UInt8], in base: UnsafePointer<UInt8>, from: Int, to: Int
    ) -> Int? {
        guard let first = needle.first else { return nil }
        var position = from
        while position + needle.count <= to {
            guard let hit = memchr(base + position, Int32(first), to - position) else {
                return nil
            }
            let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
            guard index + needle.count <= to else { return nil }
            let same = needle.withUnsafeBytes { bytes in
                bytes.baseAddress.map { memcmp(base + index, $0, needle.count) == 0 } ?? false
            }
            if same { return index }
            position = index + 1
        }
        return nil
    }
}

/// Drives every typist from one thread.
struct TypistPool {
    let typists: [TypistSocket]
    let commandsEach: Int
    let window: Int

    init(_ typists: [TypistSocket], commandsEach: Int, window: Int) {
        self.typists = typists
        self.commandsEach = commandsEach
        self.window = window
    }

    /// Types and reads until every typist has seen its own commands' output; false at the
    /// deadline or if a connection ended.
    func type(deadline: Date) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pollers = typists.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        while Date() < deadline {
            for typist in typists
            where typist.typed < commandsEach && typist.typed - typist.ownSeen < window {
                typist.typeNext()
            }
            if typists.allSatisfy({ $0.ownSeen == commandsEach }) { return true }
            guard poll(&pollers, nfds_t(pollers.count), 100) > 0 else { continue }
            for index in pollers.indices where pollers[index].revents != 0 {
                guard typists[index].readAvailable(into: &buffer) else { return false }
            }
        }
        return false
    }

    /// Reads until every typist has received `marker`; false at the deadline.
    func read(until marker: String, deadline: Date) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pollers = typists.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        while Date() < deadline {
            if typists.allSatisfy({ $0.hasReceived(marker) }) { return true }
            guard poll(&pollers, nfds_t(pollers.count), 100) > 0 else { continue }
            for index in pollers.indices where pollers[index].revents != 0 {
                guard typists[index].readAvailable(into: &buffer) else { return false }
            }
        }
        return false
    }
}
