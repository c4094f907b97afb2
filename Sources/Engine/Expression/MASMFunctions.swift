// MASM functions: `$scmp`, `$sicmp`, `$spat`, `$vvalid`, `$iment`.

/// The functions the evaluator implements. (`$fnsucc` needs type information and is not here.)
enum MASMFunction: String {
    case scmp = "$scmp"
    case sicmp = "$sicmp"
    case spat = "$spat"
    case vvalid = "$vvalid"
    case iment = "$iment"
}

extension MASMParser {
    /// Parses the argument list of `function` (its name already consumed) and evaluates it.
    mutating func parseFunctionCall(_ function: MASMFunction, nameStart: Int)
        throws(ExpressionError) -> UInt64
    {
        skipWhitespace()
        let open = position
        guard current == ASCII.openParen else { throw error(.syntax, at: open) }
        try enterNesting(at: open)
        defer { depth -= 1 }
        position += 1
        switch function {
        case .scmp, .sicmp, .spat:
            // CDB points string-argument errors at the opening parenthesis.
            guard let (first, second) = parseStringPair() else {
                throw error(.syntax, at: open)
            }
            lastTokenStart = position - 1
            switch function {
            case .scmp: return Self.compare(first, second)
            case .sicmp:
                return Self.compare(first.map(ASCII.lowercased), second.map(ASCII.lowercased))
            default: return WildcardPattern(bytes: second).matches(first) ? 1 : 0
            }
        case .vvalid:
            let address = try parseExpression()
            try expect(ASCII.comma)
            let length = try parseExpression()
            try expect(ASCII.closeParen)
            return environment.isValidMemory(at: address, length: length) ? 1 : 0
        case .iment:
            let base = try parseExpression()
            try expect(ASCII.closeParen)
            return try imageEntryPoint(base: base)
        }
    }

    /// Consumes `byte` after optional whitespace, or fails with a syntax error there.
    mutating func expect(_ byte: UInt8) throws(ExpressionError) {
        skipWhitespace()
        guard current == byte else { throw error(.syntax, at: position) }
        lastTokenStart = position
        position += 1
    }

    /// `"a" , "b" )`, leaving `position` after the `)`; nil when malformed.
    mutating func parseStringPair() -> ([UInt8], [UInt8])? {
        skipWhitespace()
        guard let first = parseString() else { return nil }
        skipWhitespace()
        guard current == ASCII.comma else { return nil }
        position += 1
        skipWhitespace()
        guard let second = parseString() else { return nil }
        skipWhitespace()
        guard current == ASCII.closeParen else { return nil }
        position += 1
        return (first, second)
    }

    /// `"text"` with C escapes (`\\` `\"` `\n` `\t` `\r` `\b` `\0`), or `@"text"` verbatim.
    mutating func parseString() -> [UInt8]? {
        var verbatim = false
        if current == ASCII.at {
            verbatim = true
            position += 1
        }
        guard current == ASCII.quote else { return nil }
        position += 1
        var result: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == ASCII.quote { return result }
            if byte == ASCII.backslash, !verbatim {
                guard position < bytes.count else { return nil }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case 0x6E: result.append(ASCII.newline)  // n
                case 0x74: result.append(ASCII.tab)  // t
                case 0x72: result.append(ASCII.carriageReturn)  // r
                case 0x62: result.append(0x08)  // b
                case 0x30: result.append(0)  // 0
                default: result.append(escaped)
                }
            } else {
                result.append(byte)
            }
        }
        return nil
    }

    /// strcmp-style comparison: -1, 0 or 1 as a 64-bit value.
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> UInt64 {
        for (left, right) in zip(lhs, rhs) where left != right {
            return left < right ? UInt64.max : 1
        }
        if lhs.count == rhs.count { return 0 }
        return lhs.count < rhs.count ? UInt64.max : 1
    }

    /// `$iment(base)`: the entry point of the PE image at `base`, read through the
    /// environment's memory (`IMAGE_DOS_HEADER.e_lfanew`, then
    /// `IMAGE_OPTIONAL_HEADER.AddressOfEntryPoint`).
    func imageEntryPoint(base: UInt64) throws(ExpressionError) -> UInt64 {
        let errorOffset = lastTokenStart
        func read(_ address: UInt64, _ size: Int) throws(ExpressionError) -> UInt64 {
            try lookup(at: errorOffset) { () throws(LookupFailure) in
                try environment.readMemory(at: address, size: size, physical: false)
            }
        }
        guard try read(base, 2) == 0x5A4D else { throw error(.operand, at: errorOffset) }  // MZ
        let headerOffset = try read(base &+ 0x3C, 4)
        let header = base &+ headerOffset
        guard try read(header, 4) == 0x4550 else { throw error(.operand, at: errorOffset) }  // PE
        let entry = try read(header &+ 0x28, 4)
        return base &+ entry
    }
}
