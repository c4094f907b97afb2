import Synchronization

/// Receives session output. Implementations must not block: a terminal writes, a log file
/// appends, a remote connection enqueues into a bounded buffer.
public protocol OutputSink: AnyObject, Sendable {
    func receive(_ event: OutputEvent)
}

/// The session's single output stream. Events are delivered to every sink in one global order
/// (delivery happens under the hub's lock, so two threads emitting at once cannot interleave
/// differently for different sinks). A bounded scrollback lets late joiners catch up.
public final class OutputHub: Sendable {
    public struct SinkID: Hashable, Sendable {
        let raw: Int
    }

    private struct State {
        var sinks: [(id: Int, sink: any OutputSink)] = []
        var nextSinkID = 0
        var nextSequence: UInt64 = 1
        var scrollback: RingBuffer<OutputEvent>
    }

    private let state: Mutex<State>

    /// - Parameter scrollbackLimit: how many recent events are kept for `scrollback(last:)`.
    public init(scrollbackLimit: Int = 10_000) {
        state = Mutex(State(scrollback: RingBuffer(capacity: max(1, scrollbackLimit))))
    }

    /// Adds a sink; it receives every event emitted from now on.
    @discardableResult
    public func add(_ sink: any OutputSink) -> SinkID {
        state.withLock { state in
            let id = state.nextSinkID
            state.nextSinkID += 1
            state.sinks.append((id, sink))
            return SinkID(raw: id)
        }
    }

    /// Adds a sink and atomically hands back the last `count` events, so nothing is lost or
    /// duplicated between the replay and the live stream.
    public func add(_ sink: any OutputSink, replayingLast count: Int) -> (SinkID, [OutputEvent]) {
        state.withLock { state in
            let id = state.nextSinkID
            state.nextSinkID += 1
            state.sinks.append((id, sink))
            return (SinkID(raw: id), state.scrollback.last(count))
        }
    }

    public func remove(_ id: SinkID) {
        state.withLock { state in
            state.sinks.removeAll { $0.id == id.raw }
        }
    }

    /// Emits one event (its sequence number is assigned here). Passwords in command echoes and
    /// error lines (which quote the command) are masked here, on the one path every sink,
    /// log and remote participant shares.
    public func emit(_ kind: OutputEvent.Kind, _ text: String, origin: CommandSource) {
        let text = kind == .commandEcho || kind == .error ? Secrets.redacted(text) : text
        state.withLock { state in
            let event = OutputEvent(
                kind: kind, text: text, origin: origin, sequence: state.nextSequence)
            state.nextSequence &+= 1
            state.scrollback.append(event)
            for entry in state.sinks {
                entry.sink.receive(event)
            }
        }
    }

    /// The most recent `count` events, oldest first.
    public func scrollback(last count: Int) -> [OutputEvent] {
        state.withLock { $0.scrollback.last(count) }
    }
}

/// A fixed-capacity ring of the most recent elements (scrollback for late joiners).
public struct RingBuffer<Element> {
    private var storage: [Element] = []
    private var start = 0
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(min(self.capacity, 1024))
    }

    public var count: Int { storage.count }

    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The last `n` elements, oldest first.
    public func last(_ n: Int) -> [Element] {
        let n = max(0, min(n, storage.count))
        var result: [Element] = []
        result.reserveCapacity(n)
        let first = storage.count - n
        for i in first..<storage.count {
            result.append(storage[(start + i) % storage.count])
        }
        return result
    }
}
