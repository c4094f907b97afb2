extension Disassembler {
    /// The call instruction that ends exactly at `returnAddress`, or nil when none does: the
    /// stack walker's test that a value on the stack is a plausible return address.
    ///
    /// x86/x64 calls are 2 to 7 bytes long (`ff d0` … `ff 15 rel32`, `41 ff 94 24 disp32` is
    /// longer but rare), so the bytes 2–7 before the address are decoded; a direct `call rel32`
    /// (`e8`) wins when several lengths decode as calls, else the longest. A64 and A32 check the
    /// word before; Thumb checks a 32-bit `bl`/`blx` and a 16-bit `blx reg` (the Thumb bit in
    /// `returnAddress` is ignored).
    public func callInstruction(
        endingAt returnAddress: UInt64, read: MemoryReader, symbolizer: Symbolizer? = nil
    ) -> Instruction? {
        let lengths: [Int]
        var end = returnAddress & architecture.addressMask
        switch architecture {
        case .x86, .x64: lengths = Array((2...7).reversed())
        case .arm64, .arm: lengths = [4]
        case .thumb:
            end &= ~1
            lengths = [4, 2]
        }
        var calls: [Instruction] = []
        for length in lengths where end >= UInt64(length) {
            let start = end - UInt64(length)
            let bytes = read(start, length)
            guard bytes.count >= length,
                let instruction = decodeRaw(Array(bytes.prefix(length)), at: start, limit: 1).first,
                instruction.isValid, instruction.isCall, instruction.length == length
            else { continue }
            calls.append(instruction)
        }
        guard let chosen = calls.first(where: { $0.bytes.first == 0xE8 }) ?? calls.first else {
            return nil
        }
        return formatted(chosen, symbolizer: symbolizer)
    }
}
