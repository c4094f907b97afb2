/// One entry of the command table: everything `.help`, completion, the read-only check and the
/// "not available on this target" errors need, plus the handler. One declaration per command
/// (or per family of commands sharing a parser, such as `d*`), each in its own file under
/// `Builtins/`.
public struct Command: Sendable {
    /// CDB's three families.
    public enum Kind: Sendable, Equatable {
        /// `k`, `dd`, `?`, `~`, `$<`.
        case regular
        /// `.logopen`, `.formats` (meta-commands).
        case dot
        /// `!analyze`, `!peb` (extension commands).
        case bang
    }

    /// What must be true of the session before the handler runs.
    public struct Requirements: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Some target must be open.
        public static let target = Requirements(rawValue: 1 << 0)
        /// The target must be able to run (`g`, `p`, `bp`).
        public static let liveTarget = Requirements(rawValue: 1 << 1)
        /// A kernel target (`!process`, `.bugcheck`).
        public static let kernelTarget = Requirements(rawValue: 1 << 2)
        /// A user-mode target (`!peb`, `.ecxr`).
        public static let userTarget = Requirements(rawValue: 1 << 3)
        /// A target whose memory can be changed (`e*`); the handler gets it from
        /// `CommandInvocation.memoryWriter()`.
        public static let writableMemory = Requirements(rawValue: 1 << 4)
    }

    /// What pressing Enter on an empty line does after this command.
    public enum Repeat: Sendable, Equatable {
        /// Nothing.
        case never
        /// Runs the same command line again (`p`, `t`).
        case sameLine
        /// Runs the command again without arguments, so it continues where it stopped
        /// (`dd`, `u`).
        case continuation
    }

    /// What kind of argument the command takes, for Tab completion.
    public enum ArgumentKind: Sendable, Equatable {
        case none
        case expression
        case filePath
        case commandName
        case text
    }

    /// The name as typed, including the `.` or `!` (`"k"`, `".logopen"`, `"!analyze"`).
    public var name: String
    /// Other names that run the same handler (`.excr` for `.ecxr`).
    public var aliases: [String]
    /// One line for `.help`.
    public var summary: String
    /// The syntax line (`lm[Options] [a Address] [m Pattern]`).
    public var usage: String
    /// Extra lines shown by `.help NAME`.
    public var details: [String]
    public var requirements: Requirements
    /// What each form changes; the session refuses read-only participants the changing forms.
    public var effect: CommandEffect
    public var repeatBehavior: Repeat
    public var argument: ArgumentKind
    /// Letters that may follow the name as options (`kb`, `kvn`, `lmvm`); they are passed to
    /// the handler as `invocation.suffix`. Case is kept (`kp` and `kP` differ).
    public var suffixLetters: String
    /// The command takes the rest of the line, `;` included (`$<`, `*`, `as`).
    public var takesRestOfLine: Bool
    /// For commands whose own syntax decides where they end (`.if (c) { a; b } .else { c }`,
    /// `aS Name "a;b"`): given the text from the command word on, the index where the command
    /// ends (a `;` there separates the next command).
    public var extent: (@Sendable (Substring) -> Substring.Index)?
    public var handler: @Sendable (CommandInvocation) throws -> Void

    public init(
        name: String,
        aliases: [String] = [],
        summary: String,
        usage: String? = nil,
        details: [String] = [],
        requirements: Requirements = [],
        effect: CommandEffect = .none,
        repeatBehavior: Repeat = .never,
        argument: ArgumentKind = .none,
        suffixLetters: String = "",
        takesRestOfLine: Bool = false,
        extent: (@Sendable (Substring) -> Substring.Index)? = nil,
        handler: @escaping @Sendable (CommandInvocation) throws -> Void
    ) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.usage = usage ?? name
        self.details = details
        self.requirements = requirements
        self.effect = effect
        self.repeatBehavior = repeatBehavior
        self.argument = argument
        self.suffixLetters = suffixLetters
        self.takesRestOfLine = takesRestOfLine
        self.extent = extent
        self.handler = handler
    }

    public var kind: Kind {
        if name.hasPrefix(".") { return .dot }
        if name.hasPrefix("!") { return .bang }
        return .regular
    }

    /// Every name this command answers to.
    public var allNames: [String] { [name] + aliases }
}
