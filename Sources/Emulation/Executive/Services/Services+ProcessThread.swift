/// Process and thread services.
extension Executive {
    func ntClose(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let handle = try call.argument(0)
        if handle == Self.currentProcess || handle == Self.currentThread { return .complete(0) }
        guard let object = handles.remove(handle) else { return .complete(NTStatus.invalidHandle) }
        if object.handleCount == 0 {
            (object as? FileObject)?.closeHost()
            forgetName(of: object)
        }
        return .complete(0)
    }

    func ntTerminateProcess(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let handle = try call.argument(0)
        let status = try call.argument32(1)
        if handle == 0 {
            // Every thread but the caller (ExitProcess does this before DLL detach).
            for thread in threads where thread.isAlive && thread !== call.thread {
                terminate(thread, code: status, report: false)
            }
            return .complete(0)
        }
        guard handle == Self.currentProcess || (try? object(handle)) === process else {
            return .complete(NTStatus.invalidHandle)
        }
        if current === call.thread { finalThread = call.thread }
        endProcess(code: status)
        return .ended
    }

    func ntTerminateThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let status = try call.argument32(1)
        terminate(target, code: status, report: true)
        return target === call.thread ? .ended : .complete(0)
    }

    func ntCreateThreadEx(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let handlePointer = try call.argument(0)
        let processHandle = try call.argument(3)
        let start = try call.argument(4)
        let argument = try call.argument(5)
        let flags = try call.argument32(6)
        let commit = try call.argument(8)
        let reserve = try call.argument(9)
        guard processHandle == Self.currentProcess || (try? object(processHandle)) === process
        else {
            return .complete(NTStatus.invalidHandle)
        }
        let optional = main?.image.optionalHeader
        let thread: GuestThread
        do {
            thread = try createThread(
                start: start, argument: argument, suspended: flags & 1 != 0,
                stackReserve: reserve != 0 ? reserve : optional?.sizeOfStackReserve ?? 0x10_0000,
                stackCommit: commit != 0 ? commit : optional?.sizeOfStackCommit ?? 0x1000)
        } catch {
            return .complete(NTStatus.noMemory)
        }
        do {
            try insertHandle(thread, at: handlePointer)
        } catch {
            terminate(thread, code: error.status, report: false)
            return .complete(error.status)
        }
        queue(.threadCreated(startAddress: start), thread: thread)
        return .complete(0)
    }

    func ntQueryInformationProcess(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let informationClass = try call.argument32(1)
        let buffer = try call.argument(2)
        let length = try call.argument32(3)
        let returned = try call.argument(4)
        switch informationClass {
        case 0:
            guard length >= 0x30 else { return .complete(NTStatus.infoLengthMismatch) }
            var info = StructBuilder(size: 0x30)
            info.put(exitCode ?? NTStatus.pending, at: 0)
            info.put(environment?.peb ?? 0, at: 8)
            info.put(UInt64(1), at: 0x10)
            info.put(UInt32(8), at: 0x18)
            info.put(UInt64(processID), at: 0x20)
            try writeGuest(buffer, info.bytes)
            try writeOptionalU32(returned, 0x30)
            return .complete(0)
        case 7:
            // ProcessDebugPort: a debugger is attached.
            guard length >= 8 else { return .complete(NTStatus.infoLengthMismatch) }
            try writeU64(buffer, options.beingDebugged ? UInt64.max : 0)
            try writeOptionalU32(returned, 8)
            return .complete(0)
        default:
            return .complete(NTStatus.invalidInfoClass)
        }
    }

    func ntQueryInformationThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let informationClass = try call.argument32(1)
        let buffer = try call.argument(2)
        let length = try call.argument32(3)
        let returned = try call.argument(4)
        guard informationClass == 0 else { return .complete(NTStatus.invalidInfoClass) }
        guard length >= 0x30 else { return .complete(NTStatus.infoLengthMismatch) }
        var info = StructBuilder(size: 0x30)
        info.put(target.exitCode ?? NTStatus.pending, at: 0)
        info.put(target.teb, at: 8)
        info.put(UInt64(processID), at: 0x10)
        info.put(UInt64(target.id), at: 0x18)
        info.put(UInt64(1), at: 0x20)
        info.put(Int32(8), at: 0x28)
        info.put(Int32(8), at: 0x2C)
        try writeGuest(buffer, info.bytes)
        try writeOptionalU32(returned, 0x30)
        return .complete(0)
    }

    func ntSetInformationThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let informationClass = try call.argument32(1)
        let buffer = try call.argument(2)
        if informationClass == 0x26 {
            target.threadName = try readUnicodeString(buffer)
        }
        return .complete(0)
    }

    func ntSuspendThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let previous = try call.argument(1)
        guard target.isAlive else { return .complete(NTStatus.threadIsTerminating) }
        guard target.suspendCount < 127 else { return .complete(0xC000_004A) }
        try writeOptionalU32(previous, target.suspendCount)
        target.suspendCount += 1
        if target === call.thread { quantumLeft = 0 }
        return .complete(0)
    }

    func ntResumeThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let previous = try call.argument(1)
        try writeOptionalU32(previous, target.suspendCount)
        if target.suspendCount > 0 { target.suspendCount -= 1 }
        return .complete(0)
    }

    func ntYieldExecution(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        quantumLeft = 0
        return .complete(0)
    }

    func ntDelayExecution(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let interval = try call.argument(1)
        guard interval != 0 else { return .complete(NTStatus.invalidParameter) }
        let value = Int64(bitPattern: try readU64(interval))
        if value == 0 {
            quantumLeft = 0
            return .complete(0)
        }
        let deadline = try deadline(timeoutPointer: interval)
        block(call.thread, .delay, deadline: deadline)
        return .blocked
    }

    // MARK: Contexts

    func ntContinue(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let record = try readGuest(try call.argument(0), count: ThreadContext.recordSize)
        guard let context = ThreadContext(contextRecord: record, base: call.registers) else {
            return .complete(NTStatus.invalidParameter)
        }
        setRegisters(context, of: call.thread)
        return .replaced
    }

    func ntGetContextThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let pointer = try call.argument(1)
        var existing = try readGuest(pointer, count: ThreadContext.recordSize)
        let flags = existing.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: 0x30, as: UInt32.self)
        }
        let registers = target === call.thread ? call.registers : self.registers(of: target)
        let full = registers.contextRecord(flags: ThreadContext.flagsAll)
        for range in Self.contextRanges(flags) {
            existing.replaceSubrange(range, with: full[range])
        }
        try writeGuest(pointer, existing)
        return .complete(0)
    }

    func ntSetContextThread(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let target = try threadObject(try call.argument(0), caller: call.thread)
        let record = try readGuest(try call.argument(1), count: ThreadContext.recordSize)
        let base = target === call.thread ? call.registers : registers(of: target)
        guard let context = ThreadContext(contextRecord: record, base: base) else {
            return .complete(NTStatus.invalidParameter)
        }
        setRegisters(context, of: target)
        return target === call.thread ? .replaced : .complete(0)
    }

    /// The byte ranges of a CONTEXT each `ContextFlags` group covers.
    static func contextRanges(_ flags: UInt32) -> [Range<Int>] {
        var ranges: [Range<Int>] = [0x30..<0x34]
        if flags & ThreadContext.flagsControl == ThreadContext.flagsControl {
            ranges += [0x38..<0x3A, 0x42..<0x48, 0x98..<0xA0, 0xF8..<0x100]
        }
        if flags & ThreadContext.flagsInteger == ThreadContext.flagsInteger {
            ranges += [0x78..<0x98, 0xA0..<0xF8]
        }
        if flags & ThreadContext.flagsSegments == ThreadContext.flagsSegments {
            ranges += [0x3A..<0x42]
        }
        if flags & ThreadContext.flagsFloatingPoint == ThreadContext.flagsFloatingPoint {
            ranges += [0x34..<0x38, 0x100..<0x300]
        }
        if flags & ThreadContext.flagsDebugRegisters == ThreadContext.flagsDebugRegisters {
            ranges += [0x48..<0x78]
        }
        return ranges
    }

    // MARK: Exceptions raised by the program

    func ntRaiseException(_ call: ServiceCall) throws(StatusError) -> ServiceOutcome {
        let recordBytes = try readGuest(try call.argument(0), count: Layout.ExceptionRecord.size)
        let contextBytes = try readGuest(try call.argument(1), count: ThreadContext.recordSize)
        let firstChance = try call.argument(2) & 0xFF != 0
        guard let context = ThreadContext(contextRecord: contextBytes, base: call.registers) else {
            return .complete(NTStatus.invalidParameter)
        }
        func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            recordBytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        }
        let count = min(
            Int(field(Layout.ExceptionRecord.numberParameters, UInt32.self)),
            Layout.ExceptionRecord.maximumParameters)
        let parameters = (0..<count).map {
            field(Layout.ExceptionRecord.information + 8 * $0, UInt64.self)
        }
        let info = ExceptionInfo(
            code: field(Layout.ExceptionRecord.code, UInt32.self),
            flags: field(Layout.ExceptionRecord.flags, UInt32.self),
            address: field(Layout.ExceptionRecord.address, UInt64.self), parameters: parameters,
            firstChance: firstChance)
        if firstChance, info.code == NTStatus.debugPrint || info.code == NTStatus.debugPrintWide,
            parameters.count >= 2
        {
            // OutputDebugString: the debugger prints it and the exception is handled.
            let wide = info.code == NTStatus.debugPrintWide
            let length = min(Int(parameters[0]), 1 << 16) * (wide ? 2 : 1)
            var text = ""
            if let bytes = try? readGuest(parameters[1], count: length) {
                if wide {
                    let units = stride(from: 0, to: bytes.count - 1, by: 2).map {
                        UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
                    }
                    text = String(decoding: units.prefix { $0 != 0 }, as: UTF16.self)
                } else {
                    text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
            }
            setRegisters(context, of: call.thread)
            return .stopped(
                DebugEvent(kind: .debugOutput(text), threadID: call.thread.id, clock: clock))
        }
        if !firstChance {
            var back = call.registers
            back.rcx = call.registers.rip
            back.r11 = UInt64(call.registers.eflags)
            call.thread.raiseReturn = back
        }
        setRegisters(context, of: call.thread)
        stopped = StoppedThread(
            threadID: call.thread.id,
            reason: .exception(info, context: context, origin: .raise(firstChance: firstChance)))
        return .stopped(DebugEvent(kind: .exception(info), threadID: call.thread.id, clock: clock))
    }
}
