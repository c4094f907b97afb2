import FoundationEssentials

/// The kernel side of the simulated machine: it owns the CPU, the address space, the loaded
/// modules, the objects and handles, the threads and the clock, serves the guest's system calls
/// and turns what happens into debug events. `EmulatedProcess` wraps it for debuggers.
///
/// Not thread-safe: it runs on one thread at a time (the break switch is the exception).
final class Executive {
    let options: ProcessOptions
    let programPath: String
    let arguments: [String]
    let cpu: GuestCPU
    let space: AddressSpace
    let arena: GuestArena
    let stubs: ImportStubs
    let loader: ModuleLoader
    let handles = HandleTable()
    let breakpoints = Breakpoints()
    /// Named events, mutants and semaphores, by lower-cased name.
    var namedObjects: [String: KernelObject] = [:]
    let process = ProcessObject()
    let sandbox: Sandbox
    private(set) var environment: ProcessEnvironment?
    private(set) var main: LoadedModule?

    /// Threads in creation order (terminated ones stay until the process ends).
    var threads: [GuestThread] = []
    /// The thread whose registers are on the CPU.
    var current: GuestThread?
    /// Instructions retired by all threads, plus jumps while every thread slept. One
    /// instruction is one nanosecond of guest time.
    var clock: UInt64 = 0
    /// What is left of the current thread's quantum.
    var quantumLeft: UInt64 = 0
    var random: SplitMix
    var pendingEvents: [DebugEvent] = []
    var waitSequence: UInt64 = 0
    /// The thread stopped in an exception or an unimplemented import, waiting for the debugger.
    var stopped: StoppedThread?
    /// Set when the process has ended.
    var exitCode: UInt32?
    /// The thread whose `NtTerminateProcess` ended the process: it stays loaded on the CPU, so
    /// the debugger can show where it stopped (CDB's final breakpoint).
    var finalThread: GuestThread?
    /// The thread being single-stepped, whose step completes when it next becomes ready.
    var stepWaiter: UInt32?

    let processID: UInt32 = 0x1A40
    var nextThreadID: UInt32 = 0x1A44

    /// `ntdll` entry points the ABI names (zero when running without `ntdll`).
    var ldrInitializeThunk: UInt64 = 0
    var rtlUserThreadStart: UInt64 = 0
    var kiUserExceptionDispatcher: UInt64 = 0
    /// Standard handles.
    private(set) var standardHandles: (input: UInt64, output: UInt64, error: UInt64) = (0, 0, 0)
    var standardInputOffset = 0

    init(
        programPath: String, arguments: [String], options: ProcessOptions, breakSwitch: BreakSwitch
    )
        throws(EmulationError)
    {
        self.options = options
        self.programPath = programPath
        self.arguments = arguments
        random = SplitMix(seed: options.seed)
        guard options.quantum > 0 else { throw .invalidArgument("the quantum must be at least 1") }
        sandbox = try Sandbox(folder: options.sandboxFolder)
        cpu = try GuestCPU(breakSwitch: breakSwitch)
        var arenas: [Range<UInt64>] = []
        for window in cpu.windows.windows {
            let start = max(window.base, 0x10000)
            let end = min(window.end, HostWindows.userSpaceEnd)
            if start < end { arenas.append(start..<end) }
        }
        space = AddressSpace(
            windows: cpu.windows, pageTables: cpu.pageTables, arenas: arenas, cap: options.memoryCap
        )
        // The system area is the executive's: the program may not allocate there.
        _ = try? space.reserve(
            at: cpu.systemArea.lowerBound,
            size: cpu.systemArea.upperBound - cpu.systemArea.lowerBound,
            protect: PageProtection.noAccess, isSystem: true)
        arena = GuestArena(space: space)
        stubs = try ImportStubs(space: space)
        let programFolder = URL(fileURLWithPath: programPath).deletingLastPathComponent().path
        loader = ModuleLoader(
            space: space, stubs: stubs, systemFolder: options.systemFolder,
            programFolder: programFolder)
        space.accessReduced = { [unowned cpu] _ in cpu.flushTLB() }
        space.codeRemoved = { [unowned self] range in
            cpu.dropTranslations(range) { [unowned self] page in
                guard let protect = space.protection(at: page) else { return false }
                return AddressSpace.present(protect)
            }
        }
        cpu.blockLookup = { [unowned self] address, size in blockInstructions(address, size) }
        try start()
    }

    /// Maps the program and its DLLs, builds the process structures and the first thread.
    private func start() throws(EmulationError) {
        let main = try loader.loadProgram(programPath)
        self.main = main
        if let ntdll = loader.module(named: "ntdll.dll") {
            func export(_ name: String) -> UInt64 {
                (try? loader.resolve(ntdll, .name(name), importer: nil)).flatMap { $0 } ?? 0
            }
            ldrInitializeThunk = export("LdrInitializeThunk")
            rtlUserThreadStart = export("RtlUserThreadStart")
            kiUserExceptionDispatcher = export("KiUserExceptionDispatcher")
            if ldrInitializeThunk == 0 || rtlUserThreadStart == 0 {
                throw .image(
                    path: ntdll.info.hostPath,
                    reason: "ntdll has no LdrInitializeThunk or RtlUserThreadStart export")
            }
        }
        let console = [FileObject.Kind.consoleInput, .consoleOutput, .consoleError].map {
            FileObject(kind: $0, guestPath: "\\Device\\ConDrv")
        }
        guard let input = handles.insert(console[0]), let output = handles.insert(console[1]),
            let error = handles.insert(console[2])
        else { throw .state("cannot create the console handles") }
        standardHandles = (input, output, error)
        let setup = ProcessEnvironment.Setup(
            imagePath: main.info.guestPath,
            commandLine: CommandLine.windowsCommandLine(
                program: main.info.guestPath, arguments: arguments),
            currentDirectory: ModuleLoader.programGuestFolder,
            environment: Self.environment(options.environment),
            standardHandles: standardHandles, beingDebugged: options.beingDebugged,
            subsystem: main.image.subsystem,
            subsystemVersion: (
                main.image.optionalHeader.majorSubsystemVersion,
                main.image.optionalHeader.minorSubsystemVersion
            ),
            cookie: UInt32(truncatingIfNeeded: random.next()))
        let environment = try ProcessEnvironment(
            space: space, arena: arena, imageBase: main.info.base, setup: setup)
        self.environment = environment
        try environment.add(loader.modules, initialization: loader.initializationOrder)
        let optional = main.image.optionalHeader
        let thread = try createThread(
            start: main.info.entryPoint, argument: environment.peb, suspended: false,
            stackReserve: optional.sizeOfStackReserve, stackCommit: optional.sizeOfStackCommit)
        load(thread)
        quantumLeft = nextQuantum()
        updateTime()
    }

    /// The default environment, with the options' variables added or replacing.
    static func environment(_ extra: [String: String]) -> [(String, String)] {
        var variables: [String: String] = [
            "ALLUSERSPROFILE": "C:\\ProgramData", "COMPUTERNAME": "XCDB", "HOMEDRIVE": "C:",
            "HOMEPATH": "\\sandbox", "NUMBER_OF_PROCESSORS": "1", "OS": "Windows_NT",
            "PATH": "C:\\Windows\\system32;C:\\Windows", "PATHEXT": ".COM;.EXE;.BAT;.CMD",
            "PROCESSOR_ARCHITECTURE": "AMD64", "SystemDrive": "C:", "SystemRoot": "C:\\Windows",
            "TEMP": "C:\\sandbox", "TMP": "C:\\sandbox", "USERNAME": "xcdb",
            "USERPROFILE": "C:\\sandbox", "windir": "C:\\Windows",
        ]
        for (name, value) in extra {
            if let existing = variables.keys.first(where: { $0.lowercased() == name.lowercased() })
            {
                variables[existing] = nil
            }
            variables[name] = value
        }
        // Sorted without regard to case, as Windows keeps it; the drive's current directory
        // first.
        let sorted = variables.sorted { $0.key.uppercased() < $1.key.uppercased() }
        return [("=C:", "C:\\sandbox")] + sorted.map { ($0.key, $0.value) }
    }

    // MARK: Time

    /// Guest time in 100 ns units since the machine started.
    var interruptTime: UInt64 { clock / 100 }
    /// Guest system time (FILETIME).
    var systemTime: UInt64 { options.startTime &+ interruptTime }

    func updateTime() {
        environment?.updateTime(interruptTime: interruptTime, systemTime: systemTime)
    }

    /// The next quantum: the option's length varied by the seed (between half and one and a
    /// half of it), so different seeds interleave threads differently.
    func nextQuantum() -> UInt64 {
        let base = options.quantum
        guard base > 1 else { return 1 }
        return base / 2 + random.next() % base
    }

    // MARK: Threads on the CPU

    /// Puts `thread`'s registers on the CPU.
    func load(_ thread: GuestThread) {
        if current !== thread {
            if let current, current.isAlive { cpu.unicorn.save(into: current.saved) }
            cpu.unicorn.restore(thread.saved)
            current = thread
        }
        if let result = thread.pendingResult {
            cpu.unicorn[.rax] = result
            thread.pendingResult = nil
        }
    }

    func thread(id: UInt32) -> GuestThread? { threads.first { $0.id == id } }

    // MARK: The instruction clock's block lookup

    /// Instructions in a block about to run for the first time, or 0 when the program may not
    /// execute it (not committed or not executable: DEP).
    private func blockInstructions(_ address: UInt64, _ size: UInt32) -> UInt32 {
        guard let protect = space.protection(at: address), PageProtection.isExecutable(protect),
            AddressSpace.present(protect)
        else { return 0 }
        let end = address + UInt64(size)
        if size > 0, (end - 1) & ~0xFFF != address & ~0xFFF {
            guard let last = space.protection(at: end - 1), PageProtection.isExecutable(last),
                AddressSpace.present(last)
            else { return 0 }
        }
        return UInt32(max(1, cpu.instructionCount(from: address, to: end)))
    }

    // MARK: Guest memory, as the program may touch it

    func readGuest(_ address: UInt64, count: Int) throws(StatusError) -> [UInt8] {
        guard count >= 0, count <= 1 << 28 else { throw StatusError(NTStatus.invalidParameter) }
        let (end, overflow) = address.addingReportingOverflow(UInt64(count))
        guard !overflow else { throw StatusError(NTStatus.accessViolation) }
        try makeStackAccessible(address..<end)
        guard space.guestCan(access: address..<end, write: false) else {
            throw StatusError(NTStatus.accessViolation)
        }
        var bytes = [UInt8](repeating: 0, count: count)
        _ = bytes.withUnsafeMutableBytes { space.read(address, into: $0) }
        return bytes
    }

    func writeGuest(_ address: UInt64, _ bytes: [UInt8]) throws(StatusError) {
        let (end, overflow) = address.addingReportingOverflow(UInt64(bytes.count))
        guard !overflow else { throw StatusError(NTStatus.accessViolation) }
        try makeStackAccessible(address..<end)
        guard space.guestCan(access: address..<end, write: true) else {
            throw StatusError(NTStatus.accessViolation)
        }
        _ = bytes.withUnsafeBytes { space.write(address, $0) }
        dropCode(address..<end)
    }

    /// After the executive wrote into executable memory: drop translations of it.
    func dropCode(_ range: Range<UInt64>) {
        guard !range.isEmpty, let protect = space.protection(at: range.lowerBound),
            PageProtection.isExecutable(protect)
        else { return }
        space.codeRemoved(range)
    }

    func readU32(_ address: UInt64) throws(StatusError) -> UInt32 {
        let bytes = try readGuest(address, count: 4)
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    func readU64(_ address: UInt64) throws(StatusError) -> UInt64 {
        let bytes = try readGuest(address, count: 8)
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    func writeU32(_ address: UInt64, _ value: UInt32) throws(StatusError) {
        try writeGuest(address, withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    func writeU64(_ address: UInt64, _ value: UInt64) throws(StatusError) {
        try writeGuest(address, withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    /// Writes where the pointer says, unless it is null (optional out-parameters).
    func writeOptionalU32(_ address: UInt64, _ value: UInt32) throws(StatusError) {
        if address != 0 { try writeU32(address, value) }
    }

    func writeOptionalU64(_ address: UInt64, _ value: UInt64) throws(StatusError) {
        if address != 0 { try writeU64(address, value) }
    }

    /// A `UNICODE_STRING` at `address`, decoded.
    func readUnicodeString(_ address: UInt64) throws(StatusError) -> String {
        let header = try readGuest(address, count: 16)
        let length = Int(
            header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt16.self) })
        let buffer = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
        guard length > 0 else { return "" }
        let bytes = try readGuest(buffer, count: length & ~1)
        let units = stride(from: 0, to: bytes.count, by: 2).map {
            UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Writes memory the executive owns, ignoring protections (TEB fields and the like).
    func writeSystem(_ address: UInt64, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { space.write(address, $0) }
    }

    func readSystemU64(_ address: UInt64) -> UInt64 {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
        return UInt64(littleEndian: value)
    }

    func readSystemU32(_ address: UInt64) -> UInt32 {
        var value: UInt32 = 0
        _ = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
        return UInt32(littleEndian: value)
    }
}

/// SplitMix64: a small deterministic generator for the scheduler and cookies.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
