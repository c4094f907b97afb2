/// A small x86-64 decoder: instruction lengths (the instruction clock counts the instructions of
/// each translated block) and the memory an instruction touches (a page fault's read, write or
/// execute; a divide error's divisor). It decodes 64-bit mode only, and only as much as those
/// questions need; anything it does not know reads as a one-byte instruction that touches no
/// memory. Unlike Capstone it needs no lock and no allocation.
struct DecodedInstruction: Equatable, Sendable {
    enum Access: Equatable, Sendable {
        case read, write, readWrite
        var writes: Bool { self != .read }
    }

    /// A memory operand `[segment: base + index * scale + displacement]`.
    struct MemoryOperand: Equatable, Sendable {
        /// Register numbers 0-15 (rax...r15); nil when absent.
        var base: Int?
        var index: Int?
        var scale: UInt64
        var displacement: Int64
        var ripRelative: Bool
        /// `fs:` or `gs:`.
        var segment: Segment?
        /// 32-bit addressing (an `addr32` prefix).
        var addressSize32: Bool
        var access: Access
    }

    enum Segment: Equatable, Sendable { case fs, gs }

    /// An implied memory access (stack, string instructions).
    enum Implicit: Equatable, Sendable {
        /// A push: writes the 8 bytes below rsp.
        case push
        /// A pop or return: reads the 8 bytes at rsp.
        case pop
        /// `movs`: reads [rsi], writes [rdi].
        case moveString
        /// `stos`: writes [rdi].
        case storeString
        /// `lods`: reads [rsi].
        case loadString
        /// `scas`: reads [rdi]; `cmps`: reads [rsi] and [rdi].
        case compareString
        /// `leave`: reads [rbp].
        case leave
    }

    var length: Int
    /// The opcode: one byte, or 0x0F00 | byte, 0x0F3800 | byte, 0x0F3A00 | byte.
    var opcode: UInt32
    /// ModRM's reg field (the opcode extension of group instructions), when there is a ModRM.
    var modrmReg: Int?
    /// ModRM's rm when mod is 3 (a register operand), with REX.B applied.
    var registerOperand: Int?
    var memory: MemoryOperand?
    var implicit: [Implicit]
    var operandSize: Int
    var hasRepPrefix: Bool

    /// Any access that writes memory.
    var writesMemory: Bool {
        (memory?.access.writes ?? false)
            || implicit.contains { [.push, .moveString, .storeString].contains($0) }
    }
}

enum InstructionDecoder {
    /// The longest x86 instruction.
    static let maximumLength = 15

    /// Decodes the instruction at the start of `bytes` (at most 15 are looked at). Nil when the
    /// bytes end before the instruction does.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> DecodedInstruction? {
        var cursor = Cursor(bytes: bytes)
        return cursor.decode()
    }

    static func decode(_ bytes: [UInt8]) -> DecodedInstruction? {
        bytes.withUnsafeBytes { decode($0) }
    }

    /// The number of instructions in `bytes` (a translated block). Bytes that do not decode
    /// count as one-byte instructions, so the count is deterministic whatever the code.
    static func count(_ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        var count = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let length = decode(rest)?.length ?? rest.count
            offset += max(1, length)
            count += 1
        }
        return count
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func next() -> UInt8? {
            guard offset < bytes.count, offset < InstructionDecoder.maximumLength else {
                return nil
            }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func skip(_ count: Int) -> Bool {
            offset += count
            return offset <= bytes.count && offset <= InstructionDecoder.maximumLength
        }

        func signed(at position: Int, size: Int) -> Int64 {
            var value: UInt64 = 0
            for index in 0..<size { value |= UInt64(bytes[position + index]) << (8 * index) }
            let shift = UInt64(64 - 8 * size)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }

        // swiftlint:disable:next cyclomatic_complexity function_body_length
        mutating func decode() -> DecodedInstruction? {
            var operandSize16 = false
            var addressSize32 = false
            var segment: DecodedInstruction.Segment?
            var rex: UInt8 = 0
            var rep = false
            var prefix66 = false
            var prefixF2 = false
            var prefixF3 = false
            var byte: UInt8
            // Legacy prefixes, then REX (which must come last).
            while true {
                guard let value = next() else { return nil }
                switch value {
                case 0x66:
                    operandSize16 = true
                    prefix66 = true
                case 0x67: addressSize32 = true
                case 0x64: segment = .fs
                case 0x65: segment = .gs
                case 0x2E, 0x36, 0x3E, 0x26, 0xF0: break
                case 0xF2:
                    rep = true
                    prefixF2 = true
                case 0xF3:
                    rep = true
                    prefixF3 = true
                default:
                    byte = value
                    if value & 0xF0 == 0x40 {
                        rex = value
                        guard let opcodeByte = next() else { return nil }
                        byte = opcodeByte
                    }
                    return finish(
                        first: byte, rex: rex, operandSize16: operandSize16,
                        addressSize32: addressSize32, segment: segment, rep: rep,
                        prefix66: prefix66, prefixF2: prefixF2, prefixF3: prefixF3)
                }
            }
        }

        // swiftlint:disable:next cyclomatic_complexity function_body_length function_parameter_count
        mutating func finish(
            first: UInt8, rex: UInt8, operandSize16: Bool, addressSize32: Bool,
            segment: DecodedInstruction.Segment?, rep: Bool, prefix66: Bool, prefixF2: Bool,
            prefixF3: Bool
        ) -> DecodedInstruction? {
            let rexW = rex & 8 != 0
            var rexR = rex & 4 != 0
            var rexX = rex & 2 != 0
            var rexB = rex & 1 != 0
            _ = rexR
            var opcode = UInt32(first)
            var hasModRM: Bool
            var immediate = 0
            var vexMap = 0
            let z = operandSize16 ? 2 : 4
            switch first {
            case 0xC4, 0xC5, 0x62:
                // VEX (always in 64-bit mode) and EVEX.
                guard let payload = next() else { return nil }
                rexR = payload & 0x80 == 0
                if first == 0xC5 {
                    vexMap = 1
                } else {
                    rexX = payload & 0x40 == 0
                    rexB = payload & 0x20 == 0
                    vexMap = Int(payload & 0x1F)
                    if first == 0x62 { vexMap = Int(payload & 0x03) }
                    guard next() != nil else { return nil }
                    if first == 0x62 { guard next() != nil else { return nil } }
                }
                guard let operation = next() else { return nil }
                opcode =
                    (vexMap == 2 ? 0x0F3800 : vexMap == 3 ? 0x0F3A00 : 0x0F00) | UInt32(operation)
                hasModRM = true
                if vexMap == 3
                    || (vexMap == 1
                        && [0x70, 0x71, 0x72, 0x73, 0xC2, 0xC4, 0xC5, 0xC6].contains(operation))
                {
                    immediate = 1
                }
            case 0x0F:
                guard let second = next() else { return nil }
                switch second {
                case 0x38:
                    guard let third = next() else { return nil }
                    opcode = 0x0F3800 | UInt32(third)
                    hasModRM = true
                case 0x3A:
                    guard let third = next() else { return nil }
                    opcode = 0x0F3A00 | UInt32(third)
                    hasModRM = true
                    immediate = 1
                default:
                    opcode = 0x0F00 | UInt32(second)
                    hasModRM = !InstructionDecoder.twoByteWithoutModRM(second)
                    if second >= 0x80 && second <= 0x8F { immediate = 4 }
                    if [0x70, 0x71, 0x72, 0x73, 0xA4, 0xAC, 0xBA, 0xC2, 0xC4, 0xC5, 0xC6, 0x0F]
                        .contains(second)
                    {
                        immediate = 1
                    }
                }
            default:
                hasModRM = InstructionDecoder.oneByteHasModRM(first)
                immediate = InstructionDecoder.oneByteImmediate(
                    first, z: z, rexW: rexW, addressSize32: addressSize32)
            }

            var modrmReg: Int?
            var registerOperand: Int?
            var memory: DecodedInstruction.MemoryOperand?
            if hasModRM {
                guard let modrm = next() else { return nil }
                let mod = modrm >> 6
                let reg = Int((modrm >> 3) & 7)
                let rm = Int(modrm & 7)
                modrmReg = reg
                if mod == 3 {
                    registerOperand = rm | (rexB ? 8 : 0)
                } else {
                    var base: Int? = rm | (rexB ? 8 : 0)
                    var index: Int?
                    var scale: UInt64 = 1
                    var displacementSize = mod == 1 ? 1 : mod == 2 ? 4 : 0
                    var ripRelative = false
                    if rm == 4 {
                        guard let sib = next() else { return nil }
                        scale = 1 << UInt64(sib >> 6)
                        let indexField = Int((sib >> 3) & 7) | (rexX ? 8 : 0)
                        index = indexField == 4 ? nil : indexField
                        let baseField = Int(sib & 7)
                        base = baseField | (rexB ? 8 : 0)
                        if baseField == 5 && mod == 0 {
                            base = nil
                            displacementSize = 4
                        }
                    } else if rm == 5 && mod == 0 {
                        base = nil
                        ripRelative = true
                        displacementSize = 4
                    }
                    let displacementOffset = offset
                    guard skip(displacementSize) else { return nil }
                    let displacement =
                        displacementSize == 0
                        ? 0 : signed(at: displacementOffset, size: displacementSize)
                    memory = DecodedInstruction.MemoryOperand(
                        base: base, index: index, scale: scale, displacement: displacement,
                        ripRelative: ripRelative, segment: segment, addressSize32: addressSize32,
                        access: .read)
                }
                // F6/F7 carry an immediate only in their test forms.
                if first == 0xF6 && (reg == 0 || reg == 1) && vexMap == 0 { immediate = 1 }
                if first == 0xF7 && (reg == 0 || reg == 1) && vexMap == 0 { immediate = z }
            }
            let moffs =
                (first == 0xA0 || first == 0xA1 || first == 0xA2 || first == 0xA3) && vexMap == 0
            let immediateOffset = offset
            guard skip(immediate) else { return nil }
            if moffs {
                let address = signed(at: immediateOffset, size: immediate)
                memory = DecodedInstruction.MemoryOperand(
                    base: nil, index: nil, scale: 1, displacement: address, ripRelative: false,
                    segment: segment, addressSize32: addressSize32,
                    access: first >= 0xA2 ? .write : .read)
            }
            var decoded = DecodedInstruction(
                length: offset, opcode: opcode, modrmReg: modrmReg,
                registerOperand: registerOperand,
                memory: memory, implicit: [], operandSize: rexW ? 8 : operandSize16 ? 2 : 4,
                hasRepPrefix: rep)
            if !moffs, decoded.memory != nil {
                decoded.memory?.access = InstructionDecoder.access(
                    opcode: opcode, reg: modrmReg ?? 0, vex: vexMap != 0, prefix66: prefix66,
                    prefixF2: prefixF2, prefixF3: prefixF3)
            }
            decoded.implicit = InstructionDecoder.implicit(opcode: opcode, reg: modrmReg)
            return decoded
        }
    }

    // MARK: Tables

    static func oneByteHasModRM(_ opcode: UInt8) -> Bool {
        switch opcode {
        case 0x00...0x3F: return opcode & 7 < 4
        case 0x63, 0x69, 0x6B: return true
        case 0x80...0x8F: return true
        case 0xC0, 0xC1, 0xC6, 0xC7: return true
        case 0xD0...0xD3, 0xD8...0xDF: return true
        case 0xF6, 0xF7, 0xFE, 0xFF: return true
        default: return false
        }
    }

    static func oneByteImmediate(_ opcode: UInt8, z: Int, rexW: Bool, addressSize32: Bool) -> Int {
        switch opcode {
        case 0x00...0x3F:
            switch opcode & 7 {
            case 4: return 1
            case 5: return z
            default: return 0
            }
        case 0x68, 0x69, 0x81, 0xA9, 0xC7: return z
        case 0x6A, 0x6B, 0x80, 0x82, 0x83, 0xA8, 0xC0, 0xC1, 0xC6, 0xCD: return 1
        case 0x70...0x7F, 0xE0...0xE7, 0xEB, 0xB0...0xB7: return 1
        case 0xB8...0xBF: return rexW ? 8 : z
        case 0xA0...0xA3: return addressSize32 ? 4 : 8
        case 0xC2, 0xCA: return 2
        case 0xC8: return 3
        case 0xE8, 0xE9: return 4
        default: return 0
        }
    }

    static func twoByteWithoutModRM(_ second: UInt8) -> Bool {
        switch second {
        case 0x05, 0x06, 0x07, 0x08, 0x09, 0x0B, 0x0E, 0x30...0x37, 0x77, 0x80...0x8F, 0xA0,
            0xA1, 0xA2, 0xA8, 0xA9, 0xAA, 0xC8...0xCF:
            return true
        default:
            return false
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_parameter_count
    static func access(
        opcode: UInt32, reg: Int, vex: Bool, prefix66: Bool, prefixF2: Bool, prefixF3: Bool
    ) -> DecodedInstruction.Access {
        if opcode < 0x100 {
            let byte = UInt8(opcode)
            switch byte {
            case 0x00...0x3F:
                if byte & 0xF8 == 0x38 { return .read }
                return byte & 7 < 2 ? .readWrite : .read
            case 0x80...0x83: return reg == 7 ? .read : .readWrite
            case 0x84, 0x85, 0x8A, 0x8B, 0x8E, 0x63, 0x69, 0x6B: return .read
            case 0x86, 0x87: return .readWrite
            case 0x88, 0x89, 0x8C, 0x8F, 0xC6, 0xC7: return .write
            case 0xC0, 0xC1, 0xD0...0xD3: return .readWrite
            case 0xF6, 0xF7: return reg == 2 || reg == 3 ? .readWrite : .read
            case 0xFE: return reg <= 1 ? .readWrite : .read
            case 0xFF: return reg <= 1 ? .readWrite : .read
            case 0xD9: return [2, 3, 6, 7].contains(reg) ? .write : .read
            case 0xDB: return [1, 2, 3, 7].contains(reg) ? .write : .read
            case 0xDD: return [1, 2, 3, 6, 7].contains(reg) ? .write : .read
            case 0xDF: return [1, 2, 3, 6, 7].contains(reg) ? .write : .read
            default: return .read
            }
        }
        if opcode & 0xFFFF00 == 0x0F00 {
            let byte = UInt8(opcode & 0xFF)
            switch byte {
            case 0x11, 0x13, 0x17, 0x29, 0x2B, 0x7F, 0xE7, 0xC3, 0xD6: return .write
            case 0x7E: return prefixF3 ? .read : .write
            case 0x90...0x9F: return .write
            case 0xAB, 0xB3, 0xBB, 0xB0, 0xB1, 0xC0, 0xC1, 0xA4, 0xA5, 0xAC, 0xAD: return .readWrite
            case 0xBA: return reg >= 5 ? .readWrite : .read
            case 0xC7: return reg == 1 ? .readWrite : .read
            case 0xAE: return [0, 3, 4, 6].contains(reg) ? .write : .read
            case 0x00: return reg == 0 || reg == 1 ? .write : .read
            case 0x01: return reg == 0 || reg == 1 ? .write : .read
            default: return .read
            }
        }
        if opcode & 0xFFFF00 == 0x0F3A00 {
            let byte = UInt8(opcode & 0xFF)
            return [0x14, 0x15, 0x16, 0x17, 0x19, 0x1D].contains(byte) ? .write : .read
        }
        if opcode == 0x0F38F1 && !prefixF2 { return .write }
        _ = (vex, prefix66)
        return .read
    }

    static func implicit(opcode: UInt32, reg: Int?) -> [DecodedInstruction.Implicit] {
        switch opcode {
        case 0x50...0x57, 0x68, 0x6A, 0x9C, 0xE8, 0xC8, 0x0FA0, 0x0FA8: return [.push]
        case 0x58...0x5F, 0x9D, 0xC2, 0xC3, 0xCA, 0xCB, 0xCF, 0x0FA1, 0x0FA9: return [.pop]
        case 0x8F: return [.pop]
        case 0xC9: return [.leave]
        case 0xA4, 0xA5: return [.moveString]
        case 0xAA, 0xAB: return [.storeString]
        case 0xAC, 0xAD: return [.loadString]
        case 0xA6, 0xA7, 0xAE, 0xAF: return [.compareString]
        case 0xFF: return reg == 2 || reg == 6 ? [.push] : []
        default: return []
        }
    }
}
