import Engine

/// Participants' lines go to the debugger's session queue, like console input.
final class DebuggerInput: SharedInput {
    let session: Session
    /// Called (on the session queue) when a participant's `qq` ends the session.
    let onQuit: @Sendable () -> Void

    init(session: Session, onQuit: @escaping @Sendable () -> Void) {
        self.session = session
        self.onQuit = onQuit
    }

    func submit(
        _ line: String, from source: CommandSource,
        completion: @escaping @Sendable (_ prompt: String?) -> Void
    ) {
        let onQuit = self.onQuit
        let session = self.session
        session.submit(line, from: source, echo: true) { outcome in
            // On the session queue, right after the line: the prompt that follows it.
            completion(session.prompt)
            if outcome == .quit { onQuit() }
        }
    }

    func interrupt() {
        session.interrupt.raise()
    }

    var commandNames: [String] {
        session.table.commands.flatMap(\.allNames).sorted()
    }

    func currentPrompt(_ reply: @escaping @Sendable (String?) -> Void) {
        session.perform { state in reply(state.prompt) }
    }
}
