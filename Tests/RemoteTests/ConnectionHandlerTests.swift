import Engine
import Foundation
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import Remote

/// `ConnectionHandler` and the line framing on `EmbeddedChannel`s: no sockets, no threads,
/// and time moved by hand, so every deadline is exact.
@Suite struct ConnectionHandlerTests {
    @Test func aProgramJoinsAndEachLineIsAnsweredByOnePromptAfterItsOutput() throws {
        let server = EmbeddedServer()
        let channel = try server.connect()
        try channel.send("#xcdb:hello v=1 user=ann host=BOX lines=0")
        let greeting = try channel.received()
        #expect(greeting.contains("#xcdb:welcome v=1 id=1 style=server readonly=0"))
        #expect(greeting.contains("#xcdb:prompt * xcdb> "))
        try channel.send("k")
        try channel.send(".echo x")
        // Output, then the prompt that ends the line, with my id; my own echo is not sent back.
        #expect(
            try channel.received() == [
                "ran k", "#xcdb:prompt 1 xcdb> ", "ran .echo x", "#xcdb:prompt 1 xcdb> ",
            ])
        #expect(server.input.lines == ["k", ".echo x"])
    }

    @Test func aPlainClientJoinsWhenTheHelloWaitRunsOut() throws {
        let server = EmbeddedServer()
        let channel = try server.connect()
        #expect(server.shared.participantCount == 0)
        server.loop.advanceTime(by: server.limits.helloWait)
        #expect(server.shared.participantCount == 1)
        try channel.send(".echo plain")
        let lines = try channel.received()
        #expect(lines.contains("ran .echo plain"))
        #expect(!lines.contains { $0.hasPrefix("#xcdb:") })
    }

    @Test func aWrongPasswordIsAnsweredLateAndARightOneJoins() throws {
        let server = EmbeddedServer(password: "Secret9")
        let intruder = try server.connect()
        #expect(try intruder.received() == ["password:"])
        try intruder.send("guess")
        server.loop.run()
        #expect(try intruder.received().isEmpty)  // the answer waits
        server.loop.advanceTime(by: .milliseconds(500))
        #expect(try intruder.received() == [WireProtocol.wrongPassword])
        #expect(!intruder.isActive)

        let friend = try server.connect()
        _ = try friend.received()
        try friend.send("Secret9")
        #expect(server.shared.participantCount == 1)
        #expect(friend.isActive)
    }

    @Test func overlongAndPartialLines() throws {
        let server = EmbeddedServer()
        let channel = try server.connect()
        try channel.send("#xcdb:hello v=1 user=ann host=BOX lines=0")
        _ = try channel.received()
        try channel.sendBytes(String(repeating: "a", count: 70_000))
        try channel.sendBytes("\n.ec")
        #expect(
            try channel.received() == [
                "Line too long (70000 bytes; the limit is 65536): ignored."
            ])
        #expect(server.input.lines.isEmpty)
        try channel.sendBytes("ho y\n")
        #expect(server.input.lines == [".echo y"])
    }

    /// A reader that stops reading is dropped; what was already handed to its connection goes
    /// first, the reason is its last line, then the connection closes.
    @Test func aStalledReaderIsDroppedWithTheReasonAsItsLastLine() throws {
        var limits = SharingLimits()
        limits.outboxBytes = 4096
        limits.outboxHardBytes = 1 << 20
        limits.stallTimeout = .zero
        let server = EmbeddedServer(limits: limits)
        let channel = try server.connect()
        server.loop.advanceTime(by: limits.helloWait)
        server.hub.emit(.output, "before the stall", origin: .engine)
        let before = try channel.received()
        #expect(before.last == "before the stall")
        channel.isWritable = false
        for index in 0..<100 {
            server.hub.emit(
                .output, "\(index) " + String(repeating: "y", count: 100), origin: .engine)
        }
        server.loop.run()
        #expect(server.shared.participantCount == 0)
        let after = try channel.received()
        #expect(after == [SharedSession.droppedReason])
        #expect(!channel.isActive)
        #expect(
            server.hub.scrollback(last: 5).contains { $0.text.contains("disconnected at") })
    }

    @Test func aSilentOrHalfSaidHandshakeEndsAtTheDeadline() throws {
        let server = EmbeddedServer(password: "Secret9")
        let silent = try server.connect()
        let halfHello = try server.connect()
        try halfHello.sendBytes("#xcdb:hel")
        server.loop.advanceTime(by: server.limits.handshakeDeadline - .milliseconds(1))
        #expect(silent.isActive && halfHello.isActive)
        server.loop.advanceTime(by: .milliseconds(1))
        for channel in [silent, halfHello] {
            #expect(
                try channel.received() == ["password:", "No password given in time; disconnected."])
            #expect(!channel.isActive)
        }
        #expect(server.listener.handshakes.count == 0)

        // A program that said hello may take longer: its person types the password.
        let program = try server.connect()
        try program.send("#xcdb:hello v=1 user=ann host=BOX")
        server.loop.advanceTime(by: server.limits.handshakeDeadline)
        #expect(program.isActive)
        server.loop.advanceTime(by: server.limits.passwordWait)
        #expect(!program.isActive)
    }

    /// One address gets `pendingHandshakesPerAddress` waiting connections; a newcomer from it
    /// closes its oldest silent one, and other addresses are not touched.
    @Test func oneAddressGetsAShareOfTheHandshakeSlots() throws {
        let server = EmbeddedServer(password: "Secret9")
        let share = server.limits.pendingHandshakesPerAddress
        let crowd = try (0..<share).map { port in
            try server.connect(from: try SocketAddress(ipAddress: "10.0.0.7", port: 1000 + port))
        }
        try crowd[0].send("#xcdb:hello v=1 user=ann host=BOX")  // the oldest has spoken
        let other = try server.connect(from: try SocketAddress(ipAddress: "10.0.0.8", port: 1))
        let newcomer = try server.connect(from: try SocketAddress(ipAddress: "10.0.0.7", port: 99))
        server.loop.run()
        #expect(crowd[0].isActive)
        #expect(!crowd[1].isActive)
        #expect(
            try crowd[1].received().last?.hasPrefix("Too many connections from your address")
                == true)
        #expect(crowd[2...].allSatisfy { $0.isActive })
        #expect(other.isActive && newcomer.isActive)
        #expect(server.listener.handshakes.count == share + 1)
    }

    /// Without a password the oldest silent connection of a crowded address does not lose
    /// anything when it makes room: it joins at once as the plain client it would have been.
    @Test func withoutAPasswordTheOldestJoinsEarlyToMakeRoom() throws {
        let server = EmbeddedServer()
        let share = server.limits.pendingHandshakesPerAddress
        let crowd = try (0...share).map { port in
            try server.connect(from: try SocketAddress(ipAddress: "10.0.0.7", port: 1000 + port))
        }
        server.loop.run()
        #expect(server.shared.participantCount == 1)
        #expect(crowd.allSatisfy { $0.isActive })
        server.loop.advanceTime(by: server.limits.helloWait)
        #expect(server.shared.participantCount == share + 1)
    }

    /// `@Q` after lines still running leaves once they have run and shown their output.
    @Test func quittingWaitsForTheLinesBeforeIt() throws {
        let server = EmbeddedServer()
        server.input.holdCompletions = true
        let channel = try server.connect()
        try channel.send("#xcdb:hello v=1 user=ann host=BOX lines=0")
        _ = try channel.received()
        try channel.send("k")
        try channel.send("@Q")
        try channel.send(".echo ignored after @Q")
        #expect(try channel.received() == ["ran k"])
        #expect(channel.isActive)
        server.input.completeAll()
        server.loop.run()
        #expect(
            try channel.received() == [
                "#xcdb:prompt 1 xcdb> ", "#xcdb:bye left", SessionCommand.sessionOver,
            ])
        #expect(!channel.isActive)
        #expect(server.input.lines == ["k"])
    }

    /// A line over the participant's queue limit is refused, and a program still gets the
    /// prompt that ends it.
    @Test func aLineOverTheQueueLimitIsRefusedWithAPrompt() throws {
        var limits = SharingLimits()
        limits.maximumQueuedCommands = 2
        let server = EmbeddedServer(limits: limits)
        server.input.holdCompletions = true
        let channel = try server.connect()
        try channel.send("#xcdb:hello v=1 user=ann host=BOX lines=0")
        _ = try channel.received()
        for line in ["a", "b", "c"] { try channel.send(line) }
        #expect(
            try channel.received() == [
                "ran a", "ran b",
                "Too many of your commands are waiting (2); this line was dropped.",
                "#xcdb:prompt 1 xcdb> ",
            ])
    }

    /// Connecting and closing without a byte is a check whether a server answers: nobody
    /// joins, nobody is told.
    @Test func aConnectionThatClosesWithoutAByteIsAProbe() throws {
        let server = EmbeddedServer()
        let channel = try server.connect()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        server.loop.run()
        #expect(!channel.isActive)
        #expect(server.shared.participantCount == 0)
        #expect(!server.hub.scrollback(last: 10).contains { $0.text.contains("connected") })
    }

    /// A plain client's input ends after some lines: their output comes, then the close.
    @Test func theEndOfInputClosesAfterTheLastOutput() throws {
        let server = EmbeddedServer()
        server.input.holdCompletions = true
        let channel = try server.connect()
        try channel.send(".echo one")
        try channel.send(".echo two")
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        server.loop.run()
        #expect(channel.isActive)
        server.input.completeAll()
        server.loop.run()
        let lines = try channel.received()
        #expect(lines.suffix(2) == ["ran .echo one", "ran .echo two"])
        #expect(!channel.isActive)
    }
}

/// The handshake slots alone.
@Suite struct HandshakeSlotsTests {
    @Test func theOldestSilentConnectionMakesRoomThenTheOldest() {
        let slots = HandshakeSlots(total: 10, perAddress: 2)
        let evicted = Locked<[String]>([])
        func admit(_ address: String, _ name: String) -> Int? {
            guard
                case .admitted(let ticket) = slots.admit(
                    address: address,
                    evict: {
                        evicted.withLock { $0.append(name) }
                    })
            else { return nil }
            return ticket
        }
        let first = admit("a", "first")
        _ = admit("a", "second")
        if let first { slots.spoke(first) }
        _ = admit("a", "third")  // the silent second goes, not the first that spoke
        #expect(evicted.withLock { $0 } == ["second"])
        _ = admit("a", "fourth")  // now none is silent but third... third is silent
        #expect(evicted.withLock { $0 } == ["second", "third"])
        if let first { slots.release(first) }
        #expect(slots.count == 1)
    }

    @Test func theTotalIsAHardLimit() {
        let slots = HandshakeSlots(total: 3, perAddress: 3)
        for index in 0..<3 {
            #expect(slots.admit(address: "host\(index)", evict: {}) != .refused)
        }
        #expect(slots.admit(address: "host9", evict: {}) == .refused)
    }
}

/// A shared session served on an `EmbeddedEventLoop`, with a stand-in for the debugger.
final class EmbeddedServer {
    let loop = EmbeddedEventLoop()
    let hub = OutputHub()
    let input: FakeInput
    let limits: SharingLimits
    let shared: SharedSession
    let listener: Listener

    init(password: String? = nil, limits: SharingLimits = SharingLimits()) {
        self.limits = limits
        input = FakeInput(hub: hub)
        shared = SharedSession(hub: hub, input: input, limits: limits, group: loop)
        listener = Listener(
            id: 0,
            options: ListenerOptions(style: .debuggerServer, password: password, how: "test"),
            socketPath: nil, limits: limits)
    }

    /// A new connection (from `address`), active.
    func connect(from address: SocketAddress? = nil) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(LineFrameDecoder()),
            ConnectionHandler(shared: shared, listener: listener))
        let remote = try address ?? SocketAddress(ipAddress: "192.0.2.1", port: 4000)
        channel.remoteAddress = remote
        try channel.connect(to: remote).wait()
        return channel
    }
}

extension EmbeddedChannel {
    /// Sends one line from the client.
    func send(_ line: String) throws {
        try sendBytes(line + "\n")
    }

    func sendBytes(_ text: String) throws {
        var buffer = allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        try writeInbound(buffer)
        embeddedEventLoop.run()
    }

    /// The lines the server has written to this client since the last call.
    func received() throws -> [String] {
        embeddedEventLoop.run()
        var bytes: [UInt8] = []
        while let buffer = try readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        var text = String(decoding: bytes, as: UTF8.self)
        guard !text.isEmpty else { return [] }
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// The debugger's side of a shared session, reduced to what the connection needs: each line
/// is echoed and answered with `ran LINE`, and completes at once or when told.
final class FakeInput: SharedInput, @unchecked Sendable {
    private struct State {
        var lines: [String] = []
        var held: [@Sendable (String?) -> Void] = []
        var hold = false
    }

    let hub: OutputHub
    private let state = Mutex(State())

    init(hub: OutputHub) {
        self.hub = hub
    }

    var lines: [String] { state.withLock { $0.lines } }

    /// Keep completions until `completeAll()` (a command still running).
    var holdCompletions: Bool {
        get { state.withLock { $0.hold } }
        set { state.withLock { $0.hold = newValue } }
    }

    func submit(
        _ line: String, from source: CommandSource,
        completion: @escaping @Sendable (String?) -> Void
    ) {
        hub.emit(.commandEcho, "xcdb> " + line, origin: source)
        hub.emit(.output, "ran " + line, origin: source)
        let hold = state.withLock { state -> Bool in
            state.lines.append(line)
            if state.hold { state.held.append(completion) }
            return state.hold
        }
        if !hold { completion("xcdb> ") }
    }

    func completeAll() {
        let held = state.withLock { state in
            defer { state.held = [] }
            return state.held
        }
        for completion in held { completion("xcdb> ") }
    }

    func interrupt() {}

    var commandNames: [String] { [".echo", "k"] }

    func currentPrompt(_ reply: @escaping @Sendable (String?) -> Void) {
        reply("xcdb> ")
    }
}
