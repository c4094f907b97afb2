import Glibc

/// A failure of the line editor, with a message a user can act on.
public struct LineEditorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in one sentence.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// "`action`: `strerror(code)`".
    static func system(_ action: String, code: Int32 = errno) -> LineEditorError {
        LineEditorError("\(action): \(String(cString: strerror(code)))")
    }
}
