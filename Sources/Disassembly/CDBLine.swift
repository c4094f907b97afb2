extension Instruction {
    /// The instruction as CDB prints it in `u`, after `r` and in `!analyze`'s `FAULTING_IP`:
    ///
    ///     00007ffc`0f1d48fb 7464            je      ntdll!`string'+0x21 (00007ffc`0f1d4961)
    ///     725fb99e e9fcf8f5ff      jmp     dwmcore!CComposition::ProcessComposition+0x131 (7255b29f)
    ///     00007ffb`7c9c1234 a9bf7bfd stp         fp,lr,[sp,#-0x10]!
    ///
    /// x86/x64: address, a space, the bytes as hex padded to 16 columns (a longer byte string
    /// is followed by one space), the mnemonic padded to 8 columns (one space minimum), the
    /// operands. ARM: the instruction word(s) as hex in an 8-column field plus a space, and
    /// the mnemonic in 12 columns. Unreadable memory prints as `??              ???`.
    public var cdbLine: String { cdbLine(appending: nil) }

    /// `cdbLine` followed by a space and `annotation` (the effective-address annotation CDB
    /// shows after `r`, such as `ds:0023:00000004=????????`), when one is given.
    public func cdbLine(appending annotation: String?) -> String {
        var line = CDBText.address(address, is64Bit: architecture.is64Bit)
        line.reserveCapacity(80)
        line += " "
        let byteColumn: String
        let byteWidth: Int
        let mnemonicWidth: Int
        if architecture.isX86Family {
            byteColumn = status == .unreadable ? "??" : CDBText.hexBytes(bytes)
            byteWidth = 16
            mnemonicWidth = 8
        } else {
            byteColumn = status == .unreadable ? "????????" : armWords
            byteWidth = 9
            mnemonicWidth = 12
        }
        line += byteColumn
        line += String(repeating: " ", count: max(1, byteWidth - byteColumn.count))
        line += mnemonic
        if !operands.isEmpty {
            line += String(repeating: " ", count: max(1, mnemonicWidth - mnemonic.count))
            line += operands
        }
        if let annotation, !annotation.isEmpty {
            line += " "
            line += annotation
        }
        return line
    }

    /// ARM instruction bytes as the little-endian words CDB prints: one 32-bit word for A64
    /// and A32, 16-bit halfwords run together for Thumb (`4770`, `f7ffbf9a`).
    private var armWords: String {
        let unit = architecture == .thumb ? 2 : 4
        guard bytes.count % unit == 0 else { return CDBText.hexBytes(bytes) }
        var text = ""
        var offset = 0
        while offset < bytes.count {
            var word: UInt64 = 0
            for index in (0..<unit).reversed() {
                word = word << 8 | UInt64(bytes[offset + index])
            }
            text += CDBText.hex(word, digits: unit * 2)
            offset += unit
        }
        return text
    }
}
