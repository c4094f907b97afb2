import Engine
import Foundation
import Testing

@testable import Remote

/// Careless and hostile participants, tried with raw sockets against real servers: one that
/// stops reading, crowds of connections that never finish joining, stale socket files.
@Suite(.serialized) struct HostileClientTests {
    /// A participant that stops reading is dropped without slowing anyone, and when it reads
    /// again it gets the output already on its way (whole lines only), then the line saying
    /// why, then the end of the stream.
    @Test func aReaderThatStopsIsToldWhyBeforeItsConnectionCloses() throws {
        let harness = SharingHarness(limits: [
            "XCDB_REMOTE_OUTBOX_BYTES": "65536", "XCDB_REMOTE_STALL_MS": "1000",
        ])
        let port = try tcpPort(harness.run(".server tcp:port=46200:46299"))
        let reader = RecordingClient(user: "reader")
        #expect(try reader.join(.tcp(host: "127.0.0.1", port: port)) != .closed(nil))
        let stalled = try #require(RawSocket(port: port, receiveBuffer: 4096))
        #expect(eventually { harness.service.participantCount == 2 })

        // About 4 MB of output, far more than the stalled client's socket buffers and outbox.
        // It is posted in steps the healthy reader keeps up with, so however loaded the machine,
        // only the stalled participant ever has much waiting for it. Once it is dropped, it
        // reads again at once (its connection stays open a while for that).
        let text = String(repeating: "x", count: 200)
        let count = 20_000
        var stalledRead = false
        for step in stride(from: 0, to: count, by: 200) {
            for index in step..<(step + 200) { harness.session.post(.output, "\(index) \(text)") }
            let last = "\(step + 199) \(text)"
            #expect(eventually { reader.lines.suffix(3).contains(last) })
            if !stalledRead, harness.service.participantCount == 1 {
                #expect(stalled.readToEnd(for: 120))
                stalledRead = true
            }
        }
        #expect(eventually { harness.service.participantCount == 1 })
        if !stalledRead { #expect(stalled.readToEnd(for: 120)) }
        #expect(eventually { reader.lines.contains { $0.contains(") disconnected at") } })
        let numbered = reader.lines.compactMap { line -> Int? in
            guard line.hasSuffix(text) else { return nil }
            return Int(line.prefix { $0 != " " })
        }
        #expect(numbered == Array(0..<count), "the healthy reader lost or reordered lines")

        // What the stalled participant read: whole lines, the reason last, then the end.
        #expect(stalled.reachedEnd)
        #expect(stalled.readError == nil, "the connection was reset, not closed")
        let received = stalled.text
        #expect(received.hasSuffix("\n"))
        let lines = received.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.last.map(String.init) == SharedSession.droppedReason)
        var expected = 0
        for line in lines.dropLast() where Int(line.prefix { $0 != " " }) != nil {
            #expect(line == "\(expected) \(text)", "a line was cut or lost: \(line.prefix(40))")
            guard line == "\(expected) \(text)" else { break }
            expected += 1
        }
        #expect(expected > 0 && expected < count)
    }

    /// 200 connections that never answer the password prompt (and some that stop in the middle
    /// of a hello) from one address do not keep a real participant from the same address out;
    /// each of them is closed, at the handshake deadline or to make room.
    @Test func silentConnectionsOverTCPDoNotKeepARealParticipantOut() throws {
        let harness = SharingHarness(limits: ["XCDB_REMOTE_HANDSHAKE_MS": "3000"])
        let port = try tcpPort(harness.run(".server tcp:port=46300:46399,password=Secret9"))
        try crowdCannotKeepAParticipantOut(
            connect: { RawSocket(port: port) }, endpoint: .tcp(host: "127.0.0.1", port: port))
    }

    /// The same on a Unix-domain socket, where every connection comes from the same user: the
    /// oldest silent connection makes room, and the deadline closes the rest.
    @Test func silentConnectionsOnAUnixSocketDoNotKeepARealParticipantOut() throws {
        let harness = SharingHarness(limits: ["XCDB_REMOTE_HANDSHAKE_MS": "3000"])
        harness.run(".server npipe:pipe=crowd,password=Secret9")
        let path = harness.pipePath("crowd")
        try crowdCannotKeepAParticipantOut(
            connect: { RawSocket(path: path) }, endpoint: .unix(path: path))
    }

    private func crowdCannotKeepAParticipantOut(
        connect: () -> RawSocket?, endpoint: RemoteClient.Endpoint,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var crowd: [RawSocket] = []
        for index in 0..<200 {
            let socket = try #require(connect(), sourceLocation: sourceLocation)
            if index % 10 == 0 { socket.send("#xcdb:hel") }
            crowd.append(socket)
        }
        // Every one of them got the password prompt: all 200 have been through the server.
        for socket in crowd {
            #expect(socket.read { $0.hasPrefix("password:\n") }, sourceLocation: sourceLocation)
        }
        let friend = RecordingClient(user: "friend")
        #expect(
            try friend.join(endpoint, password: "Secret9") == .joined(id: 1, readOnly: false),
            sourceLocation: sourceLocation)
        // Nobody in the crowd stays: each is told why and closed.
        for socket in crowd {
            #expect(socket.readToEnd(), sourceLocation: sourceLocation)
            let reason = socket.text.split(separator: "\n").last.map(String.init) ?? ""
            #expect(
                reason == "No password given in time; disconnected."
                    || reason.hasPrefix("Too many connections from your address"),
                "\(reason)", sourceLocation: sourceLocation)
        }
        friend.client.send(".echo still in")
        #expect(eventually { friend.lines.contains("still in") }, sourceLocation: sourceLocation)
    }

    /// Without a password a silent connection is a person reading on a plain client: 200 of
    /// them join (and read), and so does everyone else.
    @Test func silentConnectionsWithoutAPasswordJoinAsReaders() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=readers")
        let path = harness.pipePath("readers")
        let crowd = try (0..<200).map { _ in try #require(RawSocket(path: path)) }
        #expect(eventually { harness.service.participantCount == 200 })
        let friend = RecordingClient(user: "friend")
        #expect(try friend.join(.unix(path: path)) == .joined(id: 201, readOnly: false))
        harness.run(".echo for everyone")
        for socket in crowd {
            #expect(socket.read { $0.contains("\nfor everyone\n") })
        }
    }

    /// A socket file nobody answers on (its server was killed) is replaced; one that a live
    /// server answers on is refused with a clear message.
    @Test func aStaleSocketIsReplacedAndALiveOneRefused() throws {
        let harness = SharingHarness()
        try RuntimeDirectory(path: harness.directory).preparePrivate()
        let stale = try #require(UnixListeningSocket(path: harness.pipePath("stale")))
        stale.closeLeavingFile()
        #expect(FileManager.default.fileExists(atPath: harness.pipePath("stale")))
        #expect(harness.run(".server npipe:pipe=stale").first?.hasPrefix("Server started") == true)
        let client = RecordingClient()
        #expect(try client.join(.unix(path: harness.pipePath("stale"))) != .closed(nil))

        let live = try #require(UnixListeningSocket(path: harness.pipePath("busy")))
        let refusal = harness.run(".server npipe:pipe=busy")
        #expect(refusal.first?.contains("in use: another live session answers there") == true)
        #expect(harness.run(".servers") == ["0 - Debugger Server - npipe:Pipe=stale"])
        _ = live
    }

    /// Socket and registry files are listed for removal at exit while they exist, and their
    /// server's end removes them.
    @Test func socketFilesAreRemovedWithTheirServerAndListedUntilThen() throws {
        let harness = SharingHarness()
        harness.run(".server npipe:pipe=tidy")
        let pipe = harness.pipePath("tidy")
        let directory = RuntimeDirectory(path: harness.directory)
        harness.run(".remote tidy2")
        let files = [
            pipe, directory.remoteSessionSocket("tidy2"), directory.remoteSessionEntry("tidy2"),
        ]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(ExitCleanup.pending.contains(file))
        }
        harness.run(".endsrv 0")
        harness.run(".remote_exit")
        for file in files {
            #expect(!FileManager.default.fileExists(atPath: file))
            #expect(!ExitCleanup.pending.contains(file))
        }
    }
}

/// The port a `.server tcp:port=LOW:HIGH` started on.
func tcpPort(_ started: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    let digits = started.last?.split(separator: "port=").last?.prefix { $0.isNumber }
    return try #require(
        digits.flatMap { Int($0) }, "no port in \(started)", sourceLocation: sourceLocation)
}
