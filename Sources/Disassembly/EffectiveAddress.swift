extension Instruction {
    /// The address the instruction's memory operand refers to, computed from register values
    /// (`base + index*scale + displacement`, wrapped to the address size), nil when there is
    /// no memory operand or a register is unknown. For `fs:`/`gs:` operands this is the offset
    /// within the segment, as CDB shows it; see `effectiveAddressAnnotation` for the value.
    public func effectiveAddress(readRegister: RegisterReader) -> UInt64? {
        guard let memory = memoryOperand else { return nil }
        if let absolute = memory.absoluteAddress { return absolute }
        var sum: UInt64 = UInt64(bitPattern: memory.displacement)
        if let base = memory.base {
            guard let value = RegisterValues.value(of: base, architecture, readRegister) else {
                return nil
            }
            sum = sum &+ value
        }
        if let index = memory.index {
            guard let value = RegisterValues.value(of: index, architecture, readRegister) else {
                return nil
            }
            // ARM can subtract the index (scale -1).
            let scaled = value &* UInt64(max(1, memory.scale.magnitude))
            sum = memory.scale < 0 ? sum &- scaled : sum &+ scaled
        }
        let mask: UInt64 =
            memory.addressSize >= 8 ? .max : (memory.addressSize == 2 ? 0xFFFF : 0xFFFF_FFFF)
        return sum & mask
    }

    /// The annotation CDB appends to the current instruction after `r`, `.ecxr` and at a stop:
    /// the segment, the effective address and the value there (`?` for unreadable bytes),
    /// sized by the operand:
    ///
    ///     ds:0023:00000004=????????              (x86)
    ///     ss:00000000`0012ff88=0000000000000001  (x64)
    ///
    /// `showSelector` decides whether the selector value (`0023`) appears; by default it does
    /// on x86 and not on x64 (CDB prints it for x64 in kernel contexts, e.g. `ds:002b:`). The
    /// selector is read with `readRegister("ds")` etc. and left out if unknown. Values behind
    /// `fs:`/`gs:` are read at the segment base (`readRegister("fsbase")`/`"gsbase"`) plus the
    /// offset. Nil when the instruction has no memory operand that it accesses (`lea`, `nop`)
    /// or is not x86/x64 (CDB annotates only those).
    public func effectiveAddressAnnotation(
        readRegister: RegisterReader, readMemory: MemoryReader, showSelector: Bool? = nil
    ) -> String? {
        guard architecture.isX86Family, let memory = memoryOperand, memory.accessesMemory,
            let offset = effectiveAddress(readRegister: readRegister)
        else { return nil }
        let segment = memory.segment ?? "ds"
        var text = segment + ":"
        if showSelector ?? (architecture == .x86), let selector = readRegister(segment) {
            text += CDBText.hex(selector & 0xFFFF, digits: 4) + ":"
        }
        text += CDBText.address(offset, is64Bit: architecture.is64Bit)
        text += "="

        let size = max(1, min(memory.size ?? 4, 64))
        var linear: UInt64? = offset
        if segment == "fs" || segment == "gs" {
            linear = readRegister(segment + "base").map {
                ($0 &+ offset) & architecture.addressMask
            }
        }
        let bytes = linear.map { readMemory($0, size) } ?? []
        guard bytes.count >= size else {
            return text + String(repeating: "?", count: size * 2)
        }
        // Little-endian: the most significant byte is last.
        return text + CDBText.hexBytes(bytes.prefix(size).reversed())
    }
}

/// Register values by the names operands use, derived from the full-width registers the
/// engine provides (`eax` and `ax` from `rax` on x64, `ax` from `eax` on x86).
enum RegisterValues {
    static func value(
        of name: String, _ architecture: Architecture, _ read: RegisterReader
    ) -> UInt64? {
        if let direct = read(name) { return direct }
        guard architecture.isX86Family, let (full, mask) = containing(name, architecture)
        else { return nil }
        return read(full).map { $0 & mask }
    }

    /// The full register holding `name`, and the mask that extracts it.
    static func containing(_ name: String, _ architecture: Architecture) -> (String, UInt64)? {
        let legacy = ["ax": "a", "bx": "b", "cx": "c", "dx": "d"]
        let pointers = ["si", "di", "bp", "sp", "ip"]
        let wide = architecture == .x64 ? "r" : "e"
        if name.count == 3, name.hasPrefix("e") {
            let stem = String(name.dropFirst())
            if legacy[stem] != nil || pointers.contains(stem) {
                return architecture == .x64 ? ("r" + stem, 0xFFFF_FFFF) : nil
            }
        }
        if name.count == 2, legacy[name] != nil || pointers.contains(name) {
            return (wide + name, 0xFFFF)
        }
        if name.hasPrefix("r"), let last = name.last, "dwb".contains(last) {
            let number = name.dropFirst().dropLast()
            if let value = Int(number), (8...15).contains(value) {
                let mask: UInt64 = last == "d" ? 0xFFFF_FFFF : last == "w" ? 0xFFFF : 0xFF
                return ("r" + number, mask)
            }
        }
        return nil
    }
}
