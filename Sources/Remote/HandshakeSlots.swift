import Synchronization

/// The connections of one server that have not joined yet (identifying themselves or answering
/// the password prompt), shared out so that connections which never finish cannot keep real
/// people out.
///
/// At most `total` wait at once, and at most `perAddress` from one address (see
/// `PeerAddress`). When an address is over its share, one of its own waiting connections
/// makes room for the newcomer: the oldest that has not said a whole line, else the oldest.
/// (Making room means closing it when it was asked for a password, joining it at once as a
/// plain client when not.) So a crowd of silent connections costs its address nothing but
/// churn, and a real client (whose hello arrives at once) gets in even from the same address.
/// Only when `total` is reached are newcomers refused.
final class HandshakeSlots: Sendable {
    enum Admission: Equatable {
        /// Keep the ticket; give it back with `release(_:)`.
        case admitted(ticket: Int)
        case refused
    }

    private struct Entry {
        let address: String
        var spoke = false
        /// Makes the connection give its slot back (on its own event loop).
        let evict: @Sendable () -> Void
    }

    private struct State {
        var nextTicket = 0
        /// By ticket; tickets grow, so the smallest is the oldest.
        var entries: [Int: Entry] = [:]
    }

    let total: Int
    let perAddress: Int
    private let state = Mutex(State())

    init(total: Int, perAddress: Int) {
        self.total = max(1, total)
        self.perAddress = max(1, min(perAddress, total))
    }

    /// Takes a slot for a connection from `address`; `evict` is called (outside any lock) if
    /// it later has to make room for a newer connection from the same address.
    func admit(address: String, evict: @escaping @Sendable () -> Void) -> Admission {
        let (admission, victim) = state.withLock {
            state -> (Admission, (@Sendable () -> Void)?) in
            var victim: (@Sendable () -> Void)?
            let mine = state.entries.filter { $0.value.address == address }
            if mine.count >= perAddress {
                let silent = mine.filter { !$0.value.spoke }.keys.min()
                if let chosen = silent ?? mine.keys.min() {
                    victim = state.entries.removeValue(forKey: chosen)?.evict
                }
            }
            guard state.entries.count < total else { return (.refused, victim) }
            let ticket = state.nextTicket
            state.nextTicket += 1
            state.entries[ticket] = Entry(address: address, evict: evict)
            return (.admitted(ticket: ticket), victim)
        }
        victim?()
        return admission
    }

    /// The connection said a whole line: it is no longer the first to make room.
    func spoke(_ ticket: Int) {
        state.withLock { $0.entries[ticket]?.spoke = true }
    }

    /// Gives the slot back (joined, refused or closed). Harmless for an evicted ticket.
    func release(_ ticket: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: ticket) }
    }

    /// Connections waiting now.
    var count: Int { state.withLock { $0.entries.count } }
}
