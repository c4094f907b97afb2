import CUnicorn
import FoundationEssentials

/// Why a slice of emulation ended.
enum SliceStop: Equatable {
    /// The slice's instruction budget (the thread's quantum) is spent.
    case budget
    /// `BreakSwitch.request()`.
    case breakRequest
    /// A block in memory the program may not execute (DEP).
    case notExecutable(UInt64)
    /// A `syscall` instruction; `rip` is past it.
    case syscall
    /// A CPU exception or `int n` (vector); see `Unicorn.onInterrupt` for `rip`.
    case interrupt(UInt32)
    /// An instruction the CPU cannot decode; `rip` is at it.
    case invalidInstruction
    /// An access outside the host windows (Unicorn's own check, before paging); `rip` is where
    /// Unicorn last synchronised it, not necessarily the faulting instruction.
    case outsideMemory(Unicorn.InvalidAccess)
    /// A code breakpoint's hook, before the instruction at the address runs.
    case codeBreakpoint(UInt64)
    /// A data breakpoint (by id): after the instruction that read or wrote it, before the one
    /// it executes.
    case dataBreakpoint(id: Int, address: UInt64, access: DataAccess)
    /// The debugger's single step finished.
    case stepDone
    /// Unicorn returned an error nothing else explains.
    case emulatorError(Int32)
}

/// The emulated x86-64 CPU, set up as Windows runs user code: long mode with 4-level paging
/// (identity mapped, see `HostWindows`), a GDT with Windows' selectors, the program at CPL 3
/// (so privileged instructions fault, and `rdtsc` too: the executive answers it from the
/// instruction clock), and Unicorn's hooks turned into `SliceStop`s. It also works around two
/// properties of Unicorn 2.0: exceptions are never delivered through the IDT, so the CPU's
/// record of the exception in flight is reset by hand after each one (otherwise the next fault
/// would become a double fault), and the `until` address of `uc_emu_start` is disabled (Unicorn
/// re-translates `until - 1` after every run, which under paging faults).
final class GuestCPU {
    let unicorn: Unicorn
    let windows: HostWindows
    let pageTables: PageTables
    /// The executive's area at the top of the low window: GDT, boot code, page tables.
    let systemArea: Range<UInt64>
    let breakSwitch: BreakSwitch
    private var clock: UnsafeMutablePointer<xcdb_clock> { breakSwitch.clock }
    private let blockTable: UnsafeMutablePointer<xcdb_block>
    private static let blockTableSize = 1 << 16
    /// Where Unicorn's saved context keeps `old_exception` (found at start-up).
    private var exceptionStateOffset = -1
    private let scratch: Unicorn.Context
    /// A CPL 3 state with Windows' selectors; new threads start from a copy.
    private(set) var templateContext: Unicorn.Context
    /// Set by the hooks during a slice.
    var pendingStop: SliceStop?
    /// A breakpoint address the next slice passes once without stopping (resuming from it).
    var skipBreakpoint: UInt64?
    /// A data breakpoint hit during an instruction: reported once the instruction is done.
    var pendingAccess: SliceStop?

    /// Called from a memory hook: stop before the next instruction with `stop`.
    func stopAfterAccess(_ stop: SliceStop) {
        if pendingAccess == nil { pendingAccess = stop }
        clock.pointee.stop_before_next = 1
    }

    /// The C clock, for hooks that read it.
    var clockPointer: UnsafeMutableRawPointer { UnsafeMutableRawPointer(clock) }
    /// True while the debugger single-steps: a debug trap then ends the step.
    private(set) var stepping = false
    private var stepTrapSeen = false
    /// Answers the clock for a block it has not seen: its instruction count, or 0 when the
    /// program may not execute it.
    var blockLookup: (UInt64, UInt32) -> UInt32 = { _, _ in 1 }

    static let systemAreaSize: UInt64 = 0x0500_0000
    static let pageTablePoolOffset: UInt64 = 0x10_0000
    /// An address outside both windows: mapping and unmapping a page there flushes the TLB.
    static let flushPage: UInt64 = 0x4000_0000_0000

    /// Selectors of x64 Windows user mode.
    static let userCode: UInt16 = 0x33
    static let userData: UInt16 = 0x2B
    static let userFS: UInt16 = 0x53

    init(breakSwitch: BreakSwitch) throws(EmulationError) {
        self.breakSwitch = breakSwitch
        unicorn = try Unicorn()
        windows = try HostWindows()
        guard let low = windows.windows.first else { throw .host("no host window") }
        let systemBase = (low.end - Self.systemAreaSize) & ~0xFFFF
        systemArea = systemBase..<low.end
        pageTables = try PageTables(
            windows: windows,
            pool: systemBase + Self.pageTablePoolOffset..<systemBase + Self.systemAreaSize)
        scratch = try unicorn.makeContext()
        templateContext = try unicorn.makeContext()
        blockTable = UnsafeMutablePointer<xcdb_block>.allocate(capacity: Self.blockTableSize)
        blockTable.initialize(repeating: xcdb_block(), count: Self.blockTableSize)

        try unicorn.disableExits()
        for window in windows.windows {
            try unicorn.map(
                window.base, size: Int(window.size), protection: .all, host: window.host)
        }
        try setUpClock()
        try installHooks()
        try enterUserMode()
        try calibrateExceptionState()
        unicorn.save(into: templateContext)
    }

    deinit {
        blockTable.deinitialize(count: Self.blockTableSize)
        blockTable.deallocate()
    }

    // MARK: Set-up

    private func setUpClock() throws(EmulationError) {
        // Boot and calibration runs are not counted.
        clock.pointee.budget = UInt64.max / 2
        clock.pointee.table = blockTable
        clock.pointee.mask = UInt64(Self.blockTableSize - 1)
        clock.pointee.engine = UnsafeMutableRawPointer(unicorn.engine)
        clock.pointee.emu_stop = unsafeBitCast(
            unicorn.library.emuStopPointer,
            to: (@convention(c) (UnsafeMutableRawPointer?) -> Int32).self)
        clock.pointee.lookup_context = Unmanaged.passUnretained(self).toOpaque()
        let lookup: @convention(c) (UnsafeMutableRawPointer?, UInt64, UInt32) -> UInt32 = {
            context, address, size in
            guard let context else { return 1 }
            return Unmanaged<GuestCPU>.fromOpaque(context).takeUnretainedValue().blockLookup(
                address, size)
        }
        clock.pointee.lookup = lookup
        _ = try unicorn.addRawHook(
            type: UnicornConstant.Hook.block,
            callback: unsafeBitCast(
                xcdb_clock_block_hook
                    as @convention(c) (
                        UnsafeMutableRawPointer?, UInt64, UInt32, UnsafeMutableRawPointer?
                    ) -> Void,
                to: UnsafeRawPointer.self),
            userData: UnsafeMutableRawPointer(clock))
    }

    private func installHooks() throws(EmulationError) {
        try unicorn.onInterrupt { [unowned self] vector in
            if vector == 1, stepping {
                stepTrapSeen = true
                if pendingStop == nil { pendingStop = .stepDone }
            } else if pendingStop == nil {
                pendingStop = .interrupt(vector)
            }
            unicorn.stop()
        }
        try unicorn.onSyscall { [unowned self] in
            if pendingStop == nil { pendingStop = .syscall }
            unicorn.stop()
        }
        try unicorn.onInvalidInstruction { [unowned self] in
            if pendingStop == nil { pendingStop = .invalidInstruction }
            return false
        }
        try unicorn.onInvalidAccess { [unowned self] access in
            if pendingStop == nil { pendingStop = .outsideMemory(access) }
            return false
        }
    }

    /// Builds the GDT and page tables of the system area, turns paging on and drops to CPL 3
    /// with an `iretq` run in the system area.
    private func enterUserMode() throws(EmulationError) {
        let base = systemArea.lowerBound
        let gdt = base
        let bootCode = base + 0x1000
        let bootStack = base + 0x2000
        let userCode = base + 0x3000
        // Supervisor pages for the GDT, boot code and stack; the calibration code is user.
        try pageTables.set(gdt..<bootStack + 0x1000, present: true, writable: true, user: false)
        try pageTables.set(userCode..<userCode + 0x1000, present: true, writable: false, user: true)
        let descriptors: [UInt64] = [
            0, 0, 0x00AF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF, 0x00CF_FB00_0000_FFFF,
            0x00CF_F300_0000_FFFF, 0x00AF_FB00_0000_FFFF, 0, 0, 0, 0x00CF_F300_0000_FFFF, 0,
        ]
        try write(gdt, descriptors.flatMap { Self.bytes($0) })
        unicorn.setTable(.gdtr, base: gdt, limit: UInt32(descriptors.count * 8 - 1))
        unicorn[.cr3] = pageTables.root
        // CR4: PAE, OSFXSR, OSXMMEXCPT, TSD (rdtsc faults at CPL 3). CR0: PG, WP, NE, ET, MP, PE.
        unicorn[.cr4] = 0x20 | 0x200 | 0x400 | 0x4
        unicorn[.cr0] = 0x8001_0033
        try write(bootCode, [0x48, 0xCF])  // iretq
        // The calibration code: int3; cli; int3; cli ...
        try write(userCode, [0xCC] + Array(repeating: [0xFA, 0xCC], count: 16).flatMap { $0 })
        let frame: [UInt64] = [
            userCode, UInt64(Self.userCode), 0x202, userCode + 0xF00, UInt64(Self.userData),
        ]
        try write(bootStack + 0x800, frame.flatMap { Self.bytes($0) })
        unicorn[.rsp] = bootStack + 0x800
        let status = unicorn.start(at: bootCode, until: 0, instructionLimit: 0)
        guard status == 0, pendingStop == .interrupt(3), unicorn[.cs] == UInt64(Self.userCode)
        else {
            throw .unicorn(
                "could not enter user mode (status \(status), stop \(String(describing: pendingStop)))"
            )
        }
        pendingStop = nil
        unicorn[.ds] = UInt64(Self.userData)
        unicorn[.es] = UInt64(Self.userData)
        unicorn[.fs] = UInt64(Self.userFS)
        unicorn[.gs] = UInt64(Self.userData)
        unicorn[.fsBase] = 0
        unicorn[.gsBase] = 0
    }

    /// Finds `old_exception` in Unicorn's saved context: it holds the vector of a fault just
    /// taken, and must be -1 again before the next one (Unicorn never completes delivery, which
    /// is where the CPU would reset it). Runs `cli` at CPL 3 (a #GP) and compares contexts.
    private func calibrateExceptionState() throws(EmulationError) {
        let size = unicorn.contextSize
        let userCode = systemArea.lowerBound + 0x3000
        let before = try unicorn.makeContext()
        unicorn.save(into: before)
        guard let first = runProbe(at: userCode + 1) else {
            throw .unicorn("cannot calibrate the exception state: `cli` did not fault")
        }
        let after = try unicorn.makeContext()
        unicorn.save(into: after)
        var candidates: [Int] = []
        for offset in stride(from: 0, through: size - 4, by: 4) {
            let old = before.bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let new = after.bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            if new == Int32(first), old != new { candidates.append(offset) }
        }
        for offset in candidates {
            after.bytes.storeBytes(of: Int32(-1), toByteOffset: offset, as: Int32.self)
            unicorn.restore(after)
            after.bytes.storeBytes(of: Int32(first), toByteOffset: offset, as: Int32.self)
            guard runProbe(at: userCode + 3) == 13 else { continue }
            unicorn.save(into: scratch)
            guard scratch.bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self) == 13 else {
                continue
            }
            exceptionStateOffset = offset
            resetExceptionState()
            try pageTables.set(userCode..<userCode + 0x1000, present: false, writable: false)
            flushTLB()
            return
        }
        throw .unicorn(
            "this libunicorn build is not supported: cannot find the CPU's exception state")
    }

    /// Runs from `address` until the next stop; the vector of the interrupt it stopped on.
    private func runProbe(at address: UInt64) -> UInt32? {
        pendingStop = nil
        clock.pointee.executed = 0
        _ = unicorn.start(at: address, until: 0, instructionLimit: 0)
        defer { pendingStop = nil }
        if case .interrupt(let vector) = pendingStop { return vector }
        return nil
    }

    private static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// Writes straight into guest memory (host side; no protection checks).
    func write(_ address: UInt64, _ bytes: [UInt8]) throws(EmulationError) {
        guard let host = windows.pointer(address),
            windows.window(holding: address..<address + UInt64(bytes.count)) != nil
        else {
            throw .state("\(Hex.text(address)) is outside guest memory")
        }
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { host.copyMemory(from: base, byteCount: raw.count) }
        }
    }

    // MARK: Housekeeping

    /// Makes the CPU forget the exception it just took (see the type's comment).
    func resetExceptionState() {
        guard exceptionStateOffset >= 0 else { return }
        unicorn.save(into: scratch)
        scratch.bytes.storeBytes(of: Int32(-1), toByteOffset: exceptionStateOffset, as: Int32.self)
        unicorn.restore(scratch)
    }

    /// Drops cached address translations (after access to pages was reduced).
    func flushTLB() {
        // Mapping memory flushes the whole TLB; the page is unmapped again at once.
        if (try? unicorn.map(Self.flushPage, size: 0x1000, protection: .read)) != nil {
            try? unicorn.unmap(Self.flushPage, size: 0x1000)
        }
    }

    /// Drops translated code of `range` (and the clock's memory of its blocks). Unicorn finds
    /// the code through the page tables, so only present pages can be named; `present` says
    /// which.
    func dropTranslations(_ range: Range<UInt64>, present: (UInt64) -> Bool) {
        xcdb_clock_forget(clock, range.lowerBound &- 0x1000, range.upperBound)
        var page = range.lowerBound & ~0xFFF
        while page < range.upperBound {
            guard present(page) else {
                page += 0x1000
                continue
            }
            var end = page + 0x1000
            while end < range.upperBound, present(end) { end += 0x1000 }
            unicorn.removeTranslations(max(page, range.lowerBound)..<min(end, range.upperBound))
            page = end
        }
        resetExceptionState()
    }

    /// Drops all translated code and the clock's memory of blocks.
    func dropAllTranslations() {
        xcdb_clock_forget(clock, 0, UInt64.max)
        unicorn.flushTranslations()
    }

    // MARK: Running

    /// Runs the loaded thread from its `rip` for about `budget` instructions (whole blocks: a
    /// slice may run past the budget by less than one block). Returns the instructions that
    /// retired and why it stopped.
    func runSlice(budget: UInt64) -> (executed: UInt64, stop: SliceStop) {
        let state = clock
        state.pointee.executed = 0
        state.pointee.budget = budget
        state.pointee.stop_reason = Int32(XCDB_CLOCK_RUNNING)
        state.pointee.last = nil
        state.pointee.stop_before_next = 0
        pendingStop = nil
        pendingAccess = nil
        let status = unicorn.start(at: unicorn[.rip], until: 0, instructionLimit: 0)
        var executed = state.pointee.executed
        let stop: SliceStop
        if let pending = pendingStop {
            stop = pending
        } else {
            switch Int(state.pointee.stop_reason) {
            case Int(XCDB_CLOCK_BUDGET): stop = .budget
            case Int(XCDB_CLOCK_BREAK): stop = .breakRequest
            case Int(XCDB_CLOCK_NOT_EXECUTABLE): stop = .notExecutable(state.pointee.stop_address)
            case Int(XCDB_CLOCK_AFTER_ACCESS): stop = pendingAccess ?? .budget
            default: stop = status == 0 ? .budget : .emulatorError(status)
            }
            // The block hook stopped before a block ran: the thread resumes at that block
            // (see `xcdb_clock.stop_address`; with a code hook installed Unicorn leaves `rip`
            // stale).
            switch Int(state.pointee.stop_reason) {
            case Int(XCDB_CLOCK_BUDGET), Int(XCDB_CLOCK_BREAK), Int(XCDB_CLOCK_NOT_EXECUTABLE):
                unicorn[.rip] = state.pointee.stop_address
            default: break
            }
        }
        // A stop inside the last block counted: only the instructions before `rip` ran.
        if let last = state.pointee.last {
            let start = last.pointee.address
            let size = UInt64(last.pointee.size)
            let count = UInt64(last.pointee.count)
            let rip = unicorn[.rip]
            if rip >= start, rip < start + size {
                let ran = instructionCount(from: start, to: rip)
                executed -= count - min(count, ran)
            }
        }
        if case .interrupt(let vector) = stop,
            vector == 0 || vector == 8 || (10...14).contains(vector)
        {
            resetExceptionState()
        }
        return (executed, stop)
    }

    /// Runs exactly one instruction of the loaded thread (a debug trap ends it), unless
    /// something else stops it first.
    func step() -> (executed: UInt64, stop: SliceStop) {
        let flags = unicorn[.eflags]
        unicorn[.eflags] = flags | 0x100
        stepping = true
        stepTrapSeen = false
        var result = runSlice(budget: 1)
        stepping = false
        unicorn[.eflags] = unicorn[.eflags] & ~0x100
        // A syscall (or other stop) that also completed the instruction reports first; the
        // caller treats the step as done once it is handled.
        if stepTrapSeen, result.stop == .stepDone { result.stop = .stepDone }
        return result
    }

    /// The start of the last block the clock counted in the last slice.
    var lastBlockStart: UInt64? {
        clock.pointee.last.map { $0.pointee.address }
    }

    /// Instructions between two addresses of one block (decoded from memory).
    func instructionCount(from start: UInt64, to end: UInt64) -> UInt64 {
        guard end > start, end - start < 0x10000, let host = windows.pointer(start) else {
            return 0
        }
        return UInt64(
            InstructionDecoder.count(UnsafeRawBufferPointer(start: host, count: Int(end - start))))
    }
}
