extension Disassembler {
    /// The two lines CDB prints for the current instruction after a register display (`r`,
    /// `.ecxr`, `.cxr`, `~Ns`, every stop) and under `!analyze`'s `FAULTING_IP:`:
    ///
    ///     ntdll!LdrpDoDebuggerBreak+0x30:
    ///     00007ffe`37b207a0 cc              int     3
    ///
    /// The label line is left out when the symbolizer has no name for `address`. With
    /// `readRegister`, the instruction line ends with the effective-address annotation
    /// (`mov eax,dword ptr [ebp+8] ss:0023:0012ff88=00000001`), as after `r`; without it,
    /// as in `FAULTING_IP`, it does not. Unreadable memory gives `??              ???`.
    public func currentInstructionLines(
        at address: UInt64, read: MemoryReader, symbolizer: Symbolizer? = nil,
        readRegister: RegisterReader? = nil, showSelector: Bool? = nil
    ) -> [String] {
        let instruction =
            decodeSequence(from: address, read: read, maxCount: 1, endAddress: nil)
            .first.map { formatted($0, symbolizer: symbolizer) }
            ?? Instruction.unreadable(architecture, address: address)
        var lines: [String] = []
        if let name = symbolizer?(address) { lines.append(name + ":") }
        let annotation = readRegister.flatMap { readRegister in
            instruction.effectiveAddressAnnotation(
                readRegister: readRegister, readMemory: read, showSelector: showSelector)
        }
        lines.append(instruction.cdbLine(appending: annotation))
        return lines
    }
}
