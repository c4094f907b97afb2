/// What the control-flow commands of one typed line share while it runs: a pending `.break`,
/// `.continue` or `.leave`, how many loops and `.catch` blocks enclose the running command,
/// the `.foreach` variables and script arguments in scope, and where the output of commands
/// whose output is being read (`.foreach`, `as /c`) goes. It lives in the line's
/// `ExecutionBudget`, so every nested run of the line sees the same one. Only touched on the
/// session queue.
public final class ScriptFlow {
    /// A jump out of the running block, set by `.break`, `.continue` or `.leave` and taken by
    /// the innermost construct that handles it.
    public enum Jump: Sendable, Equatable {
        case breakLoop
        case continueLoop
        case leaveCatch
    }

    /// The jump under way: the command that set it failed quietly, so every block between it
    /// and its construct stops; the construct clears it.
    public var pendingJump: Jump?
    /// Loops (`.for`, `.while`, `.do`, `.foreach`) around the running command.
    public var loopDepth = 0
    /// `.catch` blocks around the running command.
    public var catchDepth = 0

    /// Names bound for the blocks running now (`.foreach` variables, `$$>a<` arguments),
    /// innermost last; they are expanded like aliases and shadow aliases of the same name.
    public private(set) var scopes: [[String: String]] = []
    /// Output being read by a command instead of shown, innermost last.
    private var captures: [OutputCapture] = []

    init() {}

    /// Runs `body` with `bindings` in scope.
    public func withScope<T>(_ bindings: [String: String], _ body: () throws -> T) rethrows -> T {
        scopes.append(bindings)
        defer { scopes.removeLast() }
        return try body()
    }

    /// The value bound to `name` in the innermost scope that binds it.
    public func scopedValue(of name: String) -> String? {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        return nil
    }

    /// Runs `body` and returns the output lines it wrote instead of showing them (errors are
    /// still shown). At most `OutputCapture.maximumBytes` are kept.
    public func capturingOutput(_ body: () throws -> Void) rethrows -> [String] {
        let capture = OutputCapture()
        captures.append(capture)
        defer { captures.removeLast() }
        try body()
        return capture.lines
    }

    /// Where output goes now instead of the screen, if anywhere.
    var activeCapture: OutputCapture? { captures.last }
}

/// Output lines a command reads instead of showing (`.foreach`, `as /c`), bounded.
final class OutputCapture {
    /// More output than this is dropped: the readers want tokens, not megabytes.
    static let maximumBytes = 4 << 20

    private(set) var lines: [String] = []
    private var bytes = 0

    func append(_ line: String) {
        guard bytes + line.utf8.count <= Self.maximumBytes else { return }
        bytes += line.utf8.count + 1
        lines.append(line)
    }
}
