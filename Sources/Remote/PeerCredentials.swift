import Foundation
import NIOCore
import Synchronization

/// The user at the other end of a Unix-domain socket (`SO_PEERCRED`).
enum PeerCredentials {
    static func userName(of channel: any Channel) -> String? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        // 17 is SO_PEERCRED on Linux (Glibc hides the name behind _GNU_SOURCE).
        let future: EventLoopFuture<LinuxPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(17))
        // Called on the channel's own event loop: the future is already complete there.
        guard channel.eventLoop.inEventLoop else { return nil }
        let result = Mutex<LinuxPeerCredentials?>(nil)
        future.whenSuccess { value in result.withLock { $0 = value } }
        guard let credentials = result.withLock({ $0 }) else { return nil }
        return Identity.userName(uid: credentials.uid)
    }
}

/// Linux's `struct ucred` (Glibc hides it behind `_GNU_SOURCE`): same layout.
struct LinuxPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
