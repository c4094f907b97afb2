import PEFormat

/// Epilog detection and emulation for x64, as RtlVirtualUnwind does it: if the instructions at
/// RIP are `add rsp, N` / `lea rsp, [fp+N]`, then `pop`s, then `ret` or a jump out of the
/// function, the epilog has started and the remaining instructions are emulated forward instead
/// of undoing the prolog.
enum X64Epilog {
    /// The caller's registers when RIP is in an epilog, nil when it is not (or the code bytes are
    /// unavailable, in which case the prolog rules apply).
    static func unwindIfInEpilog(
        context: RegisterContext, module: UnwindModule, function: X64RuntimeFunction,
        info: X64UnwindInfo,
        table: X64FunctionTable, bytes: ModuleBytes, memory: MemoryAccess, limits: StackWalkLimits
    ) -> RegisterContext? {
        guard let rip = context[AMD64Register.rip], let ripRVA = module.rva(of: rip) else {
            return nil
        }
        // An epilog is at most an add/lea (7 bytes), eight two-byte pops and a 6-byte jump.
        guard
            let code = bytes.read(at: UInt64(ripRVA), count: 32)
                ?? bytes.read(at: UInt64(ripRVA), count: 8)
        else { return nil }
        func byte(_ index: Int) -> UInt8? { index < code.count ? code[index] : nil }

        // Recognize: one optional stack adjustment, any pops, a terminator.
        var cursor = 0
        var adjustment: Adjustment?
        if let b0 = byte(0), let b1 = byte(1), let b2 = byte(2) {
            if b0 == 0x48, b1 == 0x83, b2 == 0xC4, let imm = byte(3) {
                adjustment = .add(UInt64(bitPattern: Int64(Int8(bitPattern: imm))))
                cursor = 4
            } else if b0 == 0x48, b1 == 0x81, b2 == 0xC4, let imm = int32(code, 3) {
                adjustment = .add(UInt64(bitPattern: Int64(imm)))
                cursor = 7
            } else if b0 & 0xFE == 0x48, b1 == 0x8D {
                let register = Int((b0 & 1) << 3 | (b2 & 7))
                if register != 0, register == Int(info.frameRegister) {
                    if b2 & 0xF8 == 0x60, let disp = byte(3) {
                        adjustment = .lea(register, Int64(Int8(bitPattern: disp)))
                        cursor = 4
                    } else if b2 & 0xF8 == 0xA0, let disp = int32(code, 3) {
                        adjustment = .lea(register, Int64(disp))
                        cursor = 7
                    }
                }
            }
        }
        var pops: [Int] = []
        while let b = byte(cursor) {
            if b & 0xF8 == 0x58 {
                pops.append(Int(b & 7))
                cursor += 1
            } else if b & 0xF0 == 0x40, let next = byte(cursor + 1), next & 0xF8 == 0x58 {
                pops.append(Int((b & 1) << 3 | (next & 7)))
                cursor += 2
            } else {
                break
            }
        }
        guard let terminator = byte(cursor) else { return nil }
        var returnExtra: UInt64 = 0
        var inEpilog = false
        switch terminator {
        case 0xC3:
            inEpilog = true
        case 0xC2:
            inEpilog = true
            returnExtra = UInt64(byte(cursor + 1) ?? 0) | UInt64(byte(cursor + 2) ?? 0) << 8
        case 0xF3:
            inEpilog = byte(cursor + 1) == 0xC3
        case 0xEB, 0xE9:
            let length = terminator == 0xEB ? 2 : 5
            let displacement: Int64
            if terminator == 0xEB {
                guard let d = byte(cursor + 1) else { return nil }
                displacement = Int64(Int8(bitPattern: d))
            } else {
                guard let d = int32(code, cursor + 1) else { return nil }
                displacement = Int64(d)
            }
            let target = Int64(ripRVA) + Int64(cursor + length) + displacement
            guard target >= 0, target <= Int64(UInt32.max) else { return nil }
            inEpilog = jumpLeavesFunction(
                to: UInt32(target), function: function, info: info, table: table, bytes: bytes,
                limits: limits)
        case 0xFF:
            // jmp [rip+disp32] (an import thunk tail call).
            inEpilog = byte(cursor + 1) == 0x25
        default:
            // rex.W jmp reg/mem: REX.W marks a tail call out of the function.
            if terminator & 0xF8 == 0x48, byte(cursor + 1) == 0xFF, let modrm = byte(cursor + 2) {
                inEpilog = modrm & 0x38 == 0x20
            }
        }
        guard inEpilog else { return nil }

        // Emulate forward.
        var working = context
        if let adjustment {
            switch adjustment {
            case .add(let amount):
                guard let rsp = working[AMD64Register.rsp] else { return nil }
                working[AMD64Register.rsp] = rsp &+ amount
            case .lea(let register, let displacement):
                guard let base = working.value(at: register) else { return nil }
                working[AMD64Register.rsp] = base &+ UInt64(bitPattern: displacement)
            }
        }
        for register in pops {
            guard let rsp = working[AMD64Register.rsp], let value = memory.pointer(at: rsp),
                let next = rsp.adding(8)
            else { return nil }
            working.setValue(value, at: register)
            if register != AMD64Register.rsp.rawValue { working[AMD64Register.rsp] = next }
        }
        guard let rsp = working[AMD64Register.rsp], let returnAddress = memory.pointer(at: rsp),
            let afterReturn = rsp.adding(8)?.adding(returnExtra)
        else { return nil }
        var caller = working.preservedAcrossCall()
        caller[AMD64Register.rip] = returnAddress
        caller[AMD64Register.rsp] = afterReturn
        return caller
    }

    private enum Adjustment {
        case add(UInt64)
        case lea(Int, Int64)
    }

    private static func int32(_ bytes: [UInt8], _ offset: Int) -> Int32? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * index) }
        return Int32(bitPattern: value)
    }

    /// A jump is a tail call (so the code before it was an epilog) when it leaves the function:
    /// its target is outside this entry and not in another entry of the same function, or it is
    /// the start of the function itself (recursion).
    private static func jumpLeavesFunction(
        to target: UInt32, function: X64RuntimeFunction, info: X64UnwindInfo,
        table: X64FunctionTable,
        bytes: ModuleBytes, limits: StackWalkLimits
    ) -> Bool {
        if function.contains(rva: target) {
            return target == function.beginAddress && !info.isChained
        }
        guard let targetEntry = table.lookup(rva: target) else { return true }
        let ownPrimary = primary(of: function, bytes: bytes, limits: limits)
        let targetPrimary = primary(of: targetEntry, bytes: bytes, limits: limits)
        guard let ownPrimary, let targetPrimary, ownPrimary == targetPrimary else { return true }
        return target == targetPrimary.beginAddress
    }

    /// The entry at the end of a chain of chained unwind infos.
    private static func primary(
        of function: X64RuntimeFunction, bytes: ModuleBytes, limits: StackWalkLimits
    ) -> X64RuntimeFunction? {
        var current = function
        for _ in 0...limits.maximumChainDepth {
            guard
                let info = try? X64UnwindInfo.read(from: bytes, rva: current.unwindInfoAddress & ~1)
            else {
                return nil
            }
            guard let chained = info.chainedFunction else { return current }
            current = chained
        }
        return nil
    }
}
