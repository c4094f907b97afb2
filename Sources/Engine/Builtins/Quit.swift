extension Builtins {
    /// `q`: end the session and exit the debugger.
    static let quit = Command(
        name: "q",
        summary: "quit: end the debugging session and exit",
        usage: "q",
        details: [
            "From a remote participant, q does not end the shared session (CDB's pages",
            "disagree on this; xcdb picks the safe reading): use qq to end it for everyone.",
        ],
        effect: .changesSession
    ) { invocation in
        if invocation.source.remoteParticipant != nil {
            invocation.out.line(
                "q from a remote participant does not end the shared session. "
                    + "Use qq to end it for everyone, or @Q / .remote_exit to leave.")
            return
        }
        invocation.out.line("quit:")
        invocation.state.quitRequested = true
    }

    /// `qq`: quit, also from a remote participant.
    static let quitQuietly = Command(
        name: "qq",
        summary: "quit: end the session for everyone, even from a remote participant",
        usage: "qq",
        effect: .changesSession
    ) { invocation in
        invocation.out.line("quit:")
        invocation.state.quitRequested = true
    }

    /// `qd`: quit and detach (the target keeps running; for a dump the same as `q`).
    static let quitAndDetach = Command(
        name: "qd",
        summary: "quit and detach, leaving the target running",
        usage: "qd",
        effect: .changesSession
    ) { invocation in
        invocation.out.line("quit:")
        invocation.state.quitRequested = true
    }
}
