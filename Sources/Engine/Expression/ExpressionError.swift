/// An expression that could not be evaluated, in CDB's words.
///
/// CDB reports evaluator errors as `<Kind> error at '<rest of the input>'`, where the rest starts
/// at the token the evaluator was looking at. The command layer may instead print a caret under
/// `offset` and `<Kind> error in '<command line>'`; both forms come from `kind.text`.
///
/// Where each error points:
/// * syntax: the offending character (end of input when something is missing);
/// * couldn't resolve, bad register, overflow: the start of the name or number;
/// * memory access, divide by zero: the last token of the operand that failed, so
///   `poi(0)` gives `Memory access error at ')'` and `1/0` gives `Divide by zero error at '0'`,
///   as CDB (which evaluates while it parses) shows them.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error classes CDB's evaluator reports.
    public enum Kind: Sendable, Equatable {
        /// `Syntax error`: malformed input, or a pseudo-register that is unavailable.
        case syntax
        /// `Couldn't resolve error`: a name that is no number, register or symbol.
        case couldNotResolve
        /// `Bad register error`: `@name` that is no register, or a register without a value.
        case badRegister
        /// `Memory access error`: `poi`/`by`/`wo`/`dwo`/`qwo` on unreadable memory.
        case memoryAccess
        /// `Divide by zero error`: `/`, `%` or `mod` by zero.
        case divideByZero
        /// `Overflow error`: a number literal that does not fit in 64 bits.
        case overflow
        /// `Operand error`: an operation CDB rejects for its operand (`$iment` on a non-image).
        case operand
        /// Parentheses and unary operators nested beyond `MASMEvaluator.maximumNestingDepth`.
        case tooDeeplyNested
        /// `@@c++(...)` and other C++-evaluator forms, which xcdb does not implement.
        case unsupportedCPlusPlus

        /// The text before ` error`, as CDB prints it.
        public var text: String {
            switch self {
            case .syntax: "Syntax"
            case .couldNotResolve: "Couldn't resolve"
            case .badRegister: "Bad register"
            case .memoryAccess: "Memory access"
            case .divideByZero: "Divide by zero"
            case .overflow: "Overflow"
            case .operand: "Operand"
            case .tooDeeplyNested: "Expression nested too deeply"
            case .unsupportedCPlusPlus: "C++ expression not supported"
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// UTF-8 offset of the error in the evaluated text (the caret column for ASCII input).
    public var offset: Int
    /// The evaluated text from `offset` to its end: what CDB quotes after `at`.
    public var remainder: String

    public init(kind: Kind, offset: Int, remainder: String) {
        self.kind = kind
        self.offset = offset
        self.remainder = remainder
    }

    /// `Syntax error at '+'`: CDB's evaluator message.
    public var message: String { "\(kind.text) error at '\(remainder)'" }

    /// `Syntax error in 'dd 1000+'`: the form CDB prints under a caret for a whole command.
    public func message(inCommand command: String) -> String {
        "\(kind.text) error in '\(command)'"
    }

    public var description: String { message }
}
