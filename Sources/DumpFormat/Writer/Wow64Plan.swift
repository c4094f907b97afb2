/// Where `Wow64Dump` puts what it adds to a 32-bit process, and the bytes it writes there.
struct Wow64Plan {
    let source: Minidump
    let system: SystemInfo
    private let memory: MemoryView
    private let processId: UInt32
    private var gaps: AddressSpaceGaps
    /// Memory the plan adds (TEBs, PEBs); thread stacks go with their threads.
    private(set) var addedMemory: [(address: UInt64, bytes: [UInt8])] = []
    /// The added 64-bit images, by file name.
    private var layerBases: [String: UInt64] = [:]

    /// The 64-bit images WOW64 loads, with sizes as on Windows 7 SP1 x64.
    static let layerImages: [(name: String, size: UInt32)] = [
        ("ntdll.dll", 0x1A9000), ("wow64.dll", 0x3F000), ("wow64win.dll", 0x5C000),
        ("wow64cpu.dll", 0x8000),
    ]
    /// Where the 64-bit context stops: in `wow64cpu`, at the return from a system call.
    static let wow64cpuStopOffset: UInt64 = 0x2DD9
    static let stack64Size: UInt64 = 0x4000

    /// The limit on the source's memory: the rewrapped dump keeps it all in one MemoryList.
    static let maximumSourceMemory: UInt64 = 256 << 20

    init(source: Minidump) throws(Wow64DumpError) {
        self.source = source
        guard let system = try? source.systemInfo() else {
            throw Wow64DumpError("the source dump has no SystemInfo stream")
        }
        guard system.architecture == .intel, system.platform == .win32NT else {
            throw Wow64DumpError(
                "the source must be a 32-bit Windows (x86) dump; it is \(system.architecture) "
                    + "on \(system.platform)")
        }
        self.system = system
        memory = source.memory()
        guard memory.totalBytes <= Self.maximumSourceMemory else {
            throw Wow64DumpError("the source holds more than 256 MiB of memory")
        }
        processId = (try? source.miscInfo())?.processId ?? 0
        var taken = memory.ranges.map { $0.start..<$0.end }
        for module in (try? source.modules()) ?? [] {
            taken.append(module.baseAddress..<module.endAddress)
        }
        for region in (try? source.memoryInfoList()) ?? []
        where region.state != MINIDUMP_MEMORY_INFO.MEM_FREE {
            taken.append(region.baseAddress..<(region.baseAddress &+ region.regionSize))
        }
        gaps = AddressSpaceGaps(taken: taken)
    }

    // MARK: Modules

    /// The executable, the 64-bit WOW64 images, then the source's other modules.
    mutating func modules() throws(Wow64DumpError) -> [MinidumpBuilder.Module] {
        let sourceModules = (try? source.modules()) ?? []
        guard let executable = sourceModules.first else {
            throw Wow64DumpError("the source dump lists no modules")
        }
        let present = Set(sourceModules.map { $0.fileName.lowercased() })
        let windows = Self.windowsFolder(sourceModules)
        var layer: [MinidumpBuilder.Module] = []
        for image in Self.layerImages
        where image.name == "ntdll.dll" || !present.contains(image.name) {
            guard let base = allocateImage(image.name, size: UInt64(image.size)) else {
                throw Wow64DumpError("no room for the 64-bit \(image.name)")
            }
            layerBases[image.name] = base
            layer.append(
                MinidumpBuilder.Module(
                    name: windows + "\\System32\\" + image.name, baseOfImage: base,
                    sizeOfImage: image.size))
        }
        for module in sourceModules where module.fileName.lowercased() == "wow64cpu.dll" {
            layerBases["wow64cpu.dll"] = module.baseAddress
        }
        return [Self.record(executable, guest: true)] + layer
            + sourceModules.dropFirst().map {
                Self.record($0, guest: !Wow64Layout.layerImages.contains($0.fileName.lowercased()))
            }
    }

    /// Where a 64-bit image goes: below 4 GB as on Windows 7, where WOW64 kept all of them
    /// there; from Windows 8 on only `wow64cpu.dll` (which 32-bit code jumps to) stays below
    /// 4 GB and the others load high, beside the system's other 64-bit DLLs.
    private mutating func allocateImage(_ name: String, size: UInt64) -> UInt64? {
        let version = (system.raw.majorVersion, system.raw.minorVersion)
        let highImages = version >= (6, 2) && name != "wow64cpu.dll"
        return highImages
            ? gaps.allocate(size: size, below: 0x7FFC_0000_0000, floor: 0x7FF0_0000_0000)
            : gaps.allocate(size: size)
    }

    /// The folder holding `System32` in the source's module paths (`C:\Windows`).
    static func windowsFolder(_ modules: [MinidumpModule]) -> String {
        for module in modules {
            let parts = module.name.split(separator: "\\", omittingEmptySubsequences: false)
            if let index = parts.firstIndex(where: {
                ["system32", "syswow64"].contains($0.lowercased())
            }), index > 0 {
                return parts[..<index].joined(separator: "\\")
            }
        }
        return "C:\\Windows"
    }

    /// A source module as the 64-bit dump lists it: 32-bit system images live in SysWOW64.
    static func record(_ module: MinidumpModule, guest: Bool) -> MinidumpBuilder.Module {
        var name = module.name
        if guest, let folder = systemFolder(in: name) {
            name.replaceSubrange(folder, with: "SysWOW64")
        }
        var record = MinidumpBuilder.Module(
            name: name, baseOfImage: module.baseAddress, sizeOfImage: module.raw.sizeOfImage)
        record.checkSum = module.raw.checkSum
        record.timeDateStamp = module.raw.timeDateStamp
        record.versionInfo = module.raw.versionInfo
        record.codeView = module.codeView
        return record
    }

    /// Where `System32` is in `path` (any case), as a range of `path`.
    static func systemFolder(in path: String) -> Range<String.Index>? {
        let parts = path.split(separator: "\\")
        return parts.first { $0.lowercased() == "system32" }.map { $0.startIndex..<$0.endIndex }
    }

    // MARK: Threads

    mutating func threads() throws(Wow64DumpError) -> [MinidumpBuilder.Thread] {
        guard let wow64cpu = layerBases["wow64cpu.dll"] else {
            throw Wow64DumpError("modules() must place wow64cpu.dll first")
        }
        let sourceThreads = (try? source.threads()) ?? []
        let (peb32, peb64) = try processBlocks(firstTEB32: sourceThreads.first?.teb)
        var result: [MinidumpBuilder.Thread] = []
        for thread in sourceThreads {
            let teb32 = thread.teb
            guard teb32 >= Wow64Layout.teb32Distance, teb32 <= UInt64(UInt32.max) else {
                throw Wow64DumpError("thread \(thread.threadId) has no 32-bit TEB address")
            }
            let teb64 = teb32 - Wow64Layout.teb32Distance
            guard gaps.isFree(teb64..<teb32) else {
                throw Wow64DumpError(
                    "the 64-bit TEB of thread \(thread.threadId) would overlap memory")
            }
            gaps.take(teb64..<teb32)
            guard let stackBottom = gaps.allocate(size: Self.stack64Size) else {
                throw Wow64DumpError("no room for the 64-bit stack of thread \(thread.threadId)")
            }
            let stackTop = stackBottom + Self.stack64Size
            let context32 = try guestContext(of: thread)
            // WOW64_CPURESERVED at the top of the 64-bit stack, the x86 CONTEXT behind it.
            let area = (stackTop - UInt64(4 + Wow64Layout.x86ContextSize)) & ~0xF
            let rsp = area - 0x100
            var stack = LittleEndianPage(size: Int(stackTop - rsp))
            stack.put16(Int(area - rsp) + 2, Wow64Layout.x86MachineType)
            stack.put(Int(area - rsp) + Int(Wow64Layout.x86ContextOffset), context32)

            var teb = LittleEndianPage(size: Int(Wow64Layout.teb32Distance))
            teb.put64(0x00, teb32)  // NtTib.ExceptionList: the 32-bit TEB
            teb.put64(0x08, stackTop)
            teb.put64(0x10, stackBottom)
            teb.put64(0x30, teb64)
            teb.put64(0x40, UInt64(processId))
            teb.put64(0x48, UInt64(thread.threadId))
            teb.put64(0x60, peb64)
            teb.put64(Int(Wow64Layout.tlsSlotsOffset + 8 * Wow64Layout.cpuReservedSlot), area)
            teb.put32(Int(Wow64Layout.wowTebOffsetOffset), UInt32(Wow64Layout.teb32Distance))
            addedMemory.append((teb64, teb.bytes))
            if memory.read(at: teb32, count: 4) == nil {
                addedMemory.append((teb32, teb32Bytes(thread, peb32: peb32)))
            }

            let esp =
                (try? CPUContext(decoding: context32, architecture: .intel))?.stackPointer ?? 0
            let registers: [String: UInt128] = [
                "rip": UInt128(wow64cpu + Self.wow64cpuStopOffset), "rsp": UInt128(rsp),
                "r12": UInt128(teb64), "r13": UInt128(area + Wow64Layout.x86ContextOffset),
                "r14": UInt128(esp), "efl": 0x246, "cs": 0x33, "ss": 0x2B, "ds": 0x2B,
                "es": 0x2B, "fs": 0x53, "gs": 0x2B, "mxcsr": 0x1F80,
            ]
            var record = MinidumpBuilder.Thread(
                threadId: thread.threadId,
                context: CPUContext.encode(architecture: .amd64, registers: registers))
            record.suspendCount = thread.suspendCount
            record.priorityClass = thread.priorityClass
            record.priority = thread.priority
            record.teb = teb64
            record.stackStart = rsp
            record.stack = stack.bytes
            result.append(record)
        }
        return result
    }

    /// The thread's x86 context as the source recorded it, padded to a full `CONTEXT`.
    private func guestContext(of thread: MINIDUMP_THREAD) throws(Wow64DumpError) -> [UInt8] {
        guard let bytes = try? source.bytes(at: thread.threadContext, what: "context"),
            bytes.count >= 0xCC
        else { throw Wow64DumpError("thread \(thread.threadId) has no readable x86 context") }
        let context = Array(bytes.prefix(Wow64Layout.x86ContextSize))
        return context + [UInt8](repeating: 0, count: Wow64Layout.x86ContextSize - context.count)
    }

    /// A 32-bit TEB for a thread whose TEB the source did not record.
    private func teb32Bytes(_ thread: MINIDUMP_THREAD, peb32: UInt64) -> [UInt8] {
        var teb = LittleEndianPage(size: 0x1000)
        let stackStart = thread.stack.startOfMemoryRange
        teb.put32(0x00, 0xFFFF_FFFF)  // end of the SEH chain: the source did not record it
        teb.put32(
            0x04, UInt32(truncatingIfNeeded: stackStart + UInt64(thread.stack.memory.dataSize)))
        teb.put32(0x08, UInt32(truncatingIfNeeded: stackStart))
        teb.put32(0x18, UInt32(truncatingIfNeeded: thread.teb))
        teb.put32(0x20, processId)
        teb.put32(0x24, thread.threadId)
        teb.put32(0x30, UInt32(truncatingIfNeeded: peb32))
        return teb.bytes
    }

    /// The 32-bit PEB (the source's, else a new one) and a new 64-bit PEB after it.
    private mutating func processBlocks(firstTEB32: UInt64?) throws(Wow64DumpError) -> (
        UInt64, UInt64
    ) {
        let executable = ((try? source.modules()) ?? []).first?.baseAddress ?? 0
        let recorded = firstTEB32.flatMap { memory.readInteger(UInt32.self, at: $0 + 0x30) }
        if let recorded, recorded != 0 {
            guard let peb64 = gaps.allocate(size: 0x1000, alignment: 0x1000) else {
                throw Wow64DumpError("no room for the 64-bit PEB")
            }
            addedMemory.append((peb64, peb64Bytes(executable: executable)))
            return (UInt64(recorded), peb64)
        }
        guard let peb32 = gaps.allocate(size: 0x2000, alignment: 0x1000) else {
            throw Wow64DumpError("no room for the PEBs")
        }
        var peb = LittleEndianPage(size: 0x1000)
        peb.put32(0x08, UInt32(truncatingIfNeeded: executable))  // ImageBaseAddress
        peb.put32(0x64, UInt32(system.processorCount))  // NumberOfProcessors
        peb.put32(0xA4, system.raw.majorVersion)
        peb.put32(0xA8, system.raw.minorVersion)
        peb.put16(0xAC, UInt16(truncatingIfNeeded: system.raw.buildNumber))
        peb.put32(0xB0, 2)  // OSPlatformId: VER_PLATFORM_WIN32_NT
        addedMemory.append((peb32, peb.bytes))
        addedMemory.append((peb32 + 0x1000, peb64Bytes(executable: executable)))
        return (peb32, peb32 + 0x1000)
    }

    private func peb64Bytes(executable: UInt64) -> [UInt8] {
        var peb = LittleEndianPage(size: 0x1000)
        peb.put64(0x10, executable)  // ImageBaseAddress
        peb.put32(0xB8, UInt32(system.processorCount))  // NumberOfProcessors
        peb.put32(0x118, system.raw.majorVersion)
        peb.put32(0x11C, system.raw.minorVersion)
        peb.put16(0x120, UInt16(truncatingIfNeeded: system.raw.buildNumber))
        peb.put32(0x124, 2)
        return peb.bytes
    }

    // MARK: Memory

    /// Every range of the source's memory, as it was.
    func sourceMemory() -> [(address: UInt64, bytes: [UInt8])] {
        memory.ranges.compactMap { range in
            memory.read(at: range.start, count: Int(range.size)).map { (range.start, $0) }
        }
    }
}
