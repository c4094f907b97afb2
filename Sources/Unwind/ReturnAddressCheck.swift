import PEFormat

/// The default test for "this stack value is probably a return address": it points into a
/// module's executable code and, when the code bytes can be read, the instruction before it
/// is a call. The engine can replace it (`StackWalker.isLikelyReturnAddress`) with one built on
/// its disassembler.
struct ReturnAddressCheck {
    let architecture: CPUArchitecture
    let modules: any UnwindModuleLookup
    let memory: any ByteSource

    func isLikelyReturnAddress(_ address: UInt64) -> Bool {
        guard address >= 0x1000, let module = modules.module(containing: address) else {
            return false
        }
        let instructionAddress = architecture == .arm ? address & ~1 : address
        guard module.isCode(instructionAddress) else { return false }
        return followsCall(instructionAddress, module: module) ?? true
    }

    /// True/false when the bytes before `address` could be read, nil when not.
    func followsCall(_ address: UInt64, module: UnwindModule) -> Bool? {
        switch architecture {
        case .x86, .amd64:
            guard let start = address.subtracting(7), let rva = module.rva(of: start),
                let bytes = module.read(rva: rva, count: 7, memory: memory)
            else { return nil }
            return Self.x86CallEndsAt(bytes)
        case .arm64:
            guard address & 3 == 0, let start = address.subtracting(4),
                let rva = module.rva(of: start),
                let word = module.read(rva: rva, count: 4, memory: memory), word.count == 4
            else { return nil }
            let instruction =
                UInt32(word[0]) | UInt32(word[1]) << 8 | UInt32(word[2]) << 16 | UInt32(word[3])
                << 24
            return instruction & 0xFC00_0000 == 0x9400_0000  // BL
                || instruction & 0xFFFF_FC1F == 0xD63F_0000  // BLR
                || instruction & 0xFEFF_F800 == 0xD63F_0800  // BLRAA/BLRAB(Z)
        case .arm:
            guard let start = address.subtracting(4), let rva = module.rva(of: start),
                let bytes = module.read(rva: rva, count: 4, memory: memory), bytes.count == 4
            else { return nil }
            let first = UInt16(bytes[0]) | UInt16(bytes[1]) << 8
            let second = UInt16(bytes[2]) | UInt16(bytes[3]) << 8
            // Thumb-2 BL/BLX immediate, or 16-bit BLX register ending at the address.
            return
                (first & 0xF800 == 0xF000
                && (second & 0xD000 == 0xD000 || second & 0xD000 == 0xC000))
                || second & 0xFF87 == 0x4780
        }
    }

    /// Whether the 7 bytes before a return address end with a call instruction: `call rel32`,
    /// or `call r/m` (FF /2) in its register, memory, disp8, disp32 and RIP-relative forms.
    static func x86CallEndsAt(_ b: [UInt8]) -> Bool {
        guard b.count == 7 else { return false }
        // b[6] is the byte just before the return address.
        if b[2] == 0xE8 { return true }  // E8 rel32
        if b[5] == 0xFF, b[6] & 0xF8 == 0xD0 { return true }  // FF D0+r
        // FF /2 [reg]
        if b[5] == 0xFF, b[6] & 0xF8 == 0x10, b[6] & 7 != 4, b[6] & 7 != 5 { return true }
        if b[4] == 0xFF, b[5] & 0xF8 == 0x50, b[5] != 0x54 { return true }  // FF /2 [reg+disp8]
        if b[4] == 0xFF, b[5] == 0x14 { return true }  // FF /2 [sib]
        if b[3] == 0xFF, b[4] == 0x54 { return true }  // FF /2 [sib+disp8]
        if b[1] == 0xFF, b[2] == 0x15 { return true }  // FF 15 [rip+disp32] / [disp32]
        if b[1] == 0xFF, b[2] & 0xF8 == 0x90, b[2] != 0x94 { return true }  // FF /2 [reg+disp32]
        if b[0] == 0xFF, b[1] == 0x94 { return true }  // FF /2 [sib+disp32]
        return false
    }
}
