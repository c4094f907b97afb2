// A single-pass parser that evaluates while it reads, like CDB: operands are read left to
// right, and each operator is applied as soon as its right operand is complete. Binary
// operators use precedence climbing, so a long chain (`1+1+1+...`) loops instead of recursing.

/// One evaluation over the UTF-8 bytes of an expression. Offsets are byte offsets.
///
/// The environment is held as an existential rather than a generic parameter: the public entry
/// points are not inlinable, so a generic parser would run unspecialized (runtime layout for
/// every field access), which measured several times slower.
struct MASMParser {
    let bytes: [UInt8]
    let environment: any ExpressionEnvironment
    /// The next unread byte.
    var position = 0
    /// Start of the most recently consumed token: where memory and division errors point.
    var lastTokenStart = 0
    /// Current nesting of parentheses, unary operators, functions and precedence levels.
    var depth = 0

    init(bytes: [UInt8], environment: any ExpressionEnvironment) {
        self.bytes = bytes
        self.environment = environment
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at `offset`, or 0 past the end (0 is in no character class).
    func byte(at offset: Int) -> UInt8 {
        offset >= 0 && offset < bytes.count ? bytes[offset] : 0
    }

    var current: UInt8 { byte(at: position) }

    mutating func skipWhitespace() {
        while position < bytes.count, ASCII.isWhitespace(bytes[position]) { position += 1 }
    }

    /// The offset of the first non-whitespace byte at or after `offset`.
    func skippingWhitespace(from offset: Int) -> Int {
        var cursor = offset
        while cursor < bytes.count, ASCII.isWhitespace(bytes[cursor]) { cursor += 1 }
        return cursor
    }

    /// The end of the word (`[A-Za-z0-9_$?]`, `::`, and backticks between alphanumerics) that
    /// starts at `start`.
    func wordEnd(from start: Int) -> Int {
        var cursor = start
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if ASCII.isWordCharacter(byte) {
                cursor += 1
            } else if byte == ASCII.colon, self.byte(at: cursor + 1) == ASCII.colon,
                cursor > start
            {
                cursor += 2
            } else if byte == ASCII.backtick, cursor > start,
                ASCII.isAlphanumeric(self.byte(at: cursor - 1)),
                ASCII.isAlphanumeric(self.byte(at: cursor + 1))
            {
                cursor += 1
            } else {
                break
            }
        }
        return cursor
    }

    /// The bytes `start..<end` lowercased, as a string (words are short, so this stays in
    /// a small string without allocating).
    func lowercasedName(_ start: Int, _ end: Int) -> String {
        let range = max(start, 0)..<min(max(end, start, 0), bytes.count)
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            for (index, byte) in zip(buffer.indices, bytes[range]) {
                buffer[index] = ASCII.lowercased(byte)
            }
            return range.count
        }
    }

    /// True when `!` at `offset` starts a module separator rather than `!=`.
    func isModuleSeparator(at offset: Int) -> Bool {
        byte(at: offset) == ASCII.bang && byte(at: offset + 1) != ASCII.equal
    }

    func error(_ kind: ExpressionError.Kind, at offset: Int) -> ExpressionError {
        let clamped = min(max(offset, 0), bytes.count)
        return ExpressionError(
            kind: kind, offset: clamped,
            remainder: String(decoding: bytes[clamped...], as: UTF8.self))
    }

    /// Counts one more nesting level, failing beyond the cap.
    mutating func enterNesting(at offset: Int) throws(ExpressionError) {
        depth += 1
        if depth > MASMEvaluator.maximumNestingDepth {
            throw error(.tooDeeplyNested, at: offset)
        }
    }

    // MARK: - Binary operators

    /// Parses operands joined by binary operators of at least `minimumPrecedence`.
    mutating func parseExpression(
        minimumPrecedence: Int = BinaryOperator.lowestPrecedence
    ) throws(ExpressionError) -> UInt64 {
        try enterNesting(at: position)
        defer { depth -= 1 }
        var value = try parseUnary()
        while let (op, end) = peekBinaryOperator(), op.precedence >= minimumPrecedence {
            position = end
            let rhs = try parseExpression(minimumPrecedence: op.precedence + 1)
            guard let result = op.apply(value, rhs) else {
                throw error(.divideByZero, at: lastTokenStart)
            }
            value = result
        }
        return value
    }

    /// The binary operator after the current position (whitespace allowed before it), and the
    /// offset just past it; nil when the next token is not a binary operator.
    func peekBinaryOperator() -> (BinaryOperator, Int)? {
        let start = skippingWhitespace(from: position)
        let first = byte(at: start)
        let second = byte(at: start + 1)
        switch first {
        case ASCII.star: return (.multiply, start + 1)
        case ASCII.slash: return (.divide, start + 1)
        case ASCII.percent: return (.modulo, start + 1)
        case ASCII.plus: return (.add, start + 1)
        case ASCII.minus: return (.subtract, start + 1)
        case ASCII.ampersand: return (.bitAnd, start + 1)
        case ASCII.caret: return (.bitXor, start + 1)
        case ASCII.bar: return (.bitOr, start + 1)
        case ASCII.less:
            if second == ASCII.less { return (.shiftLeft, start + 2) }
            if second == ASCII.equal { return (.lessOrEqual, start + 2) }
            return (.less, start + 1)
        case ASCII.greater:
            if second == ASCII.greater {
                if byte(at: start + 2) == ASCII.greater {
                    return (.shiftRightArithmetic, start + 3)
                }
                return (.shiftRightLogical, start + 2)
            }
            if second == ASCII.equal { return (.greaterOrEqual, start + 2) }
            return (.greater, start + 1)
        case ASCII.equal:
            return (.equal, second == ASCII.equal ? start + 2 : start + 1)
        case ASCII.bang:
            return second == ASCII.equal ? (.notEqual, start + 2) : nil
        default:
            guard ASCII.isLetter(first) else { return nil }
            let end = wordEnd(from: start)
            guard end - start <= 3, !isModuleSeparator(at: end),
                let op = BinaryOperator.word(lowercasedName(start, end))
            else { return nil }
            return (op, end)
        }
    }

    // MARK: - Unary operators

    /// Parses an operand with any unary operators before it.
    mutating func parseUnary() throws(ExpressionError) -> UInt64 {
        skipWhitespace()
        let start = position
        guard let (op, end) = peekUnaryOperator() else {
            return try parseOperand()
        }
        try enterNesting(at: start)
        defer { depth -= 1 }
        position = end
        let operand = try parseUnary()
        guard case .read(let size, let physical) = op else {
            return op.applyArithmetic(operand)
        }
        let width = size == 0 ? environment.pointerSize : size
        do {
            return try environment.readMemory(at: operand, size: width, physical: physical)
        } catch {
            throw self.error(error.kind, at: lastTokenStart)
        }
    }

    /// The unary operator at the current position and the offset past it.
    func peekUnaryOperator() -> (UnaryOperator, Int)? {
        let first = current
        if first == ASCII.plus { return (.plus, position + 1) }
        if first == ASCII.minus { return (.minus, position + 1) }
        guard ASCII.isLetter(first) || first == ASCII.dollar else { return nil }
        let end = wordEnd(from: position)
        guard end - position <= 5, !isModuleSeparator(at: end),
            let op = UnaryOperator.word(lowercasedName(position, end))
        else { return nil }
        return (op, end)
    }

    // MARK: - Environment access

    /// Runs an environment lookup, placing any failure at `offset`.
    func lookup<T>(
        at offset: Int, _ body: () throws(LookupFailure) -> T
    ) throws(ExpressionError) -> T {
        do {
            return try body()
        } catch {
            throw self.error(error.kind, at: offset)
        }
    }
}
