/// What running a command changes, declared in its table entry per form: `r` only displays
/// while `r rax=1` changes the target, `~` lists threads while `~1s` changes the session.
///
/// The session evaluates the declaration on the parsed command (name, option letters,
/// arguments) before the handler runs, and refuses read-only participants every form that
/// changes something. That one central check is the only read-only check: handlers never
/// check rights themselves, so a new handler cannot forget to. Classifiers look at the text
/// only (they evaluate nothing) and, when unsure, call a form a change.
public struct CommandEffect: Sendable {
    /// What one form of a command changes.
    public enum Kind: Sendable, Equatable {
        /// Only displays (`k`, `dd`, `lm`, `?`, `r`), or runs other lines that are each
        /// checked on their own (`$< file`, `~* k`).
        case none
        /// Changes the target: memory, registers, execution, breakpoints, thread suspension
        /// (`g`, `ed`, `bp`, `r rax=1`, `~1f`).
        case changesTarget
        /// Changes what everyone in the session sees or the debugger itself: current thread,
        /// frame or context, radix, symbol path, log files, servers, quitting (`~1s`,
        /// `.frame 2`, `.ecxr`, `n 10`, `.logopen`, `q`).
        case changesSession

        /// True for the forms read-only participants may not run.
        public var isChange: Bool { self != .none }
    }

    /// One form as `.help` shows it, with what it changes.
    public struct Form: Sendable, Equatable {
        public var syntax: String
        public var kind: Kind

        public init(_ syntax: String, _ kind: Kind) {
            self.syntax = syntax
            self.kind = kind
        }
    }

    /// The forms `.help` lists; empty when every form has the same effect (`uniform`).
    public let forms: [Form]
    /// The effect of every form, for commands without per-form declarations.
    public let uniform: Kind?
    private let classifier: @Sendable (CommandTable.Match) -> Kind

    /// The same effect for every form.
    public init(always kind: Kind) {
        forms = []
        uniform = kind
        classifier = { _ in kind }
    }

    /// Effects that depend on the form; `forms` document them for `.help`.
    public init(forms: [Form], classify: @escaping @Sendable (CommandTable.Match) -> Kind) {
        self.forms = forms
        uniform = nil
        classifier = classify
    }

    /// What this use of the command changes.
    public func kind(of match: CommandTable.Match) -> Kind {
        classifier(match)
    }

    public static let none = CommandEffect(always: .none)
    public static let changesTarget = CommandEffect(always: .changesTarget)
    public static let changesSession = CommandEffect(always: .changesSession)

    /// Displays without arguments, changes with any (`n` / `n 10`, `.sympath` / `.sympath X`).
    public static func displaysUnlessArguments(
        display: String, change: String, kind: Kind
    ) -> CommandEffect {
        CommandEffect(forms: [Form(display, .none), Form(change, kind)]) { match in
            hasArguments(match.arguments) ? kind : .none
        }
    }

    /// True when `text` holds anything but blanks.
    static func hasArguments(_ text: Substring) -> Bool {
        text.contains { !$0.isWhitespace }
    }
}
