// ASCII character classes used by the MASM scanner. The scanner works on UTF-8 bytes; every
// byte outside ASCII is "other", so non-ASCII text can only appear inside quoted strings and
// backtick-quoted symbol names.

enum ASCII {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let backtick: UInt8 = 0x60  // `
    static let apostrophe: UInt8 = 0x27  // '
    static let quote: UInt8 = 0x22  // "
    static let backslash: UInt8 = 0x5C
    static let at: UInt8 = 0x40  // @
    static let dollar: UInt8 = 0x24  // $
    static let bang: UInt8 = 0x21  // !
    static let question: UInt8 = 0x3F  // ?
    static let underscore: UInt8 = 0x5F
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let dot: UInt8 = 0x2E
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let star: UInt8 = 0x2A
    static let slash: UInt8 = 0x2F
    static let percent: UInt8 = 0x25
    static let less: UInt8 = 0x3C
    static let greater: UInt8 = 0x3E
    static let equal: UInt8 = 0x3D
    static let ampersand: UInt8 = 0x26
    static let caret: UInt8 = 0x5E
    static let bar: UInt8 = 0x7C
    static let zero: UInt8 = 0x30

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == newline || byte == carriageReturn
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }

    /// Characters of a bare word: letters, digits, `_`, `$`, `?`.
    static func isWordCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == underscore || byte == dollar || byte == question
    }

    /// Characters of a symbol name after `!`: word characters plus `@` (decorated C++ names).
    static func isSymbolCharacter(_ byte: UInt8) -> Bool {
        isWordCharacter(byte) || byte == at
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// The value of a digit in bases up to 16, or nil.
    static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 0x30...0x39: UInt64(byte - 0x30)
        case 0x41...0x46: UInt64(byte - 0x41 + 10)
        case 0x61...0x66: UInt64(byte - 0x61 + 10)
        default: nil
        }
    }
}
