// Operands: parentheses, numbers, registers, pseudo-registers, symbols, `.`, source lines and
// functions.

extension MASMParser {
    /// Parses one operand at the current position (whitespace already skipped).
    mutating func parseOperand() throws(ExpressionError) -> UInt64 {
        let start = position
        let first = current
        switch first {
        case ASCII.openParen:
            return try parseParenthesized()
        case ASCII.at:
            return try parseAtForm()
        case ASCII.dot where !ASCII.isWordCharacter(byte(at: start + 1)):
            position += 1
            lastTokenStart = start
            guard let value = try pseudoRegisterValue(named: "$ip", at: start) else {
                throw error(.badRegister, at: start)
            }
            return value
        case ASCII.backtick:
            return try parseSourceLine()
        case ASCII.bang where byte(at: start + 1) != ASCII.equal:
            position += 1
            return try parseSymbolName(module: nil, symbolStart: start)
        default:
            guard ASCII.isWordCharacter(first) else {
                throw error(.syntax, at: start)
            }
            return try parseWordOperand()
        }
    }

    /// `( expression )`.
    mutating func parseParenthesized() throws(ExpressionError) -> UInt64 {
        position += 1
        let value = try parseExpression()
        skipWhitespace()
        guard current == ASCII.closeParen else { throw error(.syntax, at: position) }
        lastTokenStart = position
        position += 1
        return value
    }

    /// A word: number, `$` form, module-qualified symbol, register or bare symbol.
    mutating func parseWordOperand() throws(ExpressionError) -> UInt64 {
        let start = position
        let end = wordEnd(from: start)
        if isModuleSeparator(at: end) {
            let module = String(decoding: bytes[start..<end], as: UTF8.self)
            position = end + 1
            return try parseSymbolName(module: module, symbolStart: start)
        }
        position = end
        lastTokenStart = start
        let first = bytes[start]
        if first == ASCII.dollar {
            return try parseDollarWord(start: start, end: end, forcedRegister: false)
        }
        switch NumberLiteral.parse(bytes[start..<end], radix: environment.radix) {
        case .value(let value, let hasBacktick):
            return signExtendedConstant(value, hasBacktick: hasBacktick)
        case .overflow:
            throw error(.overflow, at: start)
        case .notANumber:
            // A word starting with a digit can only be a number (or a module before `!`).
            if ASCII.isDigit(first) { throw error(.syntax, at: start) }
        }
        let name = lowercasedName(start, end)
        if let register = try lookup(
            at: start,
            { () throws(LookupFailure) in
                try environment.register(named: name)
            })
        {
            return Self.registerValue(register)
        }
        return try resolveSymbol(
            SymbolReference(
                module: nil, name: String(decoding: bytes[start..<end], as: UTF8.self),
                isExplicit: false),
            at: start)
    }

    /// Kernel-mode sign extension of `80000000`...`ffffffff` constants without a backtick.
    func signExtendedConstant(_ value: UInt64, hasBacktick: Bool) -> UInt64 {
        guard environment.signExtendsConstants, !hasBacktick,
            value >= 0x8000_0000, value <= 0xFFFF_FFFF
        else { return value }
        return value | 0xFFFF_FFFF_0000_0000
    }

    /// A register's value with 32-bit registers sign-extended.
    static func registerValue(_ register: RegisterValue) -> UInt64 {
        guard register.bitWidth == 32 else { return register.value }
        return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: register.value)))
    }

    // MARK: - @ forms

    /// `@reg`, `@$pseudo`, `@@masm(...)`, `@@c++(...)`.
    mutating func parseAtForm() throws(ExpressionError) -> UInt64 {
        let start = position
        if byte(at: start + 1) == ASCII.at {
            return try parseEvaluatorSwitch(start: start)
        }
        let nameStart = start + 1
        let end = wordEnd(from: nameStart)
        guard end > nameStart else { throw error(.syntax, at: nameStart) }
        position = end
        lastTokenStart = start
        if bytes[nameStart] == ASCII.dollar {
            return try parseDollarWord(start: nameStart, end: end, forcedRegister: true)
        }
        let name = lowercasedName(nameStart, end)
        guard
            let register = try lookup(
                at: start, { () throws(LookupFailure) in try environment.register(named: name) })
        else { throw error(.badRegister, at: start) }
        return Self.registerValue(register)
    }

    /// `@@masm( ... )` evaluates its contents; the C++ forms are not implemented.
    mutating func parseEvaluatorSwitch(start: Int) throws(ExpressionError) -> UInt64 {
        let nameStart = start + 2
        var nameEnd = nameStart
        while ASCII.isAlphanumeric(byte(at: nameEnd)) || byte(at: nameEnd) == ASCII.plus {
            nameEnd += 1
        }
        guard byte(at: nameEnd) == ASCII.openParen else { throw error(.syntax, at: start) }
        switch lowercasedName(nameStart, nameEnd) {
        case "masm":
            try enterNesting(at: start)
            defer { depth -= 1 }
            position = nameEnd
            return try parseParenthesized()
        case "c++", "":
            throw error(.unsupportedCPlusPlus, at: start)
        default:
            throw error(.syntax, at: start)
        }
    }

    // MARK: - $ forms

    /// A word starting with `$`: a function, `$t0`...`$t19`, an automatic pseudo-register, or
    /// (without `@`) a symbol. `position` is already past the word.
    mutating func parseDollarWord(
        start: Int, end: Int, forcedRegister: Bool
    ) throws(ExpressionError) -> UInt64 {
        let name = lowercasedName(start, end)
        let errorStart = forcedRegister ? start - 1 : start
        if !forcedRegister, let function = MASMFunction(rawValue: name) {
            return try parseFunctionCall(function, nameStart: start)
        }
        if let index = UserPseudoRegisters.index(ofName: name) {
            return environment.userPseudoRegister(index)
        }
        if let value = try pseudoRegisterValue(named: name, at: errorStart) {
            return value
        }
        if forcedRegister { throw error(.badRegister, at: errorStart) }
        return try resolveSymbol(
            SymbolReference(
                module: nil, name: String(decoding: bytes[start..<end], as: UTF8.self),
                isExplicit: false),
            at: start)
    }

    func pseudoRegisterValue(named name: String, at offset: Int) throws(ExpressionError)
        -> UInt64?
    {
        try lookup(at: offset) { () throws(LookupFailure) in
            try environment.pseudoRegister(named: name)
        }
    }

    // MARK: - Symbols

    /// The name after `module!` (or after a leading `!`): symbol characters, `::`, and
    /// backtick-quoted parts ending in an apostrophe. `symbolStart` is where errors point.
    mutating func parseSymbolName(module: String?, symbolStart: Int) throws(ExpressionError)
        -> UInt64
    {
        let nameStart = position
        var cursor = nameStart
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if ASCII.isSymbolCharacter(byte) {
                cursor += 1
            } else if byte == ASCII.colon, self.byte(at: cursor + 1) == ASCII.colon {
                cursor += 2
            } else if byte == ASCII.backtick {
                guard let close = bytes[(cursor + 1)...].firstIndex(of: ASCII.apostrophe) else {
                    throw error(.syntax, at: cursor)
                }
                cursor = close + 1
            } else {
                break
            }
        }
        guard cursor > nameStart else { throw error(.syntax, at: nameStart) }
        position = cursor
        lastTokenStart = symbolStart
        let reference = SymbolReference(
            module: module, name: String(decoding: bytes[nameStart..<cursor], as: UTF8.self),
            isExplicit: true)
        return try resolveSymbol(reference, at: symbolStart)
    }

    func resolveSymbol(_ reference: SymbolReference, at offset: Int) throws(ExpressionError)
        -> UInt64
    {
        guard
            let address = try lookup(
                at: offset, { () throws(LookupFailure) in try environment.symbol(reference) })
        else { throw error(.couldNotResolve, at: offset) }
        return address
    }

    /// `` `file.c:123` ``: a source line, resolved by the environment.
    mutating func parseSourceLine() throws(ExpressionError) -> UInt64 {
        let start = position
        guard let close = bytes[(start + 1)...].firstIndex(of: ASCII.backtick) else {
            throw error(.syntax, at: start)
        }
        let text = String(decoding: bytes[(start + 1)..<close], as: UTF8.self)
        position = close + 1
        lastTokenStart = start
        guard
            let address = try lookup(
                at: start, { () throws(LookupFailure) in try environment.sourceLine(text) })
        else { throw error(.couldNotResolve, at: start) }
        return address
    }
}
