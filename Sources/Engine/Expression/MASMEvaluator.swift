// The MASM expression evaluator: CDB's default evaluator for every numeric argument
// (`dd esp L4`, `u @rip`, `bp mod!func+0x10`, `? poi(@$teb+30)`, `r $t0 = ...`).

/// The value of an expression read from the start of a command argument, and where it ended.
public struct PrefixEvaluation: Sendable, Equatable {
    /// The expression's value.
    public var value: UInt64
    /// The index just after the expression's last token (trailing spaces are not consumed).
    public var end: String.Index
    /// Number of UTF-8 bytes from the start of the text to `end`.
    public var utf8Length: Int
}

/// Evaluates MASM expressions, the way CDB's default evaluator does.
///
/// **Numbers.** Unprefixed numbers use the environment's radix (16 at start-up); `0x` `0n` `0t`
/// `0y` select hex, decimal, octal, binary; a prefix alone is 0; a word that starts with a
/// decimal digit and ends in `h` is hex in any radix (`4ab3h`; the leading digit keeps `ah`
/// `bh` `ch` `dh` registers); backticks may split digits (`00007ff6`1a2b0000`). A literal
/// beyond 64 bits is an `Overflow error`. A bare word that reads as a number is one: in radix
/// 16, `cf` is 0xcf and the carry flag needs `@cf`.
///
/// **Sign extension.** All arithmetic is unsigned 64-bit and wraps. Following the debugger
/// documentation ("Sign Extension"): a constant `80000000`...`ffffffff` is sign-extended only
/// when the environment says so (`signExtendsConstants`, kernel mode) and the literal has no
/// backtick; 32-bit registers (`bitWidth == 32`) are always sign-extended; pseudo-registers,
/// memory reads and results of operators never are.
///
/// **Operators**, highest precedence first, left to right within a level: unary `+ - not hi
/// low by wo dwo qwo poi $pby $pwo $pdwo $pqwo $ppoi`; `* / mod %`; `+ -`; `<< >> >>>`;
/// `= == < > <= >= !=` (1 or 0, unsigned); `and &`; `xor ^`; `or |`. Word operators are
/// case-insensitive and need word boundaries. `hi`/`low` give bits 16-31 / 0-15. Shifts by 64 or
/// more give 0 (`>>>`: all sign bits).
///
/// **Names.** `@name` is always a register and `@$name` always a pseudo-register (unknown →
/// `Bad register error`). A bare word is, in this order: a number in the current radix, a
/// register, a symbol. A `$word` is a user pseudo-register `$t0`...`$t19`, an automatic
/// pseudo-register, then a symbol. `.` is `$ip`. `mod!name`, `!name` and names with `::`, `?`,
/// `@` and backtick-quoted parts (``ntdll!`string'``) are symbols; unknown ones give
/// `Couldn't resolve error`.
///
/// **Functions.** `$scmp("a","b")`, `$sicmp(...)` (-1, 0, 1), `$spat("text","pattern")`
/// (wildcards, case-insensitive), `$vvalid(address, length)`, `$iment(imageBase)`. Strings are
/// `"..."` with C escapes or `@"..."` verbatim. `@@masm(...)` evaluates its contents as MASM;
/// `@@c++(...)` and `@@(...)` are rejected with a clear error.
///
/// **Safety.** Any input gives a value or an `ExpressionError`: no traps, nesting is capped at
/// `maximumNestingDepth`, memory use is linear in the input.
public enum MASMEvaluator {
    /// Nesting limit for parentheses, unary operators, functions and precedence levels.
    public static let maximumNestingDepth = 200

    /// Evaluates all of `text` (surrounding whitespace allowed).
    public static func evaluate(
        _ text: some StringProtocol, in environment: some ExpressionEnvironment
    ) throws(ExpressionError) -> UInt64 {
        var parser = MASMParser(bytes: Array(text.utf8), environment: environment)
        let value = try parser.parseExpression()
        parser.skipWhitespace()
        if !parser.isAtEnd {
            throw parser.error(.syntax, at: parser.position)
        }
        return value
    }

    /// Evaluates the longest expression at the start of `text` (leading whitespace skipped), for
    /// command arguments such as `dd esp+4 L8` or `db 1000 2000`. After a complete operand the
    /// expression continues only when the next token is a binary operator, so `L8`, `l?8`,
    /// `L-8` and a second address (`db 1000 b`, where `b` is hex) are left for the caller.
    public static func evaluatePrefix(
        _ text: some StringProtocol, in environment: some ExpressionEnvironment
    ) throws(ExpressionError) -> PrefixEvaluation {
        var parser = MASMParser(bytes: Array(text.utf8), environment: environment)
        let value = try parser.parseExpression()
        let length = parser.position
        let end = text.utf8.index(text.startIndex, offsetBy: length)
        return PrefixEvaluation(value: value, end: end, utf8Length: length)
    }
}
