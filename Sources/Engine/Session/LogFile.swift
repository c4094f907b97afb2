import HostSystem
import Synchronization

/// A transcript file (`.logopen`, `-logo`): receives every line the session shows, prompts and
/// commands included, so the file equals what was on the screen.
public final class LogFile: OutputSink {
    public let path: String
    private let file: Mutex<HostFile?>

    /// Opens (creating or truncating, or appending) the file.
    public init(path: String, append: Bool) throws {
        if FileKind(path: path).isPresentButNotAFile {
            throw CommandError.message("Unable to open log file '\(path)': not a regular file")
        }
        guard let file = HostFile(writingAtPath: path, append: append) else {
            throw CommandError.message("Unable to open log file '\(path)'")
        }
        self.path = path
        self.file = Mutex(file)
    }

    public func receive(_ event: OutputEvent) {
        guard event.kind != .clearScreen else { return }
        // A remote participant's command is logged with who typed it, as the console shows it.
        let text = event.kind == .commandEcho ? Attribution.echoLine(for: event) : event.text
        file.withLock { file in
            _ = file?.write((text + "\n").utf8)
        }
    }

    /// Closes the file; later events are dropped.
    public func close() {
        file.withLock { file in
            file?.close()
            file = nil
        }
    }
}
