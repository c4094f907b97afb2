/// What the sharing commands (`.remote`, `.server`, `.servers`, `.endsrv`, `.clients`,
/// `.remote_exit`) ask of the machinery that shares a session over the network.
///
/// The engine knows nothing of sockets: the Frontend injects an implementation (the `Remote`
/// module's) into `DebuggerState.sharing`. Every method is called on the session's command queue
/// and must not wait for that queue; it may wait briefly for a socket to be bound.
public protocol SessionSharing: AnyObject, Sendable {
    /// `.remote NAME`: starts a remote.exe-style session named `name` and returns the lines to
    /// show (the server banner and how to join).
    func startRemote(name: String) throws(CommandError) -> [String]

    /// `.remote_exit` typed at the console: ends the remote.exe-style session, disconnecting its
    /// participants. Returns the lines to show.
    func stopRemote() throws(CommandError) -> [String]

    /// `.server TRANSPORT` / `-server TRANSPORT`: starts a debugging server. Returns the lines to
    /// show (`Server started with '...'` with any password masked).
    func startServer(transport: String) throws(CommandError) -> [String]

    /// `.servers`: one line per server started by this debugger (`0 - Debugger Server - ...`).
    func serverListing() -> [String]

    /// `.endsrv ID`: stops a server accepting new clients (connected ones stay).
    func endServer(id: Int) throws(CommandError) -> [String]

    /// `.clients`: one line per connected participant (user, host, how, since when).
    func clientListing() -> [String]

    /// A remote participant leaves the session (`.remote_exit` typed by them). The connection is
    /// closed after the output already queued for it has been sent.
    func disconnect(participantID: Int)
}

extension DebuggerState {
    /// Whether this session can be shared at all (the Frontend injects the implementation).
    public func requireSharing() throws(CommandError) -> any SessionSharing {
        guard let sharing else {
            throw CommandError.message(
                "Session sharing is not available in this program (no network layer is linked).")
        }
        return sharing
    }
}
