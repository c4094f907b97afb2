import Foundation
import Synchronization

/// A transcript file (`.logopen`, `-logo`): receives every line the session shows, prompts and
/// commands included, so the file equals what was on the screen.
public final class LogFile: OutputSink {
    public let path: String
    private let handle: Mutex<FileHandle?>

    /// Opens (creating or truncating, or appending) the file.
    public init(path: String, append: Bool) throws {
        let manager = FileManager.default
        if FileKind(path: path) == .other {
            throw CommandError.message("Unable to open log file '\(path)': not a regular file")
        }
        if !append || !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw CommandError.message("Unable to open log file '\(path)'")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CommandError.message("Unable to open log file '\(path)'")
        }
        if append { handle.seekToEndOfFile() }
        self.path = path
        self.handle = Mutex(handle)
    }

    public func receive(_ event: OutputEvent) {
        guard event.kind != .clearScreen else { return }
        // A remote participant's command is logged with who typed it, as the console shows it.
        let text = event.kind == .commandEcho ? Attribution.echoLine(for: event) : event.text
        let data = Data((text + "\n").utf8)
        handle.withLock { handle in
            try? handle?.write(contentsOf: data)
        }
    }

    /// Closes the file; later events are dropped.
    public func close() {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
