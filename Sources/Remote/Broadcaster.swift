import Engine
import FoundationEssentials
import NIOCore
import Synchronization

/// Hands every session output line to every connected participant, in the session's one
/// global order, and keeps the scrollback new participants are replayed.
///
/// It is one sink of the session's `OutputHub` (so it is called under the hub's lock, in
/// order) and it only appends to bounded outboxes: it never waits for a socket.
final class Broadcaster: OutputSink {
    struct Member: Sendable {
        let id: Int
        let style: RemoteParticipant.Style
        /// Speaks the control-line protocol (xremote, xcdb -remote) rather than being a person
        /// on socat.
        let isProgram: Bool
        let outbox: Outbox
    }

    private struct Stored {
        let event: OutputEvent
        let clock: String
    }

    private struct State {
        var members: [Member] = []
        var scrollback: RingBuffer<Stored>
    }

    private let state: Mutex<State>
    private let clock = ClockCache()
    /// Called (outside the lock is not guaranteed: under the hub's lock) with the ids of members
    /// whose outbox overflowed. Must not block or emit output synchronously.
    let onOverflow: @Sendable (Int) -> Void
    /// Called for each command echo (under the hub's lock); used to send prompts afterwards.
    let onCommandEcho: @Sendable (OutputEvent) -> Void

    init(
        scrollbackLimit: Int,
        onOverflow: @escaping @Sendable (Int) -> Void,
        onCommandEcho: @escaping @Sendable (OutputEvent) -> Void
    ) {
        state = Mutex(State(scrollback: RingBuffer(capacity: max(1, scrollbackLimit))))
        self.onOverflow = onOverflow
        self.onCommandEcho = onCommandEcho
    }

    /// Fills the scrollback with what the session showed before sharing started.
    func seed(_ events: [OutputEvent]) {
        let label = clock.label()
        state.withLock { state in
            for event in events { state.scrollback.append(Stored(event: event, clock: label)) }
        }
    }

    func receive(_ event: OutputEvent) {
        let label = clock.label()
        var overflowed: [Int] = []
        var flushes = FlushBatch()
        state.withLock { state in
            state.scrollback.append(Stored(event: event, clock: label))
            var cache = RenderCache()
            for member in state.members {
                guard let line = Self.render(event, clock: label, for: member, cache: &cache)
                else { continue }
                switch member.outbox.append(line) {
                case .accepted: break
                case .acceptedNeedsFlush: flushes.add(member.outbox)
                case .refused: overflowed.append(member.id)
                }
            }
            if !overflowed.isEmpty {
                state.members.removeAll { overflowed.contains($0.id) }
            }
        }
        flushes.schedule()
        for id in overflowed { onOverflow(id) }
        if event.kind == .commandEcho { onCommandEcho(event) }
    }

    /// Adds a member and queues, atomically with the live stream, `first` (welcome lines) and
    /// then the last `replay` lines of scrollback. False if the replay alone overflows.
    func join(_ member: Member, first: [String], replay: Int) -> Bool {
        state.withLock { state in
            var ok = member.outbox.enqueue(first)
            for stored in state.scrollback.last(replay) where ok {
                var cache = RenderCache()
                guard
                    let line = Self.render(
                        stored.event, clock: stored.clock, for: member, cache: &cache,
                        isReplay: true)
                else { continue }
                ok = member.outbox.enqueue(line)
            }
            if ok { state.members.append(member) }
            return ok
        }
    }

    /// Replaces a member's description (same id), keeping its place in the order.
    func replace(_ member: Member) {
        state.withLock { state in
            if let index = state.members.firstIndex(where: { $0.id == member.id }) {
                state.members[index] = member
            }
        }
    }

    func remove(_ id: Int) {
        state.withLock { state in state.members.removeAll { $0.id == id } }
    }

    /// Sends a control line to every program member (in order with the transcript).
    func sendControl(_ line: String) {
        var overflowed: [Int] = []
        var flushes = FlushBatch()
        state.withLock { state in
            for member in state.members where member.isProgram {
                switch member.outbox.append(line) {
                case .accepted: break
                case .acceptedNeedsFlush: flushes.add(member.outbox)
                case .refused: overflowed.append(member.id)
                }
            }
            if !overflowed.isEmpty {
                state.members.removeAll { overflowed.contains($0.id) }
            }
        }
        flushes.schedule()
        for id in overflowed { onOverflow(id) }
    }

    var memberCount: Int { state.withLock { $0.members.count } }

    // MARK: - Rendering

    private struct RenderCache {
        var remoteExeEcho: String?
        var serverEcho: String?
    }

    private static func render(
        _ event: OutputEvent, clock: String, for member: Member, cache: inout RenderCache,
        isReplay: Bool = false
    ) -> String? {
        let line: String
        switch event.kind {
        case .clearScreen:
            return nil
        case .commandEcho:
            // The sender's own terminal already shows what it typed (remote.exe does the same);
            // a replay shows everything.
            if !isReplay, event.origin.remoteTypist?.id == member.id { return nil }
            switch member.style {
            case .remoteExe:
                if cache.remoteExeEcho == nil {
                    cache.remoteExeEcho = Attribution.echoLine(
                        for: event, viewer: .remoteExe, clock: clock)
                }
                line = cache.remoteExeEcho ?? event.text
            case .debuggerServer:
                if cache.serverEcho == nil {
                    cache.serverEcho = Attribution.echoLine(
                        for: event, viewer: .debuggerServer, clock: clock)
                }
                line = cache.serverEcho ?? event.text
            }
        case .output, .error, .notice:
            line = event.text
        }
        return member.isProgram ? WireProtocol.transcriptLineForProgram(line) : line
    }
}

/// Outboxes that need a flush, grouped by event loop, so one line to 100 participants costs
/// one task per event loop rather than one per participant.
private struct FlushBatch {
    private var groups: [(loop: any EventLoop, outboxes: [Outbox])] = []

    mutating func add(_ outbox: Outbox) {
        let loop = outbox.channel.eventLoop
        if let index = groups.firstIndex(where: { $0.loop === loop }) {
            groups[index].outboxes.append(outbox)
        } else {
            groups.append((loop, [outbox]))
        }
    }

    func schedule() {
        for group in groups {
            let outboxes = group.outboxes
            group.loop.execute {
                for outbox in outboxes { outbox.flush() }
            }
        }
    }
}

/// `TimeLabel.clock()` for the current minute, computed once per second at most (formatting a
/// time for every line of a busy session would cost more than sending it).
final class ClockCache: Sendable {
    private let cached = Mutex<(second: Int, label: String)>((-1, ""))

    func label() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970)
        return cached.withLock { cached in
            if cached.second != second {
                cached = (second, TimeLabel.clock(now))
            }
            return cached.label
        }
    }
}
