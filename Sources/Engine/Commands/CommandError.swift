/// An error a command reports. The session renders it the way CDB does, with a caret under the
/// offending column when there is one:
/// ```
/// 0:000> dd foo
///           ^ Couldn't resolve error at 'foo'
/// ```
public struct CommandError: Error, Sendable {
    public enum Form: Sendable {
        /// `^ <kind> in '<command text>'` (Syntax error, No runnable debuggees error, ...).
        case inCommand(kind: String)
        /// `^ <kind> at '<text from the position to the end of the command>'`
        /// (Couldn't resolve error, Memory access error).
        case atPosition(kind: String, text: String?)
        /// Plain lines, no caret.
        case lines([String])
    }

    public var form: Form
    /// Where in the command line the problem is (an index into the line the command came
    /// from; arguments are substrings of it). Nil puts the caret under the command's start.
    public var position: String.Index?

    public init(_ form: Form, at position: String.Index? = nil) {
        self.form = form
        self.position = position
    }

    /// `^ Syntax error in '...'`.
    public static func syntax(at position: String.Index? = nil) -> CommandError {
        CommandError(.inCommand(kind: "Syntax error"), at: position)
    }

    /// `^ No runnable debuggees error in '...'` (execution commands on a dump).
    public static let noRunnableDebuggees = CommandError(
        .inCommand(kind: "No runnable debuggees error"))

    /// `^ Couldn't resolve error at '...'`.
    public static func couldNotResolve(_ text: String? = nil, at position: String.Index? = nil)
        -> CommandError
    {
        CommandError(.atPosition(kind: "Couldn't resolve error", text: text), at: position)
    }

    /// A plain message line, no caret.
    public static func message(_ text: String) -> CommandError {
        CommandError(.lines([text]))
    }

    /// Several plain lines.
    public static func lines(_ texts: [String]) -> CommandError {
        CommandError(.lines(texts))
    }

    /// Renders the error as the lines CDB prints.
    /// - Parameters:
    ///   - line: the whole command line the command came from.
    ///   - command: the command's own text within that line.
    ///   - promptWidth: columns taken by the prompt, so the caret lines up under the text.
    public func render(line: String, command: Substring, promptWidth: Int) -> [String] {
        let position = self.position ?? command.startIndex
        let clamped = min(max(position, line.startIndex), line.endIndex)
        let column = line.distance(from: line.startIndex, to: clamped)
        let indent = String(repeating: " ", count: max(0, promptWidth + column))
        let commandText = command.trimmingWhitespace()
        switch form {
        case .inCommand(let kind):
            return ["\(indent)^ \(kind) in '\(commandText)'"]
        case .atPosition(let kind, let text):
            let shown: String
            if let text {
                shown = text
            } else if clamped >= command.startIndex && clamped <= command.endIndex {
                shown = String(command[clamped...]).trimmingWhitespace()
            } else {
                shown = commandText
            }
            return ["\(indent)^ \(kind) at '\(shown)'"]
        case .lines(let lines):
            return lines.flatMap {
                $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
