import Engine

/// Where participants' input goes: a debugger `Session` (`.remote`, `.server`), or a child
/// program's standard input (`xremote /s`).
public protocol SharedInput: AnyObject, Sendable {
    /// Runs one line typed by `source`; `completion` runs (on any thread) once it is done, with
    /// the prompt that follows it (nil when the program has no prompts). Must not block the
    /// caller (it is called on network event loops).
    func submit(
        _ line: String, from source: CommandSource,
        completion: @escaping @Sendable (_ prompt: String?) -> Void)

    /// Ctrl-C from a participant.
    func interrupt()

    /// Command names for completion (empty when the program has no table).
    var commandNames: [String] { get }

    /// Calls `reply` (on any thread) with the current prompt, or nil when the program has none.
    func currentPrompt(_ reply: @escaping @Sendable (String?) -> Void)
}
