/// What happens after the debugger answers an exception: continuing, delivery to the program's
/// own handlers through `KiUserExceptionDispatcher`, the second chance, and the end.
extension Executive {
    /// Applies the debugger's answer to the thread it stopped.
    func resolve(_ stopped: StoppedThread, _ status: ContinueStatus) {
        guard let thread = thread(id: stopped.threadID), thread.isAlive else { return }
        switch stopped.reason {
        case .unimplementedImport:
            // The call fails: 0, with ERROR_PROC_NOT_FOUND as last error.
            var registers = registers(of: thread)
            registers.rax = 0
            registers.rip = readSystemU64(registers.rsp)
            registers.rsp &+= 8
            setRegisters(registers, of: thread)
            writeSystem(
                thread.teb + UInt64(Layout.TEB.lastErrorValue),
                withUnsafeBytes(of: UInt32(127).littleEndian) { Array($0) })
        case .exception(let info, let context, let origin):
            resolveException(info, context: context, origin: origin, thread: thread, status: status)
        }
    }

    private func resolveException(
        _ info: ExceptionInfo, context: ThreadContext, origin: StoppedThread.Origin,
        thread: GuestThread, status: ContinueStatus
    ) {
        switch origin {
        case .fastFail:
            endProcess(code: info.code)
        case .fault:
            if info.firstChance {
                if status == .handled {
                    var resumed = context
                    if info.code == NTStatus.breakpoint {
                        resumed.rip = pastBreakInstruction(resumed.rip)
                    }
                    setRegisters(resumed, of: thread)
                } else {
                    deliver(info, context: context, to: thread)
                }
            } else if status == .handled {
                setRegisters(context, of: thread)
            } else {
                endProcess(code: info.code)
            }
        case .raise(let firstChance):
            if status == .handled {
                setRegisters(context, of: thread)
            } else if firstChance {
                deliver(info, context: context, to: thread)
            } else if let back = thread.raiseReturn {
                // The second chance's NtRaiseException returns; ntdll goes on to the unhandled
                // exception filter.
                var registers = back
                registers.rax = 0
                setRegisters(registers, of: thread)
            } else {
                endProcess(code: info.code)
            }
        }
        thread.raiseReturn = nil
    }

    /// Past a hard-coded breakpoint (`int3` or `int 3`), as CDB continues from one.
    private func pastBreakInstruction(_ address: UInt64) -> UInt64 {
        if byte(at: address) == 0xCC { return address + 1 }
        if byte(at: address) == 0xCD, byte(at: address + 1) == 0x03 { return address + 2 }
        return address
    }

    /// First chance not handled: the program's turn. With `ntdll`, the exception goes to
    /// `KiUserExceptionDispatcher` with the ABI's frame (CONTEXT, EXCEPTION_RECORD, MACHINE_FRAME)
    /// below the stack pointer; without it, straight to the second chance.
    func deliver(_ info: ExceptionInfo, context: ThreadContext, to thread: GuestThread) {
        guard kiUserExceptionDispatcher != 0 else {
            secondChance(info, context: context, thread: thread, origin: .fault)
            return
        }
        let frame = (context.rsp & ~0xF) &- 0x5A0
        var bytes = context.contextRecord(
            flags: ThreadContext.flagsFull | ThreadContext.flagsSegments
                | ThreadContext.flagsFloatingPoint)
        var record = StructBuilder(size: 0xA0)
        record.put(info.code, at: Layout.ExceptionRecord.code)
        record.put(info.flags, at: Layout.ExceptionRecord.flags)
        record.put(info.address, at: Layout.ExceptionRecord.address)
        let parameters = info.parameters.prefix(Layout.ExceptionRecord.maximumParameters)
        record.put(UInt32(parameters.count), at: Layout.ExceptionRecord.numberParameters)
        for (index, value) in parameters.enumerated() {
            record.put(value, at: Layout.ExceptionRecord.information + 8 * index)
        }
        bytes += record.bytes
        var machine = StructBuilder(size: 0x28)
        machine.put(context.rip, at: 0)
        machine.put(UInt64(context.cs), at: 8)
        machine.put(UInt64(context.eflags), at: 0x10)
        machine.put(context.rsp, at: 0x18)
        machine.put(UInt64(context.ss), at: 0x20)
        bytes += machine.bytes
        // The frame must fit in the thread's stack; Windows ends a process whose stack cannot
        // hold it.
        guard
            thread.stack.contains(frame)
                || space.guestCan(access: frame..<frame + 0x598, write: true)
        else {
            endProcess(code: info.code)
            return
        }
        try? makeStackAccessible(frame..<frame + 0x598, of: thread)
        guard space.guestCan(access: frame..<frame + 0x598, write: true) else {
            endProcess(code: info.code)
            return
        }
        writeSystem(frame, bytes)
        var registers = context
        registers.rsp = frame
        registers.rip = kiUserExceptionDispatcher
        registers.eflags &= ~(0x100 | 0x400)
        setRegisters(registers, of: thread)
    }

    /// The second chance: an event; "not handled" then ends the process.
    func secondChance(
        _ info: ExceptionInfo, context: ThreadContext, thread: GuestThread,
        origin: StoppedThread.Origin
    ) {
        var second = info
        second.firstChance = false
        setRegisters(context, of: thread)
        stopped = StoppedThread(
            threadID: thread.id, reason: .exception(second, context: context, origin: origin))
        queue(.exception(second), thread: thread)
    }
}
