import FoundationEssentials
import Glibc
import NIOCore
import Synchronization

/// The user at the other end of a Unix-domain socket (`SO_PEERCRED`).
enum PeerCredentials {
    static func userName(of channel: any Channel) -> String? {
        userID(of: channel).map { Identity.userName(uid: $0) }
    }

    /// The connecting process's user id; nil when the channel is not a local socket or is
    /// asked from outside its event loop.
    static func userID(of channel: any Channel) -> uid_t? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        // Called on the channel's own event loop: the future is already complete there.
        guard channel.eventLoop.inEventLoop else { return nil }
        // 17 is SO_PEERCRED on Linux (Glibc hides the name behind _GNU_SOURCE).
        let future: EventLoopFuture<LinuxPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(17))
        let result = Mutex<LinuxPeerCredentials?>(nil)
        future.whenSuccess { value in result.withLock { $0 = value } }
        return result.withLock { $0 }?.uid
    }
}

/// Linux's `struct ucred` (Glibc hides it behind `_GNU_SOURCE`): same layout.
struct LinuxPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
