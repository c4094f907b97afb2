import NIOCore
import Synchronization

/// One participant's bounded queue of lines waiting to be written to its connection.
///
/// The session's output path only ever appends here (never waits on a socket). Lines move to
/// the channel on its event loop, and only while the channel is writable; a participant that
/// stops reading therefore makes its outbox grow, and once it holds more than `limit` bytes the
/// append fails: that participant is told and dropped, and nobody else is slowed.
final class Outbox: Sendable {
    private struct State {
        var lines: [String] = []
        var bytes = 0
        /// A flush is queued on the event loop, or the channel is unwritable and
        /// `channelWritabilityChanged` will flush.
        var flushPending = false
        var closed = false
    }

    private let state = Mutex(State())
    let channel: any Channel
    /// Bytes that may wait here before the participant counts as too slow.
    let limit: Int

    init(channel: any Channel, limit: Int) {
        self.channel = channel
        self.limit = limit
    }

    /// Appends a line. Returns false when it would go over the limit: the outbox is then
    /// closed and emptied, and the caller drops the participant.
    func enqueue(_ line: String) -> Bool {
        let (accepted, schedule) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (true, false) }
            let size = line.utf8.count + 1
            guard state.bytes + size <= limit else {
                state.closed = true
                state.lines = []
                state.bytes = 0
                return (false, false)
            }
            state.lines.append(line)
            state.bytes += size
            guard !state.flushPending else { return (true, false) }
            state.flushPending = true
            return (true, true)
        }
        if schedule {
            channel.eventLoop.execute { self.flush() }
        }
        return accepted
    }

    /// Appends several lines at once (replay), in order.
    func enqueue(_ lines: [String]) -> Bool {
        for line in lines where !enqueue(line) { return false }
        return true
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

    /// Moves the waiting lines to the channel. Runs on the channel's event loop.
    func flush() {
        guard channel.isWritable else { return }  // channelWritabilityChanged flushes later
        let batch = state.withLock { state -> [String] in
            let batch = state.lines
            state.lines = []
            state.bytes = 0
            state.flushPending = false
            return batch
        }
        guard !batch.isEmpty else { return }
        var size = 0
        for line in batch { size += line.utf8.count + 1 }
        var buffer = channel.allocator.buffer(capacity: size)
        for line in batch {
            buffer.writeString(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        channel.writeAndFlush(buffer, promise: nil)
    }
}
