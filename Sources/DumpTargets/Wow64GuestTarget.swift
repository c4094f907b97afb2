import DumpFormat
import Engine

/// A WOW64 process (a 64-bit Windows dump whose process loaded `wow64.dll`) as its 32-bit code
/// sees it: each thread's x86 context from where WOW64 saved it (`Wow64Layout`), 32-bit TEBs,
/// 4-byte pointers. Memory, modules, handles and the system are the native target's: it is
/// one process.
final class Wow64GuestTarget: Target, TargetDescribing {
    private let native: MinidumpTarget
    private var contextCache: [Int: RegisterSet?] = [:]

    init(native: MinidumpTarget) {
        self.native = native
    }

    /// The guest view of `native`, or nil when it is not a WOW64 process.
    static func guestMode(of native: MinidumpTarget) -> GuestMode? {
        guard native.machine == .amd64,
            native.modules.contains(where: {
                Wow64Layout.layerImages.contains($0.imageName.lowercased())
            })
        else { return nil }
        let view = Wow64GuestTarget(native: native)
        let inGuest = native.lastEvent?.context?.machine == .x86
        return GuestMode(view: view, lastEventInGuest: inGuest)
    }

    var machine: Machine { .x86 }
    var capabilities: TargetCapabilities { native.capabilities }
    var displayName: String { native.displayName }

    func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        native.readMemory(at: address, into: buffer)
    }
    func memoryRanges() -> [Range<UInt64>] { native.memoryRanges() }
    func nextAvailableAddress(atOrAfter address: UInt64) -> UInt64? {
        native.nextAvailableAddress(atOrAfter: address)
    }

    var loadingLines: [String] { native.loadingLines }
    var system: TargetSystem? { native.system }
    var processID: UInt32? { native.processID }
    var entryPoint: UInt64? { native.entryPoint }
    func versionLines() -> [String] { native.versionLines() }

    var modules: [TargetModule] { native.modules }
    var unloadedModules: [UnloadedModule] { native.unloadedModules }
    var memoryRegions: [MemoryRegion]? { native.memoryRegions }
    var handles: [TargetHandle]? { native.handles }

    /// The native threads with their 32-bit TEB and stack.
    lazy var threads: [TargetThread] = native.threads.map { thread in
        var guest = thread
        guard let teb32 = teb32(ofTEB64: thread.teb) else {
            guest.teb = 0
            guest.stack = nil
            return guest
        }
        guest.teb = teb32
        if let base = native.readInteger(at: teb32 &+ Wow64Layout.teb32StackBase, size: 4),
            let limit = native.readInteger(at: teb32 &+ Wow64Layout.teb32StackLimit, size: 4),
            limit < base
        {
            guest.stack = limit..<base
        } else {
            guest.stack = nil
        }
        return guest
    }

    func registers(ofThread index: Int) -> RegisterSet? {
        if let cached = contextCache[index] { return cached }
        var result: RegisterSet?
        let nativeThreads = native.threads
        if nativeThreads.indices.contains(index) {
            result = savedContext(ofTEB64: nativeThreads[index].teb)
        }
        contextCache[index] = result
        return result
    }

    /// The native event; its context only when it is the guest's (an exception in 32-bit
    /// code), since a 64-bit context means nothing in x86 mode.
    lazy var lastEvent: TargetEvent? = native.lastEvent.map { event in
        var guest = event
        if event.context?.machine != .x86 { guest.context = nil }
        return guest
    }

    func contextRecord(at address: UInt64) -> RegisterSet? {
        x86Context(at: address)
    }

    // MARK: WOW64 structures

    /// The 32-bit TEB that goes with a 64-bit one.
    func teb32(ofTEB64 teb64: UInt64) -> UInt64? {
        guard teb64 != 0 else { return nil }
        if let raw = native.readInteger(at: teb64 &+ Wow64Layout.wowTebOffsetOffset, size: 4),
            raw != 0
        {
            let offset = Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: raw)))
            return UInt64(bitPattern: Int64(bitPattern: teb64) &+ offset)
        }
        if let exceptionList = native.readInteger(at: teb64, size: 8),
            exceptionList != 0, exceptionList <= UInt64(UInt32.max)
        {
            return exceptionList
        }
        return native.readInteger(at: teb64, size: 1) == nil
            ? nil : teb64 &+ Wow64Layout.teb32Distance
    }

    /// The x86 context WOW64 saved for the thread whose 64-bit TEB is `teb64`.
    private func savedContext(ofTEB64 teb64: UInt64) -> RegisterSet? {
        guard teb64 != 0,
            let area = native.readInteger(
                at: teb64 &+ Wow64Layout.tlsSlotsOffset &+ 8 * Wow64Layout.cpuReservedSlot,
                size: 8),
            area != 0,
            let machine = native.readInteger(at: area &+ 2, size: 2),
            machine == UInt64(Wow64Layout.x86MachineType)
        else { return nil }
        return x86Context(at: area &+ Wow64Layout.x86ContextOffset)
    }

    private func x86Context(at address: UInt64) -> RegisterSet? {
        guard let bytes = native.readBytes(at: address, count: Wow64Layout.x86ContextSize),
            let context = try? CPUContext(decoding: bytes, architecture: .intel)
        else { return nil }
        return ContextConversion.registerSet(context)
    }
}
