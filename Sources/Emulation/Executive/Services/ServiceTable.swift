/// A system call as the executive sees it: the number and the arguments by the Windows x64
/// convention (`r10`, `rdx`, `r8`, `r9`, then the stack from `[rsp+0x28]`).
struct ServiceCall {
    let number: UInt32
    let thread: GuestThread
    let registers: ThreadContext
    unowned let executive: Executive

    /// Argument `index` (0-based).
    func argument(_ index: Int) throws(StatusError) -> UInt64 {
        switch index {
        case 0: return registers.r10
        case 1: return registers.rdx
        case 2: return registers.r8
        case 3: return registers.r9
        default: return try executive.readU64(registers.rsp &+ 0x28 &+ 8 * UInt64(index - 4))
        }
    }

    func argument32(_ index: Int) throws(StatusError) -> UInt32 {
        UInt32(truncatingIfNeeded: try argument(index))
    }
}

/// What a service did.
enum ServiceOutcome {
    /// It returns this NTSTATUS.
    case complete(UInt32)
    /// The thread waits; `rax` is set when it wakes.
    case blocked
    /// The thread's registers were replaced (`NtContinue`); nothing to return.
    case replaced
    /// The calling thread (or the process) ended.
    case ended
    /// The thread stopped for the debugger with this event.
    case stopped(DebugEvent)
}

extension Executive {
    /// The system services by number, as `Guest/ABI.md` and `Guest/include/xcdb/syscalls.h`
    /// list them.
    static let serviceNumbers: [(name: String, number: UInt32)] = [
        ("NtClose", 0x00),
        ("NtTerminateProcess", 0x01),
        ("NtTerminateThread", 0x02),
        ("NtCreateThreadEx", 0x03),
        ("NtQueryInformationProcess", 0x04),
        ("NtQueryInformationThread", 0x05),
        ("NtSetInformationThread", 0x06),
        ("NtSuspendThread", 0x07),
        ("NtResumeThread", 0x08),
        ("NtYieldExecution", 0x09),
        ("NtDelayExecution", 0x0A),
        ("NtContinue", 0x0B),
        ("NtRaiseException", 0x0C),
        ("NtGetContextThread", 0x0D),
        ("NtSetContextThread", 0x0E),
        ("NtAllocateVirtualMemory", 0x10),
        ("NtFreeVirtualMemory", 0x11),
        ("NtProtectVirtualMemory", 0x12),
        ("NtQueryVirtualMemory", 0x13),
        ("NtCreateEvent", 0x20),
        ("NtSetEvent", 0x21),
        ("NtResetEvent", 0x22),
        ("NtPulseEvent", 0x23),
        ("NtCreateMutant", 0x24),
        ("NtReleaseMutant", 0x25),
        ("NtCreateSemaphore", 0x26),
        ("NtReleaseSemaphore", 0x27),
        ("NtWaitForSingleObject", 0x28),
        ("NtWaitForMultipleObjects", 0x29),
        ("NtWaitForAlertByThreadId", 0x2A),
        ("NtAlertThreadByThreadId", 0x2B),
        ("NtDuplicateObject", 0x2C),
        ("NtCreateFile", 0x30),
        ("NtOpenFile", 0x31),
        ("NtReadFile", 0x32),
        ("NtWriteFile", 0x33),
        ("NtQueryInformationFile", 0x34),
        ("NtSetInformationFile", 0x35),
        ("NtQueryAttributesFile", 0x36),
        ("NtDeleteFile", 0x37),
        ("NtFlushBuffersFile", 0x38),
        ("NtQueryVolumeInformationFile", 0x39),
        ("NtQuerySystemTime", 0x40),
        ("NtQueryPerformanceCounter", 0x41),
        ("NtQuerySystemInformation", 0x42),
        ("NtXcdbLoadDll", 0x60),
    ]

    /// Runs service `number`; nil when there is no such service.
    private func dispatch(_ number: UInt32, _ call: ServiceCall) throws(StatusError)
        -> ServiceOutcome?
    {
        switch number {
        case 0x00: return try ntClose(call)
        case 0x01: return try ntTerminateProcess(call)
        case 0x02: return try ntTerminateThread(call)
        case 0x03: return try ntCreateThreadEx(call)
        case 0x04: return try ntQueryInformationProcess(call)
        case 0x05: return try ntQueryInformationThread(call)
        case 0x06: return try ntSetInformationThread(call)
        case 0x07: return try ntSuspendThread(call)
        case 0x08: return try ntResumeThread(call)
        case 0x09: return try ntYieldExecution(call)
        case 0x0A: return try ntDelayExecution(call)
        case 0x0B: return try ntContinue(call)
        case 0x0C: return try ntRaiseException(call)
        case 0x0D: return try ntGetContextThread(call)
        case 0x0E: return try ntSetContextThread(call)
        case 0x10: return try ntAllocateVirtualMemory(call)
        case 0x11: return try ntFreeVirtualMemory(call)
        case 0x12: return try ntProtectVirtualMemory(call)
        case 0x13: return try ntQueryVirtualMemory(call)
        case 0x20: return try ntCreateEvent(call)
        case 0x21: return try ntSetEvent(call)
        case 0x22: return try ntResetEvent(call)
        case 0x23: return try ntPulseEvent(call)
        case 0x24: return try ntCreateMutant(call)
        case 0x25: return try ntReleaseMutant(call)
        case 0x26: return try ntCreateSemaphore(call)
        case 0x27: return try ntReleaseSemaphore(call)
        case 0x28: return try ntWaitForSingleObject(call)
        case 0x29: return try ntWaitForMultipleObjects(call)
        case 0x2A: return try ntWaitForAlertByThreadId(call)
        case 0x2B: return try ntAlertThreadByThreadId(call)
        case 0x2C: return try ntDuplicateObject(call)
        case 0x30: return try ntCreateFile(call)
        case 0x31: return try ntOpenFile(call)
        case 0x32: return try ntReadFile(call)
        case 0x33: return try ntWriteFile(call)
        case 0x34: return try ntQueryInformationFile(call)
        case 0x35: return try ntSetInformationFile(call)
        case 0x36: return try ntQueryAttributesFile(call)
        case 0x37: return try ntDeleteFile(call)
        case 0x38: return try ntFlushBuffersFile(call)
        case 0x39: return try ntQueryVolumeInformationFile(call)
        case 0x40: return try ntQuerySystemTime(call)
        case 0x41: return try ntQueryPerformanceCounter(call)
        case 0x42: return try ntQuerySystemInformation(call)
        case 0x60: return try ntXcdbLoadDll(call)
        default: return nil
        }
    }

    /// Serves the system call the loaded thread just made. Returns an event when the thread
    /// stopped for the debugger.
    func serviceCall(on thread: GuestThread) -> DebugEvent? {
        let registers = RegisterFile.read(cpu.unicorn)
        let number = UInt32(truncatingIfNeeded: registers.rax)
        if let stub = stubs.stub(service: number) {
            // An import nobody implements: stop at the stub, as if at its first instruction.
            var atStub = registers
            atStub.rip = stub.address
            setRegisters(atStub, of: thread)
            stopped = StoppedThread(threadID: thread.id, reason: .unimplementedImport(stub))
            return DebugEvent(
                kind: .unimplementedImport(module: stub.dll, function: stub.function),
                threadID: thread.id, clock: clock)
        }
        let call = ServiceCall(
            number: number, thread: thread, registers: registers, executive: self)
        let outcome: ServiceOutcome
        do {
            outcome = try dispatch(number, call) ?? .complete(NTStatus.invalidSystemService)
        } catch {
            outcome = .complete(error.status)
        }
        switch outcome {
        case .complete(let status):
            guard thread.isAlive, current === thread else { return nil }
            // syscall semantics: rcx and r11 are clobbered.
            cpu.unicorn[.rax] = UInt64(status)
            cpu.unicorn[.rcx] = registers.rip
            cpu.unicorn[.r11] = UInt64(registers.eflags)
        case .blocked:
            if current === thread {
                cpu.unicorn[.rcx] = registers.rip
                cpu.unicorn[.r11] = UInt64(registers.eflags)
            }
            quantumLeft = 0
        case .replaced, .ended:
            break
        case .stopped(let event):
            return event
        }
        return nil
    }

    // MARK: Helpers for services

    /// The pseudo-handles.
    static let currentProcess = UInt64.max
    static let currentThread = UInt64.max - 1

    /// The object a handle names (the pseudo-handles included).
    func object(_ handle: UInt64) throws(StatusError) -> KernelObject {
        if handle == Self.currentProcess { return process }
        if handle == Self.currentThread, let current { return current }
        guard let object = handles.object(handle) else { throw StatusError(NTStatus.invalidHandle) }
        return object
    }

    func object<T: KernelObject>(_ handle: UInt64, as type: T.Type) throws(StatusError) -> T {
        guard let object = try object(handle) as? T else {
            throw StatusError(NTStatus.objectTypeMismatch)
        }
        return object
    }

    /// A thread handle (0 and -2 mean the caller).
    func threadObject(_ handle: UInt64, caller: GuestThread) throws(StatusError) -> GuestThread {
        if handle == 0 || handle == Self.currentThread { return caller }
        return try object(handle, as: GuestThread.self)
    }

    /// Inserts `object` in the handle table and writes the handle to `pointer`.
    func insertHandle(_ object: KernelObject, at pointer: UInt64) throws(StatusError) {
        guard let handle = handles.insert(object) else { throw StatusError(NTStatus.noMemory) }
        do {
            try writeU64(pointer, handle)
        } catch {
            _ = handles.remove(handle)
            throw error
        }
    }

    /// The name in an OBJECT_ATTRIBUTES (nil when it has none).
    func objectName(_ attributes: UInt64) throws(StatusError) -> String? {
        guard attributes != 0 else { return nil }
        let name = try readU64(attributes + 0x10)
        guard name != 0 else { return nil }
        let text = try readUnicodeString(name)
        return text.isEmpty ? nil : text
    }

    /// Writes an IO_STATUS_BLOCK.
    func writeIOStatus(_ block: UInt64, status: UInt32, information: UInt64) throws(StatusError) {
        guard block != 0 else { return }
        try writeU64(block, UInt64(status))
        try writeU64(block + 8, information)
    }
}
