extension Builtins {
    /// `!error Value [Flags]`: the text of a Win32 error or NTSTATUS code.
    static let errorCode = Command(
        name: "!error",
        summary: "decode a Win32 error or NTSTATUS value",
        usage: "!error Value [Flags]",
        details: ["Flags 1 reads Value as an NTSTATUS code."],
        argument: .expression
    ) { invocation in
        var words = ArgumentWords(invocation.arguments)
        guard let valueWord = words.next() else { throw CommandError.syntax() }
        let value = try invocation.evaluate(valueWord)
        let flags = try words.next().map { try invocation.evaluate($0) } ?? 0
        if let extra = words.next() { throw CommandError.syntax(at: extra.startIndex) }
        guard value <= UInt64(UInt32.max) else {
            throw CommandError.message("Error code 0x\(String(value, radix: 16)) is not 32 bits")
        }
        invocation.out.line(ErrorCodeText.line(UInt32(value), asStatus: flags & 1 != 0))
    }
}

/// `!error`'s line: `Error code: (Win32) 0x2 (2) - The system cannot find the file specified.`
/// or `Error code: (NTSTATUS) 0x2 - STATUS_WAIT_2` (the two forms of -error.md).
enum ErrorCodeText {
    static let unknown = "<Unable to get error code text>"

    static func line(_ value: UInt32, asStatus: Bool) -> String {
        // A value with severity bits set is an NTSTATUS (inferred: the page shows only
        // Win32 by default and NTSTATUS with flag 1).
        if asStatus || value & 0xC000_0000 != 0 {
            let text = ErrorMessages.ntstatus[value] ?? Self.waitName(value) ?? unknown
            return "Error code: (NTSTATUS) 0x\(String(value, radix: 16)) - \(text)"
        }
        return "Error code: (Win32) 0x\(String(value, radix: 16)) (\(value)) - "
            + (ErrorMessages.win32[value] ?? unknown)
    }

    /// `STATUS_WAIT_1` ... `STATUS_WAIT_63`: the successful wait results.
    static func waitName(_ value: UInt32) -> String? {
        (1...63).contains(value) ? "STATUS_WAIT_\(value)" : nil
    }
}
