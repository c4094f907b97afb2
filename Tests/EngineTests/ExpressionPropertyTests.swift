import Engine
import TestSupport
import Testing

// Property tests: random expression trees are printed as MASM text (random spacing, operator
// spellings, radixes and number forms), evaluated by `MASMEvaluator`, and compared with a
// direct recursive evaluation of the tree written here, independent of the evaluator.

/// How a literal is written.
enum Spelling: CaseIterable {
    case radixDefault, hexPrefix, upperHexPrefix, decimalPrefix, octalPrefix, binaryPrefix
    case hSuffix, backtickHex
}

enum ModelUnary: CaseIterable {
    case plus, minus, not, hi, low, by, wo, dwo, qwo, poi, physicalByte
}

enum ModelBinary: CaseIterable {
    case multiply, divide, modulo, add, subtract, shiftLeft, shiftRight, shiftArithmetic
    case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual, and, xor, or

    var precedence: Int {
        switch self {
        case .multiply, .divide, .modulo: 7
        case .add, .subtract: 6
        case .shiftLeft, .shiftRight, .shiftArithmetic: 5
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual: 4
        case .and: 3
        case .xor: 2
        case .or: 1
        }
    }

    /// Spellings that mean this operator.
    var spellings: [String] {
        switch self {
        case .multiply: ["*"]
        case .divide: ["/"]
        case .modulo: ["%", "mod", "MOD", "Mod"]
        case .add: ["+"]
        case .subtract: ["-"]
        case .shiftLeft: ["<<"]
        case .shiftRight: [">>"]
        case .shiftArithmetic: [">>>"]
        case .equal: ["=", "=="]
        case .notEqual: ["!="]
        case .less: ["<"]
        case .greater: [">"]
        case .lessOrEqual: ["<="]
        case .greaterOrEqual: [">="]
        case .and: ["&", "and", "AND"]
        case .xor: ["^", "xor", "Xor"]
        case .or: ["|", "or", "OR"]
        }
    }
}

indirect enum Node {
    case number(UInt64, Spelling)
    case unary(ModelUnary, Node)
    case binary(ModelBinary, Node, Node)
}

/// What evaluating a tree gives.
enum Outcome: Equatable, CustomStringConvertible {
    case value(UInt64)
    case divideByZero
    case memoryAccess

    var description: String {
        switch self {
        case .value(let value): "value \(String(value, radix: 16))"
        case .divideByZero: "divide by zero"
        case .memoryAccess: "memory access"
        }
    }
}

/// Generated memory: readable unless the address ends in 0xf; contents are a hash of the
/// address, so the model and the environment agree without storing anything.
enum SyntheticMemory {
    static func read(_ address: UInt64, size: Int, physical: Bool) -> UInt64? {
        guard address & 0xF != 0xF else { return nil }
        var generator = SplitMix64(seed: address ^ (physical ? 0x5555_0000_AAAA : 0))
        let word = generator.next()
        return size >= 8 ? word : word & ((1 << UInt64(size * 8)) - 1)
    }
}

struct SyntheticEnvironment: ExpressionEnvironment {
    var radix: Radix
    var pointerSize: Int
    var signExtendsConstants: Bool

    func register(named name: String) throws(LookupFailure) -> RegisterValue? { nil }
    func pseudoRegister(named name: String) throws(LookupFailure) -> UInt64? { nil }
    func userPseudoRegister(_ index: Int) -> UInt64 { 0 }
    func symbol(_ reference: SymbolReference) throws(LookupFailure) -> UInt64? { nil }
    func readMemory(at address: UInt64, size: Int, physical: Bool) throws(LookupFailure)
        -> UInt64
    {
        guard let value = SyntheticMemory.read(address, size: size, physical: physical) else {
            throw .memoryAccess
        }
        return value
    }
}

/// The reference semantics, written directly from the documentation.
struct Model {
    var environment: SyntheticEnvironment

    func evaluate(_ node: Node) -> Outcome {
        switch node {
        case .number(let value, let spelling):
            let extended =
                environment.signExtendsConstants && spelling != .backtickHex
                && value >= 0x8000_0000 && value <= 0xFFFF_FFFF
            return .value(extended ? value | 0xFFFF_FFFF_0000_0000 : value)
        case .unary(let op, let operand):
            guard case .value(let value) = evaluate(operand) else { return evaluate(operand) }
            return unary(op, value)
        case .binary(let op, let left, let right):
            guard case .value(let lhs) = evaluate(left) else { return evaluate(left) }
            guard case .value(let rhs) = evaluate(right) else { return evaluate(right) }
            return binary(op, lhs, rhs)
        }
    }

    func unary(_ op: ModelUnary, _ value: UInt64) -> Outcome {
        func read(_ size: Int, physical: Bool = false) -> Outcome {
            SyntheticMemory.read(value, size: size, physical: physical).map(Outcome.value)
                ?? .memoryAccess
        }
        switch op {
        case .plus: return .value(value)
        case .minus: return .value(~value &+ 1)
        case .not: return .value(value == 0 ? 1 : 0)
        case .hi: return .value((value / 65536) % 65536)
        case .low: return .value(value % 65536)
        case .by: return read(1)
        case .wo: return read(2)
        case .dwo: return read(4)
        case .qwo: return read(8)
        case .poi: return read(environment.pointerSize)
        case .physicalByte: return read(1, physical: true)
        }
    }

    func binary(_ op: ModelBinary, _ lhs: UInt64, _ rhs: UInt64) -> Outcome {
        func truth(_ condition: Bool) -> Outcome { .value(condition ? 1 : 0) }
        switch op {
        case .multiply: return .value(lhs.multipliedFullWidth(by: rhs).low)
        case .divide: return rhs == 0 ? .divideByZero : .value(lhs / rhs)
        case .modulo: return rhs == 0 ? .divideByZero : .value(lhs % rhs)
        case .add: return .value(lhs.addingReportingOverflow(rhs).partialValue)
        case .subtract: return .value(lhs.subtractingReportingOverflow(rhs).partialValue)
        case .shiftLeft:
            return .value(rhs >= 64 ? 0 : lhs.multipliedFullWidth(by: 1 << rhs).low)
        case .shiftRight: return .value(rhs >= 64 ? 0 : lhs / (1 << rhs))
        case .shiftArithmetic:
            let negative = lhs >= 1 << 63
            if rhs >= 64 { return .value(negative ? UInt64.max : 0) }
            let shifted = lhs / (1 << rhs)
            // Fill the vacated high bits with the sign.
            let fill: UInt64 = negative && rhs > 0 ? ~(UInt64.max / (1 << rhs)) : 0
            return .value(shifted | fill)
        case .equal: return truth(lhs == rhs)
        case .notEqual: return truth(lhs != rhs)
        case .less: return truth(lhs < rhs)
        case .greater: return truth(lhs > rhs)
        case .lessOrEqual: return truth(lhs <= rhs)
        case .greaterOrEqual: return truth(lhs >= rhs)
        case .and: return .value(lhs & rhs)
        case .xor: return .value(lhs ^ rhs)
        case .or: return .value(lhs | rhs)
        }
    }
}

/// Builds random trees and prints them.
struct TreeGenerator {
    var random: SplitMix64
    var radix: Radix

    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int(random.next() % UInt64(items.count))]
    }

    mutating func number() -> UInt64 {
        switch random.next() % 8 {
        case 0: return random.next() % 4
        case 1: return random.next() % 0x100
        case 2: return pick([0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, UInt64.max])
        case 3: return 0x8000_0000 | (random.next() & 0x7FFF_FFFF)
        case 4: return random.next() % 70  // shift counts around 64
        case 5: return random.next() & 0xFFFF_FFF0  // readable addresses
        default: return random.next()
        }
    }

    mutating func tree(depth: Int) -> Node {
        if depth == 0 || chance(25) {
            return .number(number(), pick(Spelling.allCases))
        }
        if chance(25) {
            return .unary(pick(ModelUnary.allCases), tree(depth: depth - 1))
        }
        return .binary(
            pick(ModelBinary.allCases), tree(depth: depth - 1), tree(depth: depth - 1))
    }

    mutating func spaces() -> String { String(repeating: " ", count: Int(random.next() % 3)) }

    mutating func spell(_ value: UInt64, _ spelling: Spelling) -> String {
        let hex = String(value, radix: 16)
        switch spelling {
        case .radixDefault: return String(value, radix: radix.rawValue)
        case .hexPrefix: return "0x" + hex
        case .upperHexPrefix: return "0X" + hex.uppercased()
        case .decimalPrefix: return "0n" + String(value)
        case .octalPrefix: return "0t" + String(value, radix: 8)
        case .binaryPrefix: return "0y" + String(value, radix: 2)
        case .hSuffix: return "0" + hex + (chance(50) ? "h" : "H")
        case .backtickHex:
            let digits = String(repeating: "0", count: 16 - hex.count) + hex
            return "0x" + digits.prefix(8) + "`" + digits.suffix(8)
        }
    }

    mutating func unarySpelling(_ op: ModelUnary) -> String {
        switch op {
        case .plus: "+"
        case .minus: "-"
        case .not: pick(["not", "NOT", "Not"])
        case .hi: pick(["hi", "HI"])
        case .low: pick(["low", "Low"])
        case .by: "by"
        case .wo: "wo"
        case .dwo: "dwo"
        case .qwo: "qwo"
        case .poi: pick(["poi", "POI"])
        case .physicalByte: "$pby"
        }
    }

    /// Prints `node` as it appears under an operator of `parentPrecedence`; `isRightOperand`
    /// forces parentheses at equal precedence, since MASM is left-associative.
    mutating func print(_ node: Node, parentPrecedence: Int = 0, isRightOperand: Bool = false)
        -> String
    {
        switch node {
        case .number(let value, let spelling):
            let text = spell(value, spelling)
            return chance(5) ? "(" + spaces() + text + spaces() + ")" : text
        case .unary(let op, let operand):
            let inner = print(operand, parentPrecedence: 100)
            let symbol = unarySpelling(op)
            let isWord = symbol.first?.isLetter == true || symbol.first == "$"
            if isWord && !inner.hasPrefix("(") {
                return symbol + " " + spaces() + inner
            }
            return symbol + spaces() + inner
        case .binary(let op, let left, let right):
            let lhs = print(left, parentPrecedence: op.precedence)
            let rhs = print(right, parentPrecedence: op.precedence, isRightOperand: true)
            let symbol = pick(op.spellings)
            let isWord = symbol.first?.isLetter == true
            let text =
                isWord
                ? lhs + " " + spaces() + symbol + " " + spaces() + rhs
                : lhs + spaces() + symbol + spaces() + rhs
            let needsParentheses =
                op.precedence < parentPrecedence
                || (isRightOperand && op.precedence == parentPrecedence)
            return needsParentheses || chance(10) ? "(" + spaces() + text + spaces() + ")" : text
        }
    }
}

@Suite("MASM evaluator: properties")
struct ExpressionPropertyTests {
    @Test(arguments: 0..<8)
    func agreesWithTheModel(seedIndex: Int) {
        var random = SplitMix64(seed: 0x00C0_FFEE &+ UInt64(seedIndex) &* 7919)
        var mismatches: [String] = []
        var outcomes: [String: Int] = [:]
        for _ in 0..<500 {
            let environment = SyntheticEnvironment(
                radix: Radix.allCases[Int(random.next() % 3)],
                pointerSize: random.next() % 2 == 0 ? 4 : 8,
                signExtendsConstants: random.next() % 4 == 0)
            var generator = TreeGenerator(
                random: SplitMix64(seed: random.next()), radix: environment.radix)
            let tree = generator.tree(depth: 5)
            let text = generator.print(tree)
            let expected = Model(environment: environment).evaluate(tree)
            let actual: Outcome
            do {
                actual = .value(try MASMEvaluator.evaluate(text, in: environment))
            } catch {
                switch error.kind {
                case .divideByZero: actual = .divideByZero
                case .memoryAccess: actual = .memoryAccess
                default:
                    mismatches.append("\(text): unexpected \(error.message)")
                    continue
                }
            }
            if actual != expected {
                mismatches.append(
                    "\(text) [radix \(environment.radix.rawValue)]: \(actual), model \(expected)")
            }
            outcomes["\(expected)".hasPrefix("value") ? "value" : "\(expected)", default: 0] += 1
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5).joined(separator: "\n"))")
        // The generator must exercise every outcome, or the property proves little.
        #expect(outcomes.count == 3, "\(outcomes)")
    }

    @Test(arguments: 0..<4)
    func garbageNeverCrashes(seedIndex: Int) {
        var random = SplitMix64(seed: 0xBAD_5EED &+ UInt64(seedIndex))
        let alphabet = Array(
            "0123456789abcdefxnthyABCXNTY zlpoiwqmdr!@$`'\",.()+-*/%<>=&^|~?:;[]#_\té\u{0}")
        let fragments = [
            "poi(", "@rax", "@$t1", "$scmp(\"", "@\"", "$spat(", "$vvalid(", "$iment(", "@@masm(",
            "@@c++(", "mod!", "`", "::", ">>>", " and ", " mod ", "0x", "0n", "0y", "0t", "hi ",
            ".", "!=", "ffffffffffffffffff",
        ]
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int(random.next() % 24) {
                if random.next() % 4 == 0 {
                    text += fragments[Int(random.next() % UInt64(fragments.count))]
                } else {
                    text.append(alphabet[Int(random.next() % UInt64(alphabet.count))])
                }
            }
            let environment = SyntheticEnvironment(
                radix: Radix.allCases[Int(random.next() % 3)], pointerSize: 8,
                signExtendsConstants: false)
            do {
                _ = try MASMEvaluator.evaluate(text, in: environment)
            } catch {
                let count = text.utf8.count
                #expect((0...count).contains(error.offset), "\(text)")
                #expect(
                    error.remainder
                        == String(decoding: Array(text.utf8).dropFirst(error.offset), as: UTF8.self)
                )
            }
            if let prefix = try? MASMEvaluator.evaluatePrefix(text, in: environment) {
                #expect(prefix.utf8Length <= text.utf8.count)
                #expect(
                    text.utf8.distance(from: text.startIndex, to: prefix.end) == prefix.utf8Length)
            }
        }
    }

    @Test func mutatedExpressionsNeverCrash() {
        var random = SplitMix64(seed: 42)
        let environment = TestEnvironment.standard
        let seeds = [
            "poi(@rsp+8) + ntdll!`string'", "$spat(@\"c:\\x\", \"*[a-z]#x\")", "@@masm(1 >>> 2)",
            "app!Foo::Bar + 0n10 * (3 mod 2)", "$iment(400000) and not hi(ffff`ffff)",
        ]
        let insertions = Array("()`'\"!@$:,+-<>= x0")
        for _ in 0..<3000 {
            var bytes = Array(seeds[Int(random.next() % UInt64(seeds.count))])
            for _ in 0..<Int(1 + random.next() % 3) {
                let index = Int(random.next() % UInt64(bytes.count + 1))
                if random.next() % 2 == 0, index < bytes.count {
                    bytes.remove(at: index)
                } else {
                    bytes.insert(
                        insertions[Int(random.next() % UInt64(insertions.count))], at: index)
                }
            }
            let text = String(bytes)
            do {
                _ = try MASMEvaluator.evaluate(text, in: environment)
            } catch {
                #expect((0...text.utf8.count).contains(error.offset))
            }
        }
    }
}
