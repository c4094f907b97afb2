/// How a command issued by someone other than the viewer is shown. Console and script commands
/// appear as the prompt and the command; a remote participant's command carries who typed it.
public enum Attribution {
    /// The echo line for a `commandEcho` event as another participant sees it.
    public static func echoLine(for event: OutputEvent) -> String {
        guard let participant = event.origin.remoteParticipant else { return event.text }
        switch participant.style {
        case .remoteExe:
            // remote.exe labels other participants' input with their computer name.
            return "\(event.text)    [\(participant.host) \(participant.user)]"
        case .debuggerServer:
            return "\(participant.host)\\\(participant.user) (remote): \(event.text)"
        }
    }
}
