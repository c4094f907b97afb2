// The MASM operators and their semantics. All arithmetic is unsigned 64-bit and wraps.

/// A binary MASM operator.
enum BinaryOperator: Equatable {
    case multiply, divide, modulo
    case add, subtract
    case shiftLeft, shiftRightLogical, shiftRightArithmetic
    case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual
    case bitAnd, bitXor, bitOr

    /// Binding strength, higher binds tighter (the order of the documentation's table).
    var precedence: Int {
        switch self {
        case .multiply, .divide, .modulo: 7
        case .add, .subtract: 6
        case .shiftLeft, .shiftRightLogical, .shiftRightArithmetic: 5
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual: 4
        case .bitAnd: 3
        case .bitXor: 2
        case .bitOr: 1
        }
    }

    /// The lowest precedence: a whole expression is parsed from here.
    static let lowestPrecedence = 1

    /// Applies the operator; nil only for division or modulo by zero.
    func apply(_ lhs: UInt64, _ rhs: UInt64) -> UInt64? {
        switch self {
        case .multiply: return lhs &* rhs
        case .divide: return rhs == 0 ? nil : lhs / rhs
        case .modulo: return rhs == 0 ? nil : lhs % rhs
        case .add: return lhs &+ rhs
        case .subtract: return lhs &- rhs
        // Swift's smart shifts: a count of 64 or more gives 0 (or all sign bits for `>>>`).
        case .shiftLeft: return lhs << rhs
        case .shiftRightLogical: return lhs >> rhs
        case .shiftRightArithmetic: return UInt64(bitPattern: Int64(bitPattern: lhs) >> rhs)
        case .equal: return lhs == rhs ? 1 : 0
        case .notEqual: return lhs != rhs ? 1 : 0
        // Comparisons are unsigned, like all MASM arithmetic: `-1 > 0` is 1.
        case .less: return lhs < rhs ? 1 : 0
        case .greater: return lhs > rhs ? 1 : 0
        case .lessOrEqual: return lhs <= rhs ? 1 : 0
        case .greaterOrEqual: return lhs >= rhs ? 1 : 0
        case .bitAnd: return lhs & rhs
        case .bitXor: return lhs ^ rhs
        case .bitOr: return lhs | rhs
        }
    }

    /// Word forms, matched case-insensitively with word boundaries.
    static func word(_ lowercased: String) -> BinaryOperator? {
        switch lowercased {
        case "mod": .modulo
        case "and": .bitAnd
        case "xor": .bitXor
        case "or": .bitOr
        default: nil
        }
    }
}

/// A unary MASM operator.
enum UnaryOperator: Equatable {
    case plus, minus, logicalNot, high16, low16
    /// `by` `wo` `dwo` `qwo` `poi` (size 0 = pointer size) and their `$p...` physical forms.
    case read(size: Int, physical: Bool)

    /// Word forms (lowercased), matched with word boundaries.
    static func word(_ lowercased: String) -> UnaryOperator? {
        switch lowercased {
        case "not": .logicalNot
        case "hi": .high16
        case "low": .low16
        case "by": .read(size: 1, physical: false)
        case "wo": .read(size: 2, physical: false)
        case "dwo": .read(size: 4, physical: false)
        case "qwo": .read(size: 8, physical: false)
        case "poi": .read(size: 0, physical: false)
        case "$pby": .read(size: 1, physical: true)
        case "$pwo": .read(size: 2, physical: true)
        case "$pdwo": .read(size: 4, physical: true)
        case "$pqwo": .read(size: 8, physical: true)
        case "$ppoi": .read(size: 0, physical: true)
        default: nil
        }
    }

    /// Applies an arithmetic unary operator (not the memory reads).
    func applyArithmetic(_ value: UInt64) -> UInt64 {
        switch self {
        case .plus: value
        case .minus: 0 &- value
        case .logicalNot: value == 0 ? 1 : 0
        // `hi` and `low` are the high and low halves of the low 32 bits, as in MASM.
        case .high16: (value >> 16) & 0xFFFF
        case .low16: value & 0xFFFF
        case .read: value
        }
    }
}
