import Engine
import FoundationEssentials
import Glibc
import NIOCore
import Synchronization

/// How participants joining through one server are treated.
public struct ListenerOptions: Sendable {
    /// remote.exe style (`.remote`, `xremote /s`) or debugging-server style (`.server`).
    public var style: RemoteParticipant.Style
    /// The remote.exe session name, checked against the client's `/c` argument.
    public var sessionName: String?
    public var password: String?
    /// Everyone joining through this server may only look.
    public var readOnly: Bool
    /// How `.clients` and notices name the way in (`npipe:Pipe=x`, `tcp:Port=5005`).
    public var how: String

    public init(
        style: RemoteParticipant.Style, sessionName: String? = nil, password: String? = nil,
        readOnly: Bool = false, how: String
    ) {
        self.style = style
        self.sessionName = sessionName
        self.password = password
        self.readOnly = readOnly
        self.how = how
    }
}

/// One way in to a shared session: a listening socket, or an outgoing connection to a waiting
/// client (`clicon`). Connections made through it keep a reference to it.
final class Listener: Sendable {
    let id: Int
    let options: ListenerOptions
    let passwordCheck: PasswordCheck?
    /// Connections that have not joined yet (identifying, or answering the password prompt).
    let handshakes: HandshakeSlots
    private let channel = Mutex<(any Channel)?>(nil)
    /// The socket file to remove when closing (Unix-domain listeners).
    let socketPath: String?
    /// The port actually bound (TCP listeners).
    let boundPort = Atomic<Int>(0)

    init(id: Int, options: ListenerOptions, socketPath: String?, limits: SharingLimits) {
        self.id = id
        self.options = options
        self.passwordCheck = options.password.map(PasswordCheck.init(password:))
        self.socketPath = socketPath
        self.handshakes = HandshakeSlots(
            total: limits.maximumPendingHandshakes, perAddress: limits.pendingHandshakesPerAddress)
    }

    func attach(_ channel: any Channel) {
        self.channel.withLock { $0 = channel }
    }

    var isOpen: Bool { channel.withLock { $0?.isActive ?? false } }

    /// Stops accepting connections (those already made stay) and removes the socket file.
    func close() {
        let channel = self.channel.withLock { channel -> (any Channel)? in
            let current = channel
            channel = nil
            return current
        }
        if let channel { try? channel.close().wait() }
        if let socketPath, channel != nil {
            unlink(socketPath)
            ExitCleanup.forget(socketPath)
        }
    }
}
