/// The postfix language of Breakpad unwind rules (`STACK CFI` expressions and `STACK WIN`
/// program strings), after Breakpad's `PostfixEvaluator`:
///
/// * tokens are separated by white space (an `=` glued to the next token, as MSVC 2010
///   sometimes writes it, is split off);
/// * a token that reads as a decimal integer (optionally negative) is a literal;
/// * `+ - * / %` and `@` (align: `a & ~(b - 1)`) take two values; `^` reads one word of
///   memory at the popped address; `=` assigns a value to a `$`-variable (program strings
///   only);
/// * any other token is a name, resolved when an operator needs its value.
///
/// Arithmetic wraps at the word size (4 or 8 bytes), as Breakpad's does with its
/// `uint32_t`/`uint64_t` evaluators. Division by zero, an unknown name, unreadable memory, a
/// stack deeper than `maximumStackDepth` or a program longer than `maximumTokens` stop
/// evaluation with an error. There are no loops, so evaluation always ends.
struct PostfixMachine {
    static let maximumStackDepth = 128
    static let maximumTokens = 4096

    enum Entry {
        case value(UInt64)
        case name(Substring)
    }

    /// Variable values by the key `key(for:)` gives.
    var variables: [String: UInt64]
    /// Keys assigned by `=` during this run.
    private(set) var assigned: Set<String> = []
    let wordSize: Int
    let readMemory: UnwindMemoryReader
    /// Program strings may assign; CFI expressions may not.
    let allowsAssignment: Bool
    /// CFI expressions write registers as `$rsp` or `rsp`; both name the key `rsp`.
    let stripsDollarPrefix: Bool

    private var stack: [Entry] = []

    init(
        variables: [String: UInt64], wordSize: Int, allowsAssignment: Bool,
        stripsDollarPrefix: Bool, readMemory: @escaping UnwindMemoryReader
    ) {
        self.wordSize = wordSize
        self.readMemory = readMemory
        self.allowsAssignment = allowsAssignment
        self.stripsDollarPrefix = stripsDollarPrefix
        self.variables = variables
    }

    private var mask: UInt64 { wordSize >= 8 ? UInt64.max : (UInt64(1) << (wordSize * 8)) - 1 }

    func key(for name: Substring) -> String {
        String(stripsDollarPrefix && name.first == "$" ? name.dropFirst() : name)
    }

    /// Runs `program` and returns what is left on the stack.
    mutating func run(_ program: String) throws(UnwindRuleError) -> [Entry] {
        stack.removeAll(keepingCapacity: true)
        var count = 0
        for raw in program.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            count += 1
            guard count <= Self.maximumTokens else {
                throw UnwindRuleError("unwind program is longer than \(Self.maximumTokens) tokens")
            }
            if raw.count > 1, raw.first == "=" {
                try step("=")
                try step(raw.dropFirst())
            } else {
                try step(raw)
            }
        }
        return stack
    }

    /// The value of a leftover entry.
    func value(of entry: Entry) throws(UnwindRuleError) -> UInt64 {
        switch entry {
        case .value(let value): return value
        case .name(let name):
            guard let value = variables[key(for: name)] else {
                throw UnwindRuleError("'\(name)' has no value")
            }
            return value & mask
        }
    }

    private mutating func step(_ token: Substring) throws(UnwindRuleError) {
        switch token {
        case "+", "-", "*", "/", "%", "@":
            let right = try popValue(for: token)
            let left = try popValue(for: token)
            try push(.value(try Self.apply(token, left, right) & mask))
        case "^":
            let address = try popValue(for: token)
            guard let word = readMemory(address, wordSize) else {
                throw UnwindRuleError(
                    "memory at 0x\(String(address, radix: 16)) is not available")
            }
            try push(.value(word & mask))
        case "=":
            guard allowsAssignment else {
                throw UnwindRuleError("'=' is not allowed in a CFI expression")
            }
            let value = try popValue(for: token)
            guard case .name(let name)? = stack.popLast(), name.first == "$" else {
                throw UnwindRuleError("'=' needs a $-variable to assign to")
            }
            variables[key(for: name)] = value
            assigned.insert(key(for: name))
        default:
            if let literal = Self.literal(token) {
                try push(.value(literal & mask))
            } else {
                try push(.name(token))
            }
        }
    }

    private mutating func push(_ entry: Entry) throws(UnwindRuleError) {
        guard stack.count < Self.maximumStackDepth else {
            throw UnwindRuleError(
                "unwind program needs more than \(Self.maximumStackDepth) stack slots")
        }
        stack.append(entry)
    }

    private mutating func popValue(for operation: Substring) throws(UnwindRuleError) -> UInt64 {
        guard let entry = stack.popLast() else {
            throw UnwindRuleError("'\(operation)' has too few operands")
        }
        return try value(of: entry)
    }

    private static func apply(_ operation: Substring, _ left: UInt64, _ right: UInt64)
        throws(UnwindRuleError) -> UInt64
    {
        switch operation {
        case "+": return left &+ right
        case "-": return left &- right
        case "*": return left &* right
        case "/":
            guard right != 0 else { throw UnwindRuleError("division by zero") }
            return left / right
        case "%":
            guard right != 0 else { throw UnwindRuleError("division by zero") }
            return left % right
        default:  // "@": align down to a multiple of `right` (Breakpad's formula).
            return left & (UInt64.max ^ (right &- 1))
        }
    }

    /// A decimal literal with an optional `-`, as two's complement. Nil if not a number.
    static func literal(_ token: Substring) -> UInt64? {
        var digits = token[...]
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, let magnitude = UInt64(digits, radix: 10) else { return nil }
        return negative ? 0 &- magnitude : magnitude
    }
}
