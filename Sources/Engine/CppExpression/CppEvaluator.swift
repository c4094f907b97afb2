import Symbols

/// Evaluates C++ expressions over the current frame's locals, globals, registers and memory:
/// member access (`.`, `->`), indexing, pointer arithmetic, `*`, `&`, casts to built-in and
/// PDB types, `sizeof`, and the arithmetic, comparison and logical operators.
struct CppEvaluator {
    let state: DebuggerState
    let target: any Target
    let scope: FrameScope?
    var tokens: [(CppToken, Int)] = []
    var index = 0

    init(state: DebuggerState, target: any Target, scope: FrameScope?) {
        self.state = state
        self.target = target
        self.scope = scope
    }

    var pointerSize: Int { target.machine.pointerSize }
    var defaultPDB: PDBSymbolSource? { scope?.pdb }

    mutating func evaluate(_ text: String) throws -> CppValue {
        var lexer = CppLexer(text)
        tokens = try lexer.tokens()
        index = 0
        let value = try conditional()
        guard case .end = current else { throw CppError.syntax(at: offset) }
        return value
    }

    // MARK: Tokens

    var current: CppToken { tokens[min(index, tokens.count - 1)].0 }
    var offset: Int { tokens[min(index, tokens.count - 1)].1 }

    mutating func accept(_ punctuator: String) -> Bool {
        if case .punctuation(punctuator) = current {
            index += 1
            return true
        }
        return false
    }

    mutating func expect(_ punctuator: String) throws {
        guard accept(punctuator) else { throw CppError.syntax(at: offset) }
    }

    // MARK: Grammar

    mutating func conditional() throws -> CppValue {
        let condition = try binary(0)
        guard accept("?") else { return condition }
        let whenTrue = try conditional()
        try expect(":")
        let whenFalse = try conditional()
        return try truth(condition) ? whenTrue : whenFalse
    }

    static let levels: [[String]] = [
        ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"],
        ["+", "-"], ["*", "/", "%"],
    ]

    mutating func binary(_ level: Int) throws -> CppValue {
        guard level < Self.levels.count else { return try unary() }
        var left = try binary(level + 1)
        while case .punctuation(let op) = current, Self.levels[level].contains(op) {
            let at = offset
            index += 1
            let right = try binary(level + 1)
            left = try apply(op, left, right, at: at)
        }
        return left
    }

    mutating func unary() throws -> CppValue {
        let at = offset
        if case .identifier("sizeof") = current {
            index += 1
            try expect("(")
            let size: UInt64
            if let type = try? parseTypeName(), accept(")") {
                size = self.size(type.0, pdb: type.1) ?? 0
            } else {
                let value = try conditional()
                try expect(")")
                size = self.size(value.type, pdb: value.pdb) ?? 0
            }
            return .integer(size, .unsignedInt64, pdb: nil)
        }
        guard case .punctuation(let op) = current else { return try postfix() }
        switch op {
        case "-", "+", "!", "~":
            index += 1
            let operand = try unary()
            switch op {
            case "-": return try apply("-", .integer(0, .int, pdb: nil), operand, at: at)
            case "+": return operand
            case "!": return .integer(try truth(operand) ? 0 : 1, .bool, pdb: nil)
            default:
                let (bits, type) = try integer(operand, at: at)
                return .integer(~bits, type, pdb: nil)
            }
        case "*":
            index += 1
            return try dereference(try unary(), at: at)
        case "&":
            index += 1
            let operand = try unary()
            guard case .memory(let address) = operand.storage else {
                throw CppError(kind: .message("The operand of & has no address"), offset: at)
            }
            return .integer(address, .pointer(to: operand.type), pdb: operand.pdb).with(
                pdb: operand.pdb)
        case "(":
            // A cast `(Type)expr`, or a parenthesized expression.
            let saved = index
            index += 1
            if let (type, pdb) = try? parseTypeName(), accept(")") {
                let operand = try unary()
                return try cast(operand, to: type, pdb: pdb, at: at)
            }
            index = saved
            return try postfix()
        default:
            return try postfix()
        }
    }

    mutating func postfix() throws -> CppValue {
        var value = try primary()
        while true {
            let at = offset
            if accept(".") {
                value = try member(value, name: try memberName(), at: at)
            } else if accept("->") {
                value = try member(try dereference(value, at: at), name: try memberName(), at: at)
            } else if accept("[") {
                let position = try conditional()
                try expect("]")
                value = try subscriptValue(value, position, at: at)
            } else {
                return value
            }
        }
    }

    mutating func memberName() throws -> String {
        guard case .identifier(let name) = current else { throw CppError.syntax(at: offset) }
        index += 1
        return name
    }

    mutating func primary() throws -> CppValue {
        let at = offset
        switch current {
        case .number(let value, let isUnsigned, let isLong):
            index += 1
            let fits32 = value <= UInt64(Int32.max)
            let type: CppType =
                isLong || !fits32 && value > UInt64(UInt32.max)
                ? (isUnsigned ? .unsignedInt64 : .int64)
                : (isUnsigned || !fits32 ? .unsignedInt : .int)
            return .integer(value, type, pdb: nil)
        case .float(let value):
            index += 1
            return .integer(value.bitPattern, .double, pdb: nil)
        case .register(let name):
            index += 1
            return .integer(try registerValue(name, at: at), .unsignedInt64, pdb: nil)
        case .identifier(let name):
            index += 1
            if name == "true" || name == "false" {
                return .integer(name == "true" ? 1 : 0, .bool, pdb: nil)
            }
            return try variable(name, at: at)
        case .punctuation("("):
            index += 1
            let value = try conditional()
            try expect(")")
            return value
        default:
            throw CppError.syntax(at: at)
        }
    }

    // MARK: Names

    func registerValue(_ name: String, at: Int) throws -> UInt64 {
        if name.hasPrefix("$") {
            switch PseudoRegisters.value(name, state: state) {
            case .success(let value): return value
            case .failure: throw CppError(kind: .couldNotResolve, offset: at)
            }
        }
        guard let registers = scope?.registers ?? state.currentRegisters,
            let value = registers.value(of: name)
        else { throw CppError(kind: .couldNotResolve, offset: at) }
        return value
    }

    /// A local of the current frame, else a global (`name` or `module!name`).
    func variable(_ name: String, at: Int) throws -> CppValue {
        if !name.contains("!"), let scope,
            let local = scope.variables.last(where: { $0.name == name })
        {
            let value = scope.value(of: local)
            return CppValue(type: .pdb(local.type), storage: value.storage, pdb: scope.pdb)
        }
        let (moduleName, symbolName) = DisplayTypeCommand.split(name)
        for (_, module) in (try? DisplayTypeCommand.modules(moduleName, state: state)) ?? [] {
            guard let pdb = state.symbols.pdb(for: module, in: state),
                let symbol = pdb.symbols(named: symbolName).first(where: { $0.typeIndex != nil }),
                let type = symbol.typeIndex
            else { continue }
            let address = module.base &+ symbol.rva
            if symbol.origin == .function {
                return .integer(address, .pdb(type), pdb: pdb)
            }
            return CppValue(type: .pdb(type), storage: .memory(address), pdb: pdb)
        }
        throw CppError(kind: .couldNotResolve, offset: at)
    }

    static let builtinTypes: [String: TypeIndex] = [
        "void": 0x03, "char": 0x70, "signed char": 0x10, "unsigned char": 0x20, "wchar_t": 0x71,
        "short": 0x11, "unsigned short": 0x21, "int": 0x74, "unsigned int": 0x75, "unsigned": 0x75,
        "long": 0x12, "unsigned long": 0x22, "__int64": 0x13, "unsigned __int64": 0x23,
        "long long": 0x13, "unsigned long long": 0x23, "int64": 0x13, "unsigned int64": 0x23,
        "float": 0x40, "double": 0x41, "bool": 0x30,
    ]

    /// A type name in a cast or `sizeof`: built-in words, `struct X`, a PDB type, then `*`s.
    mutating func parseTypeName() throws -> (CppType, PDBSymbolSource?) {
        var words: [String] = []
        while case .identifier(let word) = current,
            words.isEmpty || Self.builtinTypes[(words + [word]).joined(separator: " ")] != nil
                || ["int", "long", "short", "char", "__int64", "int64"].contains(word)
        {
            words.append(word)
            index += 1
            if words.count == 1, ["struct", "class", "union", "enum"].contains(word) {
                guard case .identifier(let name) = current else {
                    throw CppError.syntax(at: offset)
                }
                words = [name]
                index += 1
                break
            }
        }
        guard !words.isEmpty else { throw CppError.syntax(at: offset) }
        let text = words.joined(separator: " ")
        var type: CppType
        var pdb: PDBSymbolSource? = defaultPDB
        if let builtin = Self.builtinTypes[text] {
            type = .pdb(builtin)
        } else if let found = try? DisplayTypeCommand.findQuietly(
            text, state: state, preferred: defaultPDB)
        {
            type = .pdb(found.type)
            pdb = found.pdb
        } else {
            throw CppError(kind: .couldNotResolve, offset: offset)
        }
        while accept("*") { type = .pointer(to: type) }
        return (type, pdb)
    }

    // MARK: Operations

    func shape(_ type: CppType, pdb: PDBSymbolSource?) -> TypeShape {
        switch type {
        case .pointer: return .pointer(to: 0, size: pointerSize, isReference: false)
        case .pdb(let index):
            if let pdb { return pdb.types.shape(of: index) }
            guard let simple = SimpleType(index) else { return .unknown }
            if simple.isPointer {
                return .pointer(
                    to: simple.directIndex, size: simple.pointerSize, isReference: false)
            }
            return simple.encoding == .void ? .void : .base(simple)
        }
    }

    func size(_ type: CppType, pdb: PDBSymbolSource?) -> UInt64? {
        switch type {
        case .pointer: return UInt64(pointerSize)
        case .pdb(let index):
            if let pdb { return pdb.types.size(of: index) }
            return SimpleType(index).map { UInt64($0.isPointer ? $0.pointerSize : $0.size) }
        }
    }

    /// The type a pointer or array value points to.
    func pointee(_ value: CppValue) -> CppType? {
        if case .pointer(let target) = value.type { return target }
        switch shape(value.type, pdb: value.pdb) {
        case .pointer(let target, _, _): return .pdb(target)
        case .array(let element, _, _): return .pdb(element)
        default: return nil
        }
    }

    func reader(_ pdb: PDBSymbolSource?) -> ValueReader? {
        (pdb ?? defaultPDB).map {
            ValueReader(types: $0.types, target: target, pointerSize: pointerSize)
        }
    }

    func raw(_ value: CppValue, at: Int) throws -> UInt64 {
        let size = Int(size(value.type, pdb: value.pdb) ?? UInt64(pointerSize))
        guard (1...8).contains(size) else { throw CppError(kind: .typeConflict, offset: at) }
        let bytes: [UInt8]
        switch value.storage {
        case .bytes(let stored): bytes = Array(stored.prefix(size))
        case .memory(let address):
            guard let read = target.readBytes(at: address, count: size) else {
                throw CppError(kind: .memoryAccess, offset: at)
            }
            bytes = read
        case .unavailable:
            throw CppError(kind: .message("The value is not available at this address"), offset: at)
        }
        var result: UInt64 = 0
        for (position, byte) in bytes.enumerated() {
            result |= UInt64(byte) << UInt64(position * 8)
        }
        return result
    }

    /// An integer operand and the type it is promoted to.
    func integer(_ value: CppValue, at: Int) throws -> (UInt64, CppType) {
        let bits = try raw(value, at: at)
        switch shape(value.type, pdb: value.pdb) {
        case .base(let simple):
            switch simple.encoding {
            case .signed, .character, .hresult, .boolean:
                let size = simple.size
                let extended =
                    size < 8 && simple.encoding != .boolean
                    ? UInt64(
                        bitPattern: Int64(bitPattern: bits << UInt64(64 - size * 8))
                            >> Int64(64 - size * 8))
                    : bits
                return (extended, size == 8 ? .int64 : .int)
            case .float:
                throw CppError(kind: .typeConflict, offset: at)
            default:
                return (
                    bits, simple.size == 8 ? .unsignedInt64 : simple.size == 4 ? .unsignedInt : .int
                )
            }
        case .enumeration: return (bits, .int)
        case .pointer: return (bits, .unsignedInt64)
        default: throw CppError(kind: .typeConflict, offset: at)
        }
    }

    func isFloat(_ value: CppValue) -> Bool {
        if case .base(let simple) = shape(value.type, pdb: value.pdb) {
            return simple.encoding == .float
        }
        return false
    }

    func double(_ value: CppValue, at: Int) throws -> Double {
        if isFloat(value) {
            let bits = try raw(value, at: at)
            let size = size(value.type, pdb: value.pdb) ?? 8
            return size == 4
                ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
                : Double(bitPattern: bits)
        }
        let (bits, type) = try integer(value, at: at)
        return isSigned(type) ? Double(Int64(bitPattern: bits)) : Double(bits)
    }

    func isSigned(_ type: CppType) -> Bool {
        if case .pdb(let index) = type, let simple = SimpleType(index) {
            return simple.encoding == .signed || simple.encoding == .character
        }
        return false
    }

    func truth(_ value: CppValue) throws -> Bool {
        if isFloat(value) { return try double(value, at: 0) != 0 }
        return try integer(value, at: 0).0 != 0
    }

    func isPointerLike(_ value: CppValue) -> Bool {
        if case .pointer = value.type { return true }
        if case .pointer = shape(value.type, pdb: value.pdb) { return true }
        return false
    }

    func apply(_ op: String, _ left: CppValue, _ right: CppValue, at: Int) throws -> CppValue {
        // Pointer arithmetic.
        if isPointerLike(left) || isPointerLike(right), ["+", "-"].contains(op) {
            if isPointerLike(left), isPointerLike(right), op == "-" {
                let size = Int64(pointee(left).flatMap { self.size($0, pdb: left.pdb) } ?? 1)
                let difference = Int64(bitPattern: try raw(left, at: at) &- raw(right, at: at))
                return .integer(UInt64(bitPattern: difference / max(1, size)), .int64, pdb: nil)
            }
            let (pointer, offsetValue) = isPointerLike(left) ? (left, right) : (right, left)
            let step = Int64(pointee(pointer).flatMap { self.size($0, pdb: pointer.pdb) } ?? 1)
            let (count, _) = try integer(offsetValue, at: at)
            let delta = UInt64(bitPattern: Int64(bitPattern: count) &* step)
            let base = try raw(pointer, at: at)
            let result = op == "+" ? base &+ delta : base &- delta
            return CppValue.integer(result, pointer.type, pdb: pointer.pdb).with(pdb: pointer.pdb)
        }
        if op == "&&" { return .integer(try truth(left) && truth(right) ? 1 : 0, .bool, pdb: nil) }
        if op == "||" { return .integer(try truth(left) || truth(right) ? 1 : 0, .bool, pdb: nil) }
        if isFloat(left) || isFloat(right) {
            let a = try double(left, at: at)
            let b = try double(right, at: at)
            let result: Double
            switch op {
            case "+": result = a + b
            case "-": result = a - b
            case "*": result = a * b
            case "/": result = a / b
            case "==": return .integer(a == b ? 1 : 0, .bool, pdb: nil)
            case "!=": return .integer(a != b ? 1 : 0, .bool, pdb: nil)
            case "<": return .integer(a < b ? 1 : 0, .bool, pdb: nil)
            case ">": return .integer(a > b ? 1 : 0, .bool, pdb: nil)
            case "<=": return .integer(a <= b ? 1 : 0, .bool, pdb: nil)
            case ">=": return .integer(a >= b ? 1 : 0, .bool, pdb: nil)
            default: throw CppError(kind: .typeConflict, offset: at)
            }
            return .integer(result.bitPattern, .double, pdb: nil)
        }
        let (a, leftType) = try integer(left, at: at)
        let (b, rightType) = try integer(right, at: at)
        let type = Self.common(leftType, rightType)
        let signed = isSigned(type)
        let wide = size(type, pdb: nil) == 8
        func fit(_ value: UInt64) -> UInt64 { wide ? value : value & 0xffff_ffff }
        let sa = Int64(bitPattern: a)
        let sb = Int64(bitPattern: b)
        func compare(_ result: Bool) -> CppValue { .integer(result ? 1 : 0, .bool, pdb: nil) }
        switch op {
        case "+": return .integer(fit(a &+ b), type, pdb: nil)
        case "-": return .integer(fit(a &- b), type, pdb: nil)
        case "*": return .integer(fit(a &* b), type, pdb: nil)
        case "/", "%":
            guard b != 0 else { throw CppError(kind: .message("Divide by zero"), offset: at) }
            if signed {
                guard !(sa == Int64.min && sb == -1) else {
                    return .integer(fit(a), type, pdb: nil)
                }
                return .integer(
                    fit(UInt64(bitPattern: op == "/" ? sa / sb : sa % sb)), type, pdb: nil)
            }
            return .integer(fit(op == "/" ? a / b : a % b), type, pdb: nil)
        case "<<": return .integer(fit(b >= 64 ? 0 : a << b), type, pdb: nil)
        case ">>":
            if signed {
                return .integer(fit(UInt64(bitPattern: sa >> Int64(min(b, 63)))), type, pdb: nil)
            }
            return .integer(fit(b >= 64 ? 0 : a >> b), type, pdb: nil)
        case "&": return .integer(a & b, type, pdb: nil)
        case "|": return .integer(a | b, type, pdb: nil)
        case "^": return .integer(a ^ b, type, pdb: nil)
        case "==": return compare(a == b)
        case "!=": return compare(a != b)
        case "<": return compare(signed ? sa < sb : a < b)
        case ">": return compare(signed ? sa > sb : a > b)
        case "<=": return compare(signed ? sa <= sb : a <= b)
        case ">=": return compare(signed ? sa >= sb : a >= b)
        default: throw CppError.syntax(at: at)
        }
    }

    /// The usual arithmetic conversions, for the integer types `??` computes with.
    static func common(_ a: CppType, _ b: CppType) -> CppType {
        func rank(_ type: CppType) -> Int {
            guard case .pdb(let index) = type else { return 3 }
            switch index {
            case 0x23: return 3
            case 0x13: return 2
            case 0x75: return 1
            default: return 0
            }
        }
        return [CppType.int, .unsignedInt, .int64, .unsignedInt64][max(rank(a), rank(b))]
    }

    func dereference(_ value: CppValue, at: Int) throws -> CppValue {
        guard let target = pointee(value) else { throw CppError(kind: .typeConflict, offset: at) }
        if case .array = shape(value.type, pdb: value.pdb),
            case .memory(let address) = value.storage
        {
            return CppValue(type: target, storage: .memory(address), pdb: value.pdb)
        }
        let address = try raw(value, at: at)
        return CppValue(type: target, storage: .memory(address), pdb: value.pdb)
    }

    func subscriptValue(_ value: CppValue, _ position: CppValue, at: Int) throws -> CppValue {
        let (count, _) = try integer(position, at: at)
        guard let element = pointee(value) else { throw CppError(kind: .typeConflict, offset: at) }
        let step = Int64(size(element, pdb: value.pdb) ?? 1)
        let base: UInt64
        if case .array = shape(value.type, pdb: value.pdb) {
            guard case .memory(let address) = value.storage else {
                throw CppError(kind: .message("The array has no address"), offset: at)
            }
            base = address
        } else {
            base = try raw(value, at: at)
        }
        let address = base &+ UInt64(bitPattern: Int64(bitPattern: count) &* step)
        return CppValue(type: element, storage: .memory(address), pdb: value.pdb)
    }

    func member(_ value: CppValue, name: String, at: Int) throws -> CppValue {
        guard let pdb = value.pdb, case .pdb(let index) = value.type,
            case .userDefined(_, let resolved) = pdb.types.shape(of: index)
        else { throw CppError(kind: .typeConflict, offset: at) }
        guard
            let member = pdb.types.members(of: resolved).first(where: {
                $0.name == name && !$0.isStatic
            })
        else { throw CppError(kind: .message("'\(name)' is not a member"), offset: at) }
        let reader = ValueReader(types: pdb.types, target: target, pointerSize: pointerSize)
        let memberValue = reader.member(TypedValue(type: index, storage: value.storage), member)
        if let length = member.bitLength, let position = member.bitPosition {
            let bits =
                (try raw(
                    CppValue(
                        type: .pdb(pdb.types.unmodified(member.type)), storage: memberValue.storage,
                        pdb: pdb), at: at))
            let field =
                (bits >> UInt64(position)) & (length >= 64 ? UInt64.max : (1 << UInt64(length)) - 1)
            return .integer(field, .unsignedInt, pdb: nil)
        }
        return CppValue(type: .pdb(member.type), storage: memberValue.storage, pdb: pdb)
    }

    func cast(_ value: CppValue, to type: CppType, pdb: PDBSymbolSource?, at: Int) throws
        -> CppValue
    {
        switch shape(type, pdb: pdb) {
        case .base(let simple) where simple.encoding == .float:
            let number = try double(value, at: at)
            let bits = simple.size == 4 ? UInt64(Float(number).bitPattern) : number.bitPattern
            return CppValue.integer(bits, type, pdb: pdb).with(pdb: pdb)
        case .userDefined:
            guard case .memory = value.storage else {
                throw CppError(kind: .typeConflict, offset: at)
            }
            return CppValue(type: type, storage: value.storage, pdb: pdb)
        default:
            let bits =
                isFloat(value)
                ? UInt64(bitPattern: Int64(try double(value, at: at)))
                : try integer(value, at: at).0
            return CppValue.integer(bits, type, pdb: pdb).with(pdb: pdb)
        }
    }
}

extension CppValue {
    func with(pdb: PDBSymbolSource?) -> CppValue {
        var copy = self
        copy.pdb = pdb
        return copy
    }
}
