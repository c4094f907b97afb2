/// A Windows x64 program running on the simulated machine, under a debugger's control.
///
/// Made stopped before the program's first instruction. `run` goes to the next debug event:
/// first the process creation and a module load per DLL (as a debugger attaching at creation
/// sees them), then whatever the program does. Between events the machine is stopped and every
/// thread's registers, the memory, the modules, the handles and the regions can be read and
/// changed. `breakSwitch` stops a running machine from any other thread.
///
/// Not thread-safe: use it from one thread at a time (the break switch excepted).
public final class EmulatedProcess {
    public let programPath: String
    public let arguments: [String]
    public let options: ProcessOptions
    /// Thread-safe: stops `run` from any thread.
    public let breakSwitch: BreakSwitch
    private var executive: Executive
    private enum Definition {
        case code(UInt64)
        case data(UInt64, size: UInt64, access: DataAccess)
    }
    private var definitions: [Int: Definition] = [:]
    /// The thread of the last event.
    public private(set) var eventThreadID: UInt32

    /// Loads `program` (a PE32+ executable on the host) with its DLLs and stops before its first
    /// instruction.
    public init(
        program: String, arguments: [String] = [], options: ProcessOptions = ProcessOptions()
    )
        throws(EmulationError)
    {
        programPath = program
        self.arguments = arguments
        self.options = options
        breakSwitch = BreakSwitch()
        executive = try Executive(
            programPath: program, arguments: arguments, options: options, breakSwitch: breakSwitch)
        eventThreadID = executive.threads.first?.id ?? 0
        queueStartEvents()
    }

    private func queueStartEvents() {
        guard let main = executive.loader.modules.first(where: { $0.info.isMainImage }) else {
            return
        }
        let thread = executive.threads.first
        executive.queue(.processCreated(main.info), thread: thread)
        for module in executive.loader.modules where !module.info.isMainImage {
            executive.queue(.moduleLoaded(module.info), thread: thread)
        }
    }

    /// Whether the emulator (libunicorn) can be loaded on this machine.
    public static var emulatorAvailable: Bool { Unicorn.isAvailable }

    // MARK: Running

    /// Runs to the next debug event. `status` answers the exception (or unimplemented import)
    /// the last event stopped in; other events ignore it.
    public func run(_ status: ContinueStatus = .handled) -> DebugEvent {
        let event = executive.run(continuing: status)
        eventThreadID = event.threadID
        return event
    }

    /// Runs one instruction of thread `id` (the scheduler does not switch threads inside a
    /// step; other threads run only while it blocks in a system call).
    public func step(thread id: UInt32, _ status: ContinueStatus = .handled) -> DebugEvent {
        let event = executive.step(threadID: id, continuing: status)
        eventThreadID = event.threadID
        return event
    }

    /// Starts the same program again with the same arguments and options (the same run, the
    /// same thread ids); breakpoints stay set.
    public func restart() throws(EmulationError) {
        let fresh = try Executive(
            programPath: programPath, arguments: arguments, options: options,
            breakSwitch: breakSwitch)
        executive = fresh
        eventThreadID = fresh.threads.first?.id ?? 0
        _ = breakSwitch.take()
        queueStartEvents()
        for (id, definition) in definitions {
            switch definition {
            case .code(let address): try fresh.addCodeBreakpoint(id: id, address: address)
            case .data(let address, let size, let access):
                try fresh.addDataBreakpoint(id: id, address: address, size: size, access: access)
            }
        }
    }

    // MARK: Process facts

    public var processID: UInt32 { executive.processID }
    /// Set once the process has ended.
    public var exitCode: UInt32? { executive.exitCode }
    /// The thread whose `NtTerminateProcess` ended the process (its registers stay readable
    /// where the call left it, as at CDB's final breakpoint); nil while the process runs.
    public var finalThreadID: UInt32? { executive.finalThread?.id }
    /// Instructions retired by all threads plus idle time jumps (1 instruction = 1 ns).
    public var clock: UInt64 { executive.clock }
    public var pebAddress: UInt64 { executive.environment?.peb ?? 0 }
    /// The program's entry point (`$exentry`).
    public var entryPoint: UInt64 { executive.main?.info.entryPoint ?? 0 }
    /// Loaded modules in load order.
    public var modules: [ModuleInfo] { executive.loader.modules.map(\.info) }
    /// DLLs imported but found nowhere (their imports are stubs).
    public var missingDLLs: [String] { executive.loader.missing }
    public var committedBytes: UInt64 { executive.space.committedBytes }
    /// Whether the system DLLs run (else the program runs bare).
    public var hasSystemDLLs: Bool { executive.ldrInitializeThunk != 0 }
    /// The host folder the guest sees as `C:\sandbox`.
    public var sandboxFolder: String { executive.sandbox.folder }

    public var threads: [ThreadInfo] {
        executive.threads.map { thread in
            let state: ThreadInfo.State
            switch thread.state {
            case .terminated: state = .terminated
            case .waiting: state = .waiting
            case .ready: state = thread.suspendCount > 0 ? .suspended : .ready
            }
            return ThreadInfo(
                id: thread.id, teb: thread.teb, state: state, wait: executive.waitInfo(thread),
                suspendCount: thread.suspendCount, frozen: thread.frozen, name: thread.threadName,
                stack: thread.stack,
                instructions: thread.instructions, createdAt: thread.createdAt,
                exitCode: thread.exitCode)
        }
    }

    /// Freezes or thaws a thread (the debugger's `~Nf`/`~Nu`): a frozen thread does not run.
    public func setFrozen(_ frozen: Bool, thread id: UInt32) throws(EmulationError) {
        guard let thread = executive.thread(id: id), thread.isAlive else {
            throw .state("no live thread \(String(id, radix: 16))")
        }
        thread.frozen = frozen
    }

    /// Changes a thread's suspend count as `SuspendThread`/`ResumeThread` do (the debugger's
    /// `~Nn`/`~Nm`); the program sees the count. Returns the count before.
    public func changeSuspendCount(thread id: UInt32, suspend: Bool) throws(EmulationError)
        -> UInt32
    {
        guard let thread = executive.thread(id: id), thread.isAlive else {
            throw .state("no live thread \(String(id, radix: 16))")
        }
        let previous = thread.suspendCount
        if suspend {
            guard previous < 127 else {
                throw .invalidArgument("the suspend count is at its limit")
            }
            thread.suspendCount += 1
        } else {
            guard previous > 0 else { throw .invalidArgument("the thread is not suspended") }
            thread.suspendCount -= 1
        }
        return previous
    }

    /// Registers of a thread (nil for an unknown or ended thread).
    public func context(ofThread id: UInt32) -> ThreadContext? {
        guard let thread = executive.thread(id: id),
            thread.isAlive || thread === executive.finalThread
        else { return nil }
        return executive.registers(of: thread)
    }

    public func setContext(_ context: ThreadContext, ofThread id: UInt32) throws(EmulationError) {
        guard let thread = executive.thread(id: id), thread.isAlive else {
            throw .state("no live thread \(String(id, radix: 16))")
        }
        executive.setRegisters(context, of: thread)
    }

    // MARK: Memory

    /// Copies committed memory at `address` (whatever its protection: the debugger's view);
    /// returns how many leading bytes were available.
    public func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        executive.space.read(address, into: buffer)
    }

    public func readMemory(at address: UInt64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, min(count, 1 << 28)))
        let got = bytes.withUnsafeMutableBytes { executive.space.read(address, into: $0) }
        return Array(bytes.prefix(got))
    }

    /// Writes committed memory (protections are the program's business, not the debugger's);
    /// returns how many bytes were written. Code written this way is re-translated.
    @discardableResult
    public func writeMemory(at address: UInt64, bytes: [UInt8]) -> Int {
        let written = bytes.withUnsafeBytes { executive.space.write(address, $0) }
        if written > 0 {
            executive.cpu.dropTranslations(address..<address + UInt64(written)) {
                [executive] page in
                guard let protect = executive.space.protection(at: page) else { return false }
                return AddressSpace.present(protect)
            }
        }
        return written
    }

    /// The address space as `!address` lists it (free ranges included).
    public var regions: [MemoryRegionInfo] { executive.space.regions() }

    /// `VirtualQuery`.
    public func region(containing address: UInt64) -> MemoryRegionInfo? {
        try? executive.space.query(address)
    }

    public var handles: [HandleInfo] { executive.handles.listing }

    /// `dll!function` when `address` is in the stub of an import nobody implements.
    public func stubName(at address: UInt64) -> String? {
        executive.stubs.stub(containing: address).map { "\($0.dll)!\($0.function)" }
    }

    // MARK: Breakpoints

    /// A code breakpoint: the thread stops before the instruction at `address` runs.
    public func setBreakpoint(id: Int, at address: UInt64) throws(EmulationError) {
        try executive.addCodeBreakpoint(id: id, address: address)
        definitions[id] = .code(address)
    }

    /// A data breakpoint on `size` (1, 2, 4 or 8) aligned bytes; at most four.
    public func setDataBreakpoint(id: Int, at address: UInt64, size: UInt64, access: DataAccess)
        throws(EmulationError)
    {
        try executive.addDataBreakpoint(id: id, address: address, size: size, access: access)
        definitions[id] = .data(address, size: size, access: access)
    }

    public func removeBreakpoint(id: Int) {
        executive.removeBreakpoint(id: id)
        definitions[id] = nil
    }
}
