import PEFormat

/// Threads: their stacks (with guard pages that grow), TEBs, static TLS, and their ends.
extension Executive {
    static let page: UInt64 = 0x1000

    /// Creates a thread as the ABI describes: with `ntdll`, it starts in `LdrInitializeThunk`
    /// with `rcx` pointing at a CONTEXT that continues in `RtlUserThreadStart(start, argument)`;
    /// without, it starts at `start` with `rcx` = `argument` and returns into a stub that ends
    /// it with `rax` as exit code.
    func createThread(
        start: UInt64, argument: UInt64, suspended: Bool, stackReserve: UInt64,
        stackCommit: UInt64
    ) throws(EmulationError) -> GuestThread {
        let stack: (reservation: Range<UInt64>, limit: UInt64)
        do {
            stack = try createStack(reserve: stackReserve, commit: stackCommit)
        } catch {
            throw .state("no memory for a thread stack")
        }
        let teb: UInt64
        do {
            teb = try space.reserve(
                at: nil, size: Layout.TEB.allocation, protect: PageProtection.readWrite)
            try space.commit(teb, size: Layout.TEB.allocation, protect: PageProtection.readWrite)
        } catch {
            try? space.release(stack.reservation.lowerBound)
            throw .state("no memory for a TEB")
        }
        let id = nextThreadID
        nextThreadID += 4
        let context = try cpu.unicorn.makeContext()
        context.bytes.copyMemory(
            from: cpu.templateContext.bytes, byteCount: cpu.unicorn.contextSize)
        let thread = GuestThread(
            id: id, order: threads.count, teb: teb, stack: stack.reservation, saved: context)
        thread.createdAt = clock
        try writeTEB(thread, stackLimit: stack.limit)

        let top = stack.reservation.upperBound
        var registers = ThreadContext()
        if ldrInitializeThunk != 0 {
            var initial = ThreadContext()
            initial.rip = rtlUserThreadStart
            initial.rcx = start
            initial.rdx = argument
            let record = (top - UInt64(ThreadContext.recordSize)) & ~0xF
            initial.rsp = record - 0x28
            writeSystem(record, initial.contextRecord())
            registers.rip = ldrInitializeThunk
            registers.rcx = record
            registers.rsp = record - 0x28
            writeSystem(registers.rsp, Array(repeating: 0, count: 8))
        } else {
            registers.rip = start
            registers.rcx = argument
            registers.rsp = (top & ~0xF) - 0x28
            writeSystem(
                registers.rsp, withUnsafeBytes(of: stubs.threadExit.littleEndian) { Array($0) })
        }
        write(registers, into: context)
        context[.gsBase] = teb
        threads.append(thread)
        if suspended { thread.suspendCount = 1 }
        return thread
    }

    private func createStack(reserve: UInt64, commit: UInt64) throws(StatusError) -> (
        reservation: Range<UInt64>, limit: UInt64
    ) {
        let size = min(max((reserve + 0xFFFF) & ~0xFFFF, 0x1_0000), 256 << 20)
        let committed = min(
            max((commit + Self.page - 1) & ~(Self.page - 1), Self.page), size - 3 * Self.page)
        let base = try space.reserve(at: nil, size: size, protect: PageProtection.readWrite)
        let top = base + size
        do {
            try space.commit(top - committed, size: committed, protect: PageProtection.readWrite)
            try space.commit(
                top - committed - Self.page, size: Self.page,
                protect: PageProtection.readWrite | PageProtection.guardPage)
        } catch {
            try? space.release(base)
            throw error
        }
        return (base..<top, top - committed)
    }

    private func writeTEB(_ thread: GuestThread, stackLimit: UInt64) throws(EmulationError) {
        var teb = StructBuilder(size: Layout.TEB.size)
        teb.put(UInt64.max, at: Layout.TEB.exceptionList)
        teb.put(thread.stack.upperBound, at: Layout.TEB.stackBase)
        teb.put(stackLimit, at: Layout.TEB.stackLimit)
        teb.put(thread.teb, at: Layout.TEB.selfPointer)
        teb.put(UInt64(processID), at: Layout.TEB.clientProcess)
        teb.put(UInt64(thread.id), at: Layout.TEB.clientThread)
        teb.put(environment?.peb ?? 0, at: Layout.TEB.processEnvironmentBlock)
        teb.put(UInt32(0x409), at: Layout.TEB.currentLocale)
        teb.put(thread.stack.lowerBound, at: Layout.TEB.deallocationStack)
        teb.put(thread.teb + UInt64(Layout.TEB.tlsLinks), at: Layout.TEB.tlsLinks)
        teb.put(thread.teb + UInt64(Layout.TEB.tlsLinks), at: Layout.TEB.tlsLinks + 8)
        teb.put(try staticTLS(), at: Layout.TEB.threadLocalStoragePointer)
        writeSystem(thread.teb, teb.bytes)
    }

    /// A new thread's `ThreadLocalStoragePointer`: an array with one block per TLS image, each a
    /// copy of the image's template followed by its zero fill.
    private func staticTLS() throws(EmulationError) -> UInt64 {
        let count = Int(loader.tlsCount)
        guard count > 0 else { return 0 }
        let array = try arena.allocate(8 * max(count, 1))
        for module in loader.modules {
            guard let tls = module.tls, let index = module.info.tlsIndex else { continue }
            let block = try tlsBlock(module, tls)
            writeSystem(
                array + 8 * UInt64(index), withUnsafeBytes(of: block.littleEndian) { Array($0) })
        }
        return array
    }

    private func tlsBlock(_ module: LoadedModule, _ tls: TLSDirectory) throws(EmulationError)
        -> UInt64
    {
        let templateSize = tls.endAddressOfRawData &- tls.startAddressOfRawData
        let size = templateSize + UInt64(tls.sizeOfZeroFill)
        guard size <= 64 << 20 else {
            throw .image(
                path: module.info.hostPath, reason: "its TLS template is implausibly large")
        }
        let block = try arena.allocate(Int(size))
        let start = tls.startAddressOfRawData &+ module.delta
        if templateSize > 0, module.info.contains(start),
            module.info.contains(start + templateSize - 1)
        {
            var template = [UInt8](repeating: 0, count: Int(templateSize))
            _ = template.withUnsafeMutableBytes { space.read(start, into: $0) }
            writeSystem(block, template)
        }
        return block
    }

    /// Gives every live thread a TLS slot for a module loaded at run time.
    func extendTLS(for module: LoadedModule) throws(EmulationError) {
        guard let tls = module.tls, let index = module.info.tlsIndex else { return }
        for thread in threads where thread.isAlive {
            let oldArray = readSystemU64(thread.teb + UInt64(Layout.TEB.threadLocalStoragePointer))
            let array = try arena.allocate(8 * Int(loader.tlsCount))
            if oldArray != 0 {
                var old = [UInt8](repeating: 0, count: 8 * Int(index))
                _ = old.withUnsafeMutableBytes { space.read(oldArray, into: $0) }
                writeSystem(array, old)
            }
            let block = try tlsBlock(module, tls)
            writeSystem(
                array + 8 * UInt64(index), withUnsafeBytes(of: block.littleEndian) { Array($0) })
            writeSystem(
                thread.teb + UInt64(Layout.TEB.threadLocalStoragePointer),
                withUnsafeBytes(of: array.littleEndian) { Array($0) })
        }
    }

    // MARK: Registers

    /// A thread's registers (live for the loaded thread).
    func registers(of thread: GuestThread) -> ThreadContext {
        if thread === current { return RegisterFile.read(cpu.unicorn) }
        return RegisterFile.read(thread.saved)
    }

    func setRegisters(_ registers: ThreadContext, of thread: GuestThread) {
        if thread === current {
            RegisterFile.write(registers, to: cpu.unicorn)
        } else {
            write(registers, into: thread.saved)
        }
    }

    private func write(_ registers: ThreadContext, into context: Unicorn.Context) {
        RegisterFile.write(registers, to: context)
    }

    // MARK: Stacks that grow

    enum StackGrowth { case grown, overflow, notStack }

    /// A touch of the guard page at `page` of `thread`'s stack: the guard moves one page down
    /// and the access is retried, as Windows' memory manager does; when no room is left the
    /// thread gets `STATUS_STACK_OVERFLOW` (with the last pages committed for its handlers).
    func growStack(_ thread: GuestThread, at page: UInt64) -> StackGrowth {
        guard thread.stack.contains(page), let protect = space.protection(at: page),
            PageProtection.isGuard(protect)
        else { return .notStack }
        _ = try? space.protect(page, size: Self.page, protect: protect & ~PageProtection.guardPage)
        let floor = thread.stack.lowerBound + Self.page
        if page >= floor + 3 * Self.page {
            _ = try? space.commit(
                page - Self.page, size: Self.page,
                protect: PageProtection.readWrite | PageProtection.guardPage)
            setStackLimit(thread, page)
            return .grown
        }
        if page > floor {
            _ = try? space.commit(floor, size: page - floor, protect: PageProtection.readWrite)
        }
        setStackLimit(thread, floor)
        return .overflow
    }

    private func setStackLimit(_ thread: GuestThread, _ limit: UInt64) {
        writeSystem(
            thread.teb + UInt64(Layout.TEB.stackLimit),
            withUnsafeBytes(of: limit.littleEndian) { Array($0) })
    }

    /// Before a service touches a buffer on the calling thread's stack below its committed part:
    /// commits down to it (the kernel's probes grow stacks the same way).
    func makeStackAccessible(_ range: Range<UInt64>, of owner: GuestThread? = nil)
        throws(StatusError)
    {
        guard let thread = owner ?? current, thread.stack.overlaps(range) else { return }
        let floor = thread.stack.lowerBound + Self.page
        let low = max(range.lowerBound & ~(Self.page - 1), floor)
        var page = low
        var lowestTouched: UInt64?
        while page < min(range.upperBound, thread.stack.upperBound) {
            let protect = space.protection(at: page)
            if protect == nil || protect.map(PageProtection.isGuard) == true {
                _ = try? space.commit(page, size: Self.page, protect: PageProtection.readWrite)
                lowestTouched = min(lowestTouched ?? page, page)
            }
            page += Self.page
        }
        if let lowest = lowestTouched {
            if lowest >= floor + 3 * Self.page, space.protection(at: lowest - Self.page) == nil {
                _ = try? space.commit(
                    lowest - Self.page, size: Self.page,
                    protect: PageProtection.readWrite | PageProtection.guardPage)
            }
            let limit = readSystemU64(thread.teb + UInt64(Layout.TEB.stackLimit))
            if lowest < limit { setStackLimit(thread, lowest) }
        }
    }

    // MARK: Ends

    /// Ends a thread: its object is signalled, mutants it owns are abandoned, and waiters run.
    func terminate(_ thread: GuestThread, code: UInt32, report: Bool) {
        guard thread.isAlive else { return }
        if thread === current { cpu.unicorn.save(into: thread.saved) }
        thread.state = .terminated
        thread.wait = nil
        thread.exitCode = code
        for entry in handles.entries.values {
            if let mutant = entry.object as? MutantObject, mutant.owner === thread {
                mutant.owner = nil
                mutant.recursion = 0
                mutant.abandoned = true
            }
        }
        if stepWaiter == thread.id { stepWaiter = nil }
        let live = threads.filter(\.isAlive)
        if live.isEmpty {
            endProcess(code: code)
        } else {
            if report { queue(.threadExited(exitCode: code), thread: thread) }
            satisfyWaits()
        }
    }

    /// Ends the process with `code`.
    func endProcess(code: UInt32) {
        guard exitCode == nil else { return }
        for thread in threads where thread.isAlive {
            thread.state = .terminated
            thread.exitCode = thread.exitCode ?? code
            thread.wait = nil
        }
        exitCode = code
        process.exitCode = code
        for entry in handles.entries.values {
            (entry.object as? FileObject)?.closeHost()
        }
        queue(.processExited(exitCode: code), thread: current ?? threads.first)
    }

    func queue(_ kind: DebugEvent.Kind, thread: GuestThread?) {
        pendingEvents.append(DebugEvent(kind: kind, threadID: thread?.id ?? 0, clock: clock))
    }
}
