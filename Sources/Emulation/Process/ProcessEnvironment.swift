/// The structures Windows builds for a process, written into the guest in their documented
/// layouts: the PEB with its loader lists (load, memory and initialisation order), the process
/// parameters (image path, command line, current directory, environment, standard handles) and
/// `KUSER_SHARED_DATA`, whose clock fields the executive keeps current.
final class ProcessEnvironment {
    let space: AddressSpace
    let arena: GuestArena
    let peb: UInt64
    let ldr: UInt64
    let parameters: UInt64
    let environmentBlock: UInt64

    struct Setup {
        var imagePath: String
        var commandLine: String
        var currentDirectory: String
        var environment: [(String, String)]
        var standardHandles: (input: UInt64, output: UInt64, error: UInt64)
        var beingDebugged: Bool
        var subsystem: UInt16
        var subsystemVersion: (UInt16, UInt16)
        var cookie: UInt32
    }

    init(space: AddressSpace, arena: GuestArena, imageBase: UInt64, setup: Setup)
        throws(EmulationError)
    {
        self.space = space
        self.arena = arena
        do {
            peb = try space.reserve(at: nil, size: 0x1000, protect: PageProtection.readWrite)
            try space.commit(peb, size: 0x1000, protect: PageProtection.readWrite)
        } catch {
            throw .host("no room for the PEB")
        }
        let ldr = try arena.allocate(Layout.LdrData.size)
        self.ldr = ldr
        // The lists start empty: each head points at itself.
        var ldrData = StructBuilder(size: Layout.LdrData.size)
        ldrData.put(UInt32(Layout.LdrData.size), at: 0)
        ldrData.put(UInt8(1), at: Layout.LdrData.initialized)
        for head in [
            Layout.LdrData.inLoadOrder, Layout.LdrData.inMemoryOrder,
            Layout.LdrData.inInitializationOrder,
        ] {
            ldrData.put(ldr + UInt64(head), at: head)
            ldrData.put(ldr + UInt64(head), at: head + 8)
        }
        _ = ldrData.bytes.withUnsafeBytes { space.write(ldr, $0) }

        // Environment: "NAME=value\0...\0\0" in UTF-16.
        var block: [UInt8] = []
        for (name, value) in setup.environment { block += (name + "=" + value).utf16NulTerminated }
        block += [0, 0]
        environmentBlock = try arena.store(block)
        parameters = try arena.allocate(Layout.Parameters.size)
        try Self.writeParameters(
            space: space, arena: arena, at: parameters, setup: setup,
            environment: environmentBlock, environmentSize: block.count)
        try Self.writePEB(
            space: space, at: peb, imageBase: imageBase, ldr: ldr, parameters: parameters,
            setup: setup)
        try writeSharedData(cookie: setup.cookie)
    }

    private static func writeParameters(
        space: AddressSpace, arena: GuestArena, at parameters: UInt64, setup: Setup,
        environment environmentBlock: UInt64, environmentSize: Int
    ) throws(EmulationError) {
        var params = StructBuilder(size: Layout.Parameters.size)
        params.put(UInt32(Layout.Parameters.size), at: Layout.Parameters.maximumLength)
        params.put(UInt32(Layout.Parameters.size), at: Layout.Parameters.length)
        params.put(UInt32(1), at: Layout.Parameters.flags)  // normalised: pointers are absolute
        params.put(setup.standardHandles.input, at: Layout.Parameters.standardInput)
        params.put(setup.standardHandles.output, at: Layout.Parameters.standardOutput)
        params.put(setup.standardHandles.error, at: Layout.Parameters.standardError)
        func string(_ text: String, at offset: Int, capacity: Int = 0) throws(EmulationError) {
            var bytes = text.utf16NulTerminated
            if capacity > bytes.count {
                bytes += Array(repeating: 0, count: capacity - bytes.count)
            }
            let buffer = try arena.store(bytes)
            params.putUnicodeString(text, buffer: buffer, at: offset)
            if capacity > 0 { params.put(UInt16(clamping: capacity), at: offset + 2) }
        }
        // The current directory's buffer holds MAX_PATH characters, as Windows allocates it.
        try string(setup.currentDirectory, at: Layout.Parameters.currentDirectory, capacity: 520)
        try string(
            ModuleLoader.systemGuestFolder.dropLast() + ";" + setup.currentDirectory.dropLast(),
            at: Layout.Parameters.dllPath)
        try string(setup.imagePath, at: Layout.Parameters.imagePathName)
        try string(setup.commandLine, at: Layout.Parameters.commandLine)
        try string(setup.imagePath, at: Layout.Parameters.windowTitle)
        try string("WinSta0\\Default", at: Layout.Parameters.desktopInfo)
        try string("", at: Layout.Parameters.shellInfo)
        params.put(environmentBlock, at: Layout.Parameters.environment)
        params.put(UInt64(environmentSize), at: Layout.Parameters.environmentSize)
        params.put(UInt32(1), at: Layout.Parameters.showWindowFlags)
        _ = params.bytes.withUnsafeBytes { space.write(parameters, $0) }
    }

    private static func writePEB(
        space: AddressSpace, at peb: UInt64, imageBase: UInt64, ldr: UInt64, parameters: UInt64,
        setup: Setup
    ) throws(EmulationError) {
        var pebBytes = StructBuilder(size: Layout.PEB.size)
        pebBytes.put(UInt8(setup.beingDebugged ? 1 : 0), at: Layout.PEB.beingDebugged)
        pebBytes.put(UInt64.max, at: Layout.PEB.mutant)
        pebBytes.put(imageBase, at: Layout.PEB.imageBaseAddress)
        pebBytes.put(ldr, at: Layout.PEB.ldr)
        pebBytes.put(parameters, at: Layout.PEB.processParameters)
        pebBytes.put(UInt32(1), at: Layout.PEB.numberOfProcessors)
        // 2,592,000 seconds in 100 ns units, negative (relative), as Windows sets it.
        pebBytes.put(Int64(-25_920_000_000_000), at: Layout.PEB.criticalSectionTimeout)
        pebBytes.put(UInt64(0x10_0000), at: Layout.PEB.heapSegmentReserve)
        pebBytes.put(UInt64(0x2000), at: Layout.PEB.heapSegmentCommit)
        pebBytes.put(UInt32(10), at: Layout.PEB.osMajorVersion)
        pebBytes.put(UInt32(0), at: Layout.PEB.osMinorVersion)
        pebBytes.put(UInt16(19045), at: Layout.PEB.osBuildNumber)
        pebBytes.put(UInt32(2), at: Layout.PEB.osPlatformId)
        pebBytes.put(UInt32(setup.subsystem), at: Layout.PEB.imageSubsystem)
        pebBytes.put(UInt32(setup.subsystemVersion.0), at: Layout.PEB.imageSubsystemMajorVersion)
        pebBytes.put(UInt32(setup.subsystemVersion.1), at: Layout.PEB.imageSubsystemMinorVersion)
        pebBytes.put(UInt32(1), at: Layout.PEB.sessionId)
        _ = pebBytes.bytes.withUnsafeBytes { space.write(peb, $0) }
    }

    // MARK: KUSER_SHARED_DATA

    private func writeSharedData(cookie: UInt32) throws(EmulationError) {
        let address = Layout.KUser.address
        do {
            try space.reserve(
                at: address, size: 0x1000, protect: PageProtection.readOnly, isSystem: true)
            try space.commit(
                address, size: 0x1000, protect: PageProtection.readOnly, bySystem: true)
        } catch {
            throw .host("cannot place KUSER_SHARED_DATA at 0x7FFE0000")
        }
        var data = StructBuilder(size: 0x1000)
        data.put(UInt32(0x0FA0_0000), at: Layout.KUser.tickCountMultiplier)
        data.put(UInt16(0x8664), at: Layout.KUser.imageNumberLow)
        data.put(UInt16(0x8664), at: Layout.KUser.imageNumberHigh)
        data.put("C:\\Windows".utf16NulTerminated, at: Layout.KUser.ntSystemRoot)
        data.put(UInt32(19045), at: Layout.KUser.ntBuildNumber)
        data.put(UInt32(1), at: Layout.KUser.ntProductType)
        data.put(UInt8(1), at: Layout.KUser.productTypeIsValid)
        data.put(UInt16(9), at: Layout.KUser.nativeProcessorArchitecture)
        data.put(UInt32(10), at: Layout.KUser.ntMajorVersion)
        data.put(UInt32(0), at: Layout.KUser.ntMinorVersion)
        data.put(UInt32(0x40000), at: Layout.KUser.numberOfPhysicalPages)
        data.put(cookie, at: Layout.KUser.cookie)
        data.put(UInt32(1), at: Layout.KUser.activeProcessorCount)
        data.put(UInt16(1), at: Layout.KUser.activeGroupCount)
        _ = data.bytes.withUnsafeBytes { space.write(address, $0) }
    }

    /// Sets the clock fields: interrupt time (100 ns since boot), system time (100 ns since
    /// 1601, UTC) and the tick count (interrupt time in 15.625 ms ticks, read with
    /// `TickCountMultiplier` = 0x0FA00000 as Windows' `GetTickCount` does).
    func updateTime(interruptTime: UInt64, systemTime: UInt64) {
        func ksystemTime(_ value: UInt64, at offset: UInt64) {
            var bytes = StructBuilder(size: 12)
            bytes.put(UInt32(truncatingIfNeeded: value), at: 0)
            bytes.put(UInt32(truncatingIfNeeded: value >> 32), at: 4)
            bytes.put(UInt32(truncatingIfNeeded: value >> 32), at: 8)
            _ = bytes.bytes.withUnsafeBytes { space.write(Layout.KUser.address + offset, $0) }
        }
        ksystemTime(interruptTime, at: UInt64(Layout.KUser.interruptTime))
        ksystemTime(systemTime, at: UInt64(Layout.KUser.systemTime))
        let ticks = interruptTime / 156_250
        ksystemTime(ticks, at: UInt64(Layout.KUser.tickCount))
    }

    // MARK: Loader lists

    /// Adds loader entries for `modules` (in load order) and links `initialization` into the
    /// initialisation-order list.
    func add(_ modules: [LoadedModule], initialization: [LoadedModule]) throws(EmulationError) {
        for module in modules where module.loaderEntry == 0 {
            let entry = try arena.allocate(Layout.LdrEntry.size)
            let info = module.info
            var bytes = StructBuilder(size: Layout.LdrEntry.size)
            bytes.put(info.base, at: Layout.LdrEntry.dllBase)
            bytes.put(info.entryPoint, at: Layout.LdrEntry.entryPoint)
            bytes.put(UInt32(truncatingIfNeeded: info.size), at: Layout.LdrEntry.sizeOfImage)
            let full = try arena.store(info.guestPath.utf16NulTerminated)
            bytes.putUnicodeString(info.guestPath, buffer: full, at: Layout.LdrEntry.fullDllName)
            let baseName = try arena.store(info.name.utf16NulTerminated)
            bytes.putUnicodeString(info.name, buffer: baseName, at: Layout.LdrEntry.baseDllName)
            bytes.put(UInt32(info.isMainImage ? 0 : 0x4), at: Layout.LdrEntry.flags)
            bytes.put(UInt16(1), at: Layout.LdrEntry.obsoleteLoadCount)
            bytes.put(UInt16(truncatingIfNeeded: info.tlsIndex ?? 0), at: Layout.LdrEntry.tlsIndex)
            bytes.put(entry + UInt64(Layout.LdrEntry.hashLinks), at: Layout.LdrEntry.hashLinks)
            bytes.put(entry + UInt64(Layout.LdrEntry.hashLinks), at: Layout.LdrEntry.hashLinks + 8)
            bytes.put(info.timestamp, at: Layout.LdrEntry.timeDateStamp)
            bytes.put(info.preferredBase, at: Layout.LdrEntry.originalBase)
            bytes.put(UInt32(1), at: Layout.LdrEntry.referenceCount)
            _ = bytes.bytes.withUnsafeBytes { space.write(entry, $0) }
            module.loaderEntry = entry
            append(entry + UInt64(Layout.LdrEntry.inLoadOrderLinks), to: Layout.LdrData.inLoadOrder)
            append(
                entry + UInt64(Layout.LdrEntry.inMemoryOrderLinks), to: Layout.LdrData.inMemoryOrder
            )
        }
        for module in initialization where module.loaderEntry != 0 {
            append(
                module.loaderEntry + UInt64(Layout.LdrEntry.inInitializationOrderLinks),
                to: Layout.LdrData.inInitializationOrder)
        }
    }

    private func readPointer(_ address: UInt64) -> UInt64 {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { space.read(address, into: $0) }
        return UInt64(littleEndian: value)
    }

    private func writePointer(_ address: UInt64, _ value: UInt64) {
        _ = withUnsafeBytes(of: value.littleEndian) { space.write(address, $0) }
    }

    /// Appends a LIST_ENTRY at `link` to the list whose head is at `ldr + head`.
    private func append(_ link: UInt64, to head: Int) {
        let headAddress = ldr + UInt64(head)
        let last = readPointer(headAddress + 8)
        writePointer(link, headAddress)
        writePointer(link + 8, last)
        writePointer(last, link)
        writePointer(headAddress + 8, link)
    }
}
