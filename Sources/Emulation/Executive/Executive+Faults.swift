/// CPU faults and traps as Windows reports them: the exception code, address and parameters,
/// the context the debugger sees (`rip` of a breakpoint at the `int 3`), stack growth through
/// guard pages, and `rdtsc` answered from the instruction clock.
extension Executive {
    enum FaultOutcome {
        /// An exception event (the thread is stopped for the debugger).
        case event(DebugEvent)
        /// Fixed internally; the instruction runs again (a stack page was committed).
        case retry
        /// Fixed internally and the instruction completed (`rdtsc`).
        case completed
    }

    func fault(_ stop: SliceStop, on thread: GuestThread) -> FaultOutcome {
        var context = registers(of: thread)
        let rip = context.rip
        switch stop {
        case .interrupt(let vector):
            switch vector {
            case 3:
                // `int3` (CC) or `int 3` (CD 03): rip is past it; Windows reports the address
                // of the instruction and puts rip back on it.
                let length: UInt64 =
                    byte(at: rip &- 2) == 0xCD && byte(at: rip &- 1) == 0x03 ? 2 : 1
                context.rip = rip &- length
                return exception(
                    ExceptionInfo(
                        code: NTStatus.breakpoint, address: context.rip, parameters: [0],
                        firstChance: true),
                    context: context, thread: thread)
            case 1:
                context.eflags &= ~0x100
                return exception(
                    ExceptionInfo(code: NTStatus.singleStep, address: rip, firstChance: true),
                    context: context, thread: thread)
            case 0:
                return exception(
                    ExceptionInfo(code: divideErrorCode(context), address: rip, firstChance: true),
                    context: context, thread: thread)
            case 4:
                return exception(
                    ExceptionInfo(code: NTStatus.integerOverflow, address: rip, firstChance: true),
                    context: context, thread: thread)
            case 6:
                return exception(
                    ExceptionInfo(
                        code: NTStatus.illegalInstruction, address: rip, firstChance: true),
                    context: context, thread: thread)
            case 0x29:
                // __fastfail: not continuable; second chance at once, then the process ends.
                context.rip = rip &- 2
                let info = ExceptionInfo(
                    code: NTStatus.stackBufferOverrun, flags: 1, address: context.rip,
                    parameters: [context.rcx], firstChance: false)
                setRegisters(context, of: thread)
                stopped = StoppedThread(
                    threadID: thread.id,
                    reason: .exception(info, context: context, origin: .fastFail))
                return .event(DebugEvent(kind: .exception(info), threadID: thread.id, clock: clock))
            case 13:
                return generalProtection(context, thread: thread)
            case 14:
                return pageFault(context, thread: thread)
            default:
                // Another `int n` from user mode: the IDT refuses it, a #GP at the instruction.
                context.rip = rip &- 2
                return accessViolation(context, kind: 0, address: UInt64.max, thread: thread)
            }
        case .invalidInstruction:
            return exception(
                ExceptionInfo(code: NTStatus.illegalInstruction, address: rip, firstChance: true),
                context: context, thread: thread)
        case .notExecutable(let address):
            context.rip = address
            return accessViolation(context, kind: 8, address: address, thread: thread)
        case .outsideMemory(let access):
            // Outside both host windows (a wild or non-canonical pointer): Unicorn does not say
            // which instruction; find it in the block that was running.
            if access.kind == .fetch {
                context.rip = access.address
                return accessViolation(context, kind: 8, address: access.address, thread: thread)
            }
            context.rip = faultingInstruction(near: context, address: access.address) ?? rip
            return accessViolation(
                context, kind: access.kind == .write ? 1 : 0, address: access.address,
                thread: thread)
        default:
            return exception(
                ExceptionInfo(code: NTStatus.illegalInstruction, address: rip, firstChance: true),
                context: context, thread: thread)
        }
    }

    /// Raises a first-chance exception on `thread` with `context` as its state.
    func exception(_ info: ExceptionInfo, context: ThreadContext, thread: GuestThread)
        -> FaultOutcome
    {
        setRegisters(context, of: thread)
        stopped = StoppedThread(
            threadID: thread.id, reason: .exception(info, context: context, origin: .fault))
        return .event(DebugEvent(kind: .exception(info), threadID: thread.id, clock: clock))
    }

    private func accessViolation(
        _ context: ThreadContext, kind: UInt64, address: UInt64, thread: GuestThread
    ) -> FaultOutcome {
        exception(
            ExceptionInfo(
                code: NTStatus.accessViolation, address: context.rip, parameters: [kind, address],
                firstChance: true),
            context: context, thread: thread)
    }

    // MARK: #GP

    private func generalProtection(_ context: ThreadContext, thread: GuestThread) -> FaultOutcome {
        var context = context
        let bytes = instructionBytes(at: context.rip)
        if bytes.starts(with: [0x0F, 0x31]) || bytes.starts(with: [0x0F, 0x01, 0xF9]) {
            // rdtsc / rdtscp: the time stamp counter is the instruction clock.
            context.rax = clock & 0xFFFF_FFFF
            context.rdx = clock >> 32
            if bytes[1] == 0x01 { context.rcx = 0 }
            context.rip += bytes[1] == 0x01 ? 3 : 2
            setRegisters(context, of: thread)
            return .completed
        }
        if Self.isPrivileged(bytes) {
            return exception(
                ExceptionInfo(
                    code: NTStatus.privilegedInstruction, address: context.rip, firstChance: true),
                context: context, thread: thread)
        }
        return accessViolation(context, kind: 0, address: UInt64.max, thread: thread)
    }

    /// Instructions only ring 0 may run (their #GP is STATUS_PRIVILEGED_INSTRUCTION).
    static func isPrivileged(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count,
            [0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x3E, 0x26, 0x36, 0x64, 0x65].contains(bytes[index])
        {
            index += 1
        }
        if index < bytes.count, bytes[index] & 0xF0 == 0x40 { index += 1 }
        guard index < bytes.count else { return false }
        let first = bytes[index]
        if [
            0xF4, 0xFA, 0xFB, 0xE4, 0xE5, 0xE6, 0xE7, 0xEC, 0xED, 0xEE, 0xEF, 0x6C, 0x6D, 0x6E,
            0x6F,
        ].contains(first) {
            return true
        }
        guard first == 0x0F, index + 1 < bytes.count else { return false }
        let second = bytes[index + 1]
        if [0x06, 0x07, 0x08, 0x09, 0x30, 0x32, 0x33, 0x35, 0x20, 0x21, 0x22, 0x23].contains(second)
        {
            return true
        }
        if second == 0x01 || second == 0x00, index + 2 < bytes.count {
            let reg = (bytes[index + 2] >> 3) & 7
            if second == 0x00 { return reg == 2 || reg == 3 }
            return reg == 2 || reg == 3 || reg == 6 || reg == 7
        }
        return false
    }

    // MARK: #PF

    private func pageFault(_ context: ThreadContext, thread: GuestThread) -> FaultOutcome {
        let address = cpu.unicorn[.cr2]
        let page = address & ~0xFFF
        if let protect = space.protection(at: page), PageProtection.isGuard(protect) {
            switch growStack(thread, at: page) {
            case .grown:
                return .retry
            case .overflow:
                return exception(
                    ExceptionInfo(
                        code: NTStatus.stackOverflow, address: context.rip,
                        parameters: [1, address], firstChance: true),
                    context: context, thread: thread)
            case .notStack:
                _ = try? space.protect(
                    page, size: 0x1000, protect: protect & ~PageProtection.guardPage)
                return exception(
                    ExceptionInfo(
                        code: NTStatus.guardPageViolation, address: context.rip,
                        parameters: [accessKind(context, address: address), address],
                        firstChance: true),
                    context: context, thread: thread)
            }
        }
        return accessViolation(
            context, kind: accessKind(context, address: address), address: address, thread: thread)
    }

    /// 0 read, 1 write, 8 execute: what the instruction at `rip` did to `address`.
    func accessKind(_ context: ThreadContext, address: UInt64) -> UInt64 {
        let rip = context.rip
        if address == rip { return 8 }
        let bytes = instructionBytes(at: rip)
        guard let instruction = InstructionDecoder.decode(bytes) else {
            // The instruction's own bytes run into the missing page.
            return address > rip && address - rip < 16 ? 8 : 0
        }
        if let protect = space.protection(at: address), AddressSpace.present(protect),
            !PageProtection.isWritable(protect)
        {
            return 1
        }
        for access in accesses(instruction, context: context) where access.range.contains(address) {
            return access.access == .write ? 1 : 0
        }
        return instruction.writesMemory && instruction.memory?.access != .readWrite ? 1 : 0
    }

    struct MemoryTouch {
        var range: Range<UInt64>
        var access: DecodedInstruction.Access
    }

    /// The memory a decoded instruction touches, computed with `context`'s registers.
    func accesses(_ instruction: DecodedInstruction, context: ThreadContext) -> [MemoryTouch] {
        var result: [MemoryTouch] = []
        let window: UInt64 = 512
        func touch(_ start: UInt64, _ access: DecodedInstruction.Access) {
            result.append(MemoryTouch(range: start..<(start &+ window), access: access))
        }
        if let memory = instruction.memory {
            touch(
                effectiveAddress(
                    memory, context: context, next: context.rip + UInt64(instruction.length)),
                memory.access)
        }
        for implicit in instruction.implicit {
            switch implicit {
            case .push: touch(context.rsp &- 8, .write)
            case .pop: touch(context.rsp, .read)
            case .leave: touch(context.rbp, .read)
            case .moveString:
                touch(context.rsi, .read)
                touch(context.rdi, .write)
            case .storeString: touch(context.rdi, .write)
            case .loadString: touch(context.rsi, .read)
            case .compareString:
                touch(context.rsi, .read)
                touch(context.rdi, .read)
            }
        }
        return result
    }

    func effectiveAddress(
        _ memory: DecodedInstruction.MemoryOperand, context: ThreadContext, next: UInt64
    ) -> UInt64 {
        var address = UInt64(bitPattern: memory.displacement)
        if memory.ripRelative { address &+= next }
        if let base = memory.base { address &+= context.register(base) }
        if let index = memory.index { address &+= context.register(index) &* memory.scale }
        if memory.addressSize32 { address &= 0xFFFF_FFFF }
        if memory.segment == .gs, let thread = current { address &+= thread.teb }
        return address
    }

    /// For a fault Unicorn reported without an exact `rip`: the first instruction of the block
    /// that was running whose memory operand, with the current registers, touches `address`.
    private func faultingInstruction(near context: ThreadContext, address: UInt64) -> UInt64? {
        var rip = cpu.lastBlockStart ?? context.rip
        for _ in 0..<64 {
            let bytes = instructionBytes(at: rip)
            guard let instruction = InstructionDecoder.decode(bytes) else { return nil }
            var probe = context
            probe.rip = rip
            if accesses(instruction, context: probe).contains(where: { $0.range.contains(address) })
            {
                return rip
            }
            rip += UInt64(instruction.length)
        }
        return nil
    }

    // MARK: #DE

    /// STATUS_INTEGER_DIVIDE_BY_ZERO, or STATUS_INTEGER_OVERFLOW when the divisor is not zero
    /// (the quotient did not fit).
    private func divideErrorCode(_ context: ThreadContext) -> UInt32 {
        let bytes = instructionBytes(at: context.rip)
        guard let instruction = InstructionDecoder.decode(bytes),
            instruction.opcode == 0xF6 || instruction.opcode == 0xF7
        else { return NTStatus.integerDivideByZero }
        let size = instruction.opcode == 0xF6 ? 1 : instruction.operandSize
        var divisor: UInt64
        if let register = instruction.registerOperand {
            divisor = context.register(register)
            if size == 1, register >= 4, register < 8, !bytes.contains(where: { $0 & 0xF0 == 0x40 })
            {
                divisor = context.register(register - 4) >> 8
            }
        } else if let memory = instruction.memory {
            let address = effectiveAddress(
                memory, context: context, next: context.rip + UInt64(instruction.length))
            var value: UInt64 = 0
            _ = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
            divisor = value
        } else {
            return NTStatus.integerDivideByZero
        }
        let mask: UInt64 = size >= 8 ? UInt64.max : (1 << UInt64(8 * size)) - 1
        return divisor & mask == 0 ? NTStatus.integerDivideByZero : NTStatus.integerOverflow
    }

    // MARK: Reading code

    func byte(at address: UInt64) -> UInt8? {
        var value: UInt8 = 0
        let count = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
        return count == 1 ? value : nil
    }

    /// Up to 15 bytes of the instruction at `address` (fewer at the end of committed memory).
    func instructionBytes(at address: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 15)
        let count = bytes.withUnsafeMutableBytes { space.read(address, into: $0) }
        return Array(bytes.prefix(count))
    }
}
