/// How a command echo is shown to someone other than the person who typed it.
///
/// * remote.exe style (`.remote`, `xremote`): the line left-justified, then the typist's label,
///   `0:000> k                        [BOX ann     9:39 AM]`; the console's own commands are
///   labelled `Local` for remote viewers (as remote.exe labels input typed at the server).
/// * debugging-server style (`.server`, `xcdb -remote`): the line preceded by who typed it,
///   `BOX\ann: 0:000> k`; the console's commands carry no prefix (CDB's documented rule).
/// * Start-up and script lines are shown as they are.
public enum Attribution {
    /// Width the echoed line is padded to before the remote.exe label: the prompt (7 columns for
    /// `0:000> `) plus remote.exe's 20-column input field.
    static let remoteExeTextWidth = 27

    /// The echo line for a `commandEcho` event.
    /// - Parameters:
    ///   - viewer: the style of the participant looking at it; nil for the debugger's console.
    ///   - clock: the time label (`9:39 AM`) to show for remote.exe-style echoes.
    public static func echoLine(
        for event: OutputEvent, viewer: RemoteParticipant.Style?, clock: String
    ) -> String {
        if let participant = event.origin.remoteParticipant {
            switch participant.style {
            case .remoteExe:
                return remoteExeLabelled(
                    event.text, label: "\(participant.host) \(participant.user)", clock: clock)
            case .debuggerServer:
                return "\(participant.host)\\\(participant.user): \(event.text)"
            }
        }
        if event.origin.isConsole, viewer == .remoteExe {
            return remoteExeLabelled(event.text, label: "Local", clock: clock)
        }
        return event.text
    }

    /// The echo line as the debugger's own console shows it, labelled with the current time.
    public static func echoLine(for event: OutputEvent) -> String {
        echoLine(for: event, viewer: nil, clock: TimeLabel.clock())
    }

    private static func remoteExeLabelled(_ text: String, label: String, clock: String) -> String {
        "\(text.rightPadded(to: remoteExeTextWidth))    [\(label.rightPadded(to: 12)) \(clock)]"
    }
}
