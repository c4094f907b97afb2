import NIOCore

/// Where a connection comes from, as far as sharing out the handshake slots goes: one IPv4
/// address, one IPv6 /64 (a single machine usually has a whole one), or, on a Unix-domain
/// socket, the connecting user (every local connection has the same "address", so the user is
/// the only thing that tells two people apart there).
enum PeerAddress {
    static func key(of channel: any Channel) -> String {
        guard let address = channel.remoteAddress else { return "unknown" }
        switch address {
        case .unixDomainSocket:
            return PeerCredentials.userID(of: channel).map { "uid \($0)" } ?? "unix"
        case .v4:
            return address.ipAddress ?? "unknown"
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d) is that IPv4 address.
            if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF,
                bytes[11] == 0xFF
            {
                return bytes[12..<16].map { String($0) }.joined(separator: ".")
            }
            return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
        }
    }
}
