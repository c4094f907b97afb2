import Dispatch
import NIOCore
import Synchronization

/// One participant's bounded queue of lines waiting to be written to its connection.
///
/// The session's output path only ever appends here (never waits on a socket). Lines move to
/// the channel on its event loop, and only while the channel is writable. A participant that
/// stops reading makes its outbox grow; once more than `softLimit` bytes wait and nothing has
/// moved for `stallTimeout`, or more than `hardLimit` bytes wait at all, the append fails: that
/// participant is told and dropped, and nobody else is slowed. A healthy reader taking in a burst
/// of output keeps moving, so it is not dropped unless the burst passes the hard limit.
final class Outbox: Sendable {
    private struct State {
        var lines: [String] = []
        var bytes = 0
        /// A flush is queued on the event loop, or the channel is unwritable and
        /// `channelWritabilityChanged` will flush.
        var flushPending = false
        var closed = false
        /// When lines last moved to the channel (or started waiting), in uptime nanoseconds.
        var lastProgress: UInt64 = 0
        /// A stall check is scheduled (the channel was unwritable with lines waiting).
        var stallCheckPending = false
        /// `drop` or `closeAfterDrain` has taken over the end of the connection.
        var droppedOrDraining = false
    }

    private let state = Mutex(State())
    let channel: any Channel
    let softLimit: Int
    let hardLimit: Int
    let stallTimeout: UInt64

    /// Called once when a stall check finds the participant too far behind (no output needs to
    /// arrive for that).
    let onStall: @Sendable () -> Void

    init(channel: any Channel, limits: SharingLimits, onStall: @escaping @Sendable () -> Void) {
        self.channel = channel
        self.onStall = onStall
        self.softLimit = limits.outboxBytes
        self.hardLimit = max(limits.outboxBytes, limits.outboxHardBytes)
        self.stallTimeout = UInt64(max(0, limits.stallTimeout.nanoseconds))
    }

    /// Appends a line. Returns false when the participant is too far behind: the outbox is then
    /// closed and emptied, and the caller drops the participant.
    func enqueue(_ line: String) -> Bool {
        let result = append(line)
        if result == .acceptedNeedsFlush {
            channel.eventLoop.execute { self.flush() }
        }
        return result != .refused
    }

    enum AppendResult {
        case accepted
        /// Accepted, and nobody has asked for a flush yet: the caller must call `flush()` on
        /// the channel's event loop (the broadcaster does it once per loop for many outboxes).
        case acceptedNeedsFlush
        /// Too far behind: the outbox is closed and emptied.
        case refused
    }

    /// Appends a line without scheduling the flush.
    func append(_ line: String) -> AppendResult {
        state.withLock { state -> AppendResult in
            guard !state.closed else { return .accepted }
            let size = line.utf8.count + 1
            let now = DispatchTime.now().uptimeNanoseconds
            if state.bytes == 0 { state.lastProgress = now }
            let total = state.bytes + size
            let stalled = total > softLimit && now - state.lastProgress > stallTimeout
            guard total <= hardLimit, !stalled else {
                state.closed = true
                state.lines = []
                state.bytes = 0
                return .refused
            }
            state.lines.append(line)
            state.bytes = total
            guard !state.flushPending else { return .accepted }
            state.flushPending = true
            return .acceptedNeedsFlush
        }
    }

    /// Appends several lines at once (replay), in order.
    func enqueue(_ lines: [String]) -> Bool {
        for line in lines where !enqueue(line) { return false }
        return true
    }

    private func scheduleStallCheck() {
        let schedule = state.withLock { state -> Bool in
            guard !state.closed, !state.stallCheckPending else { return false }
            state.stallCheckPending = true
            return true
        }
        guard schedule else { return }
        channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(stallTimeout) + 1_000_000)) {
            self.checkStall()
        }
    }

    /// Drops the participant if lines still wait past the soft limit with no progress.
    private func checkStall() {
        let verdict = state.withLock { state -> Bool? in
            state.stallCheckPending = false
            guard !state.closed, state.bytes > 0 else { return false }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now - state.lastProgress > stallTimeout else { return nil }
            guard state.bytes > softLimit else { return nil }
            state.closed = true
            state.lines = []
            state.bytes = 0
            return true
        }
        switch verdict {
        case true?: onStall()
        case nil: if !channel.isWritable { scheduleStallCheck() }
        case false?: break
        }
    }

    /// Bytes waiting (for `.clients`-style diagnostics and tests).
    var pendingBytes: Int { state.withLock { $0.bytes } }

    /// Stops accepting lines (the connection is closing).
    func close() {
        state.withLock { state in
            state.closed = true
            state.lines = []
            state.bytes = 0
        }
    }

    /// The participant is leaving: no more transcript lines; what waits and then `final` are
    /// sent, and the connection closes once all of it was written (or after `linger`, for a
    /// peer that does not read). Call it once; later calls do nothing.
    func closeAfterDrain(final: [String], linger: TimeAmount) {
        let batch = state.withLock { state -> [String]? in
            guard !state.closed else { return nil }
            state.closed = true
            state.droppedOrDraining = true
            defer {
                state.lines = []
                state.bytes = 0
            }
            return state.lines + final
        }
        guard let batch else { return }
        writeThenClose(batch, linger: linger)
    }

    /// The participant is too far behind: what waits for it here is thrown away, and `final`
    /// (why it is dropped) is written after the output already handed to the connection, so a
    /// peer that reads again gets whole lines, then `final`, then the end of the stream.
    /// False when the outbox was already closed (dropped or leaving).
    @discardableResult
    func drop(final: [String], linger: TimeAmount) -> Bool {
        let first = state.withLock { state -> Bool in
            let first = !state.droppedOrDraining
            state.droppedOrDraining = true
            state.closed = true
            state.lines = []
            state.bytes = 0
            return first
        }
        guard first else { return false }
        writeThenClose(final, linger: linger)
        return true
    }

    /// Writes `lines` behind everything already written, then closes the connection when they
    /// are out (written to the socket), or after `linger` at the latest.
    private func writeThenClose(_ lines: [String], linger: TimeAmount) {
        let channel = self.channel
        channel.eventLoop.execute {
            let buffer = Self.buffer(of: lines, allocator: channel.allocator)
            let deadline = channel.eventLoop.scheduleTask(in: linger) {
                channel.close(promise: nil)
            }
            channel.writeAndFlush(buffer).whenComplete { _ in
                deadline.cancel()
                channel.close(promise: nil)
            }
        }
    }

    /// Moves the waiting lines to the channel. Runs on the channel's event loop.
    func flush() {
        guard channel.isWritable else {
            // channelWritabilityChanged flushes later; meanwhile watch for a reader that stopped.
            scheduleStallCheck()
            return
        }
        let batch = state.withLock { state -> [String] in
            let batch = state.lines
            state.lines = []
            state.bytes = 0
            state.flushPending = false
            state.lastProgress = DispatchTime.now().uptimeNanoseconds
            return batch
        }
        guard !batch.isEmpty else { return }
        channel.writeAndFlush(Self.buffer(of: batch, allocator: channel.allocator), promise: nil)
    }

    /// The lines, each ending with a line feed, in one buffer. Joined as one string first: one
    /// copy into the buffer per batch rather than two writes per line.
    static func buffer(of lines: [String], allocator: ByteBufferAllocator) -> ByteBuffer {
        guard !lines.isEmpty else { return allocator.buffer(capacity: 0) }
        var text = lines.joined(separator: "\n")
        text.append("\n")
        return allocator.buffer(string: text)
    }
}
