/// What a target can do. Commands declare requirements; the command table checks them against
/// these before a handler runs, so a command never has to ask "is this a dump?".
public struct TargetCapabilities: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// It can run: `g`, `p`, `t`, breakpoints.
    public static let canExecute = TargetCapabilities(rawValue: 1 << 0)
    /// Memory and registers can be changed (`e*`, `r rax=...`).
    public static let canWriteMemory = TargetCapabilities(rawValue: 1 << 1)
    /// A kernel target (`kd>` prompt, `!process`, `.bugcheck`).
    public static let isKernel = TargetCapabilities(rawValue: 1 << 2)
    /// Read from a dump file.
    public static let isDump = TargetCapabilities(rawValue: 1 << 3)
}

/// A debuggee: a dump, an emulated process or an emulated kernel. Commands only see this
/// protocol (and the narrower protocols in this folder), so adding a target never edits a
/// command. Targets are used only on the session's command queue and need not be thread-safe.
public protocol Target: AnyObject {
    /// The processor architecture.
    var machine: Machine { get }
    /// What the target can do.
    var capabilities: TargetCapabilities { get }
    /// A short description: the dump's path, or the program's name.
    var displayName: String { get }

    /// Copies bytes starting at `address` into `buffer`; returns how many leading bytes were
    /// available (reading stops at the first unavailable byte).
    func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int

    /// The address ranges that hold memory, sorted, for searches (`s`) and `!address`.
    func memoryRanges() -> [Range<UInt64>]
    /// The first address at or after `address` that holds memory, if any (lets `db` skip over
    /// a hole quickly).
    func nextAvailableAddress(atOrAfter address: UInt64) -> UInt64?

    /// Lines printed after `Loading Dump File [...]`: the dump type and what is available.
    var loadingLines: [String] { get }
    /// OS and process facts, when known.
    var system: TargetSystem? { get }
    /// The process id (`|`, `$tpid`), when known.
    var processID: UInt32? { get }
    /// Entry point of the main executable (`$exentry`), when known.
    var entryPoint: UInt64? { get }

    /// The threads, in the target's order (index = the debugger's thread number).
    var threads: [TargetThread] { get }
    /// The register context of a thread, when known.
    func registers(ofThread index: Int) -> RegisterSet?

    /// Loaded modules, sorted by base.
    var modules: [TargetModule] { get }
    /// Modules that were unloaded.
    var unloadedModules: [UnloadedModule] { get }

    /// What stopped the target (the dump's exception), if anything.
    var lastEvent: TargetEvent? { get }
    /// Decodes a CONTEXT record stored in the target's memory (`.cxr`).
    func contextRecord(at address: UInt64) -> RegisterSet?

    /// RUNTIME_FUNCTION entries recorded for a module outside its image (a dump's
    /// FunctionTable stream), for x64 unwinding when the image itself is not available.
    func functionTable(for module: TargetModule) -> FunctionTableData?

    /// The address-space layout (`!address`), when the target records it.
    var memoryRegions: [MemoryRegion]? { get }
    /// The handle table (`!handle`), when the target records it.
    var handles: [TargetHandle]? { get }
    /// Builds the 32-bit view of a WOW64 process (nil for every other target). Called once
    /// per target: `DebuggerState.guestMode` keeps what it returns.
    func makeGuestMode() -> GuestMode?
}

extension Target {
    public func memoryRanges() -> [Range<UInt64>] { [] }
    public func nextAvailableAddress(atOrAfter address: UInt64) -> UInt64? {
        memoryRanges().first { $0.upperBound > address }.map { max($0.lowerBound, address) }
    }
    public var loadingLines: [String] { [] }
    public var system: TargetSystem? { nil }
    public var processID: UInt32? { nil }
    public var entryPoint: UInt64? { nil }
    public var threads: [TargetThread] { [] }
    public func registers(ofThread index: Int) -> RegisterSet? { nil }
    public var modules: [TargetModule] { [] }
    public var unloadedModules: [UnloadedModule] { [] }
    public var lastEvent: TargetEvent? { nil }
    public func contextRecord(at address: UInt64) -> RegisterSet? { nil }
    public var memoryRegions: [MemoryRegion]? { nil }
    public var handles: [TargetHandle]? { nil }
    public func makeGuestMode() -> GuestMode? { nil }
    public func functionTable(for module: TargetModule) -> FunctionTableData? { nil }
}

/// Function-table entries for one module: RUNTIME_FUNCTION records (12 bytes each, RVAs from
/// the module base). Their UNWIND_INFO is read from the target's memory.
public struct FunctionTableData: Sendable, Equatable {
    public var entries: [UInt8]

    public init(entries: [UInt8]) {
        self.entries = entries
    }
}

extension Target {
    /// Reads exactly `count` bytes, or nil when any of them is unavailable.
    public func readBytes(at address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { readMemory(at: address, into: $0) }
        return got == count ? bytes : nil
    }

    /// Reads a little-endian unsigned integer of `size` bytes (1, 2, 4 or 8).
    public func readInteger(at address: UInt64, size: Int) -> UInt64? {
        guard [1, 2, 4, 8].contains(size), let bytes = readBytes(at: address, count: size) else {
            return nil
        }
        var value: UInt64 = 0
        for (i, byte) in bytes.enumerated() {
            value |= UInt64(byte) << (8 * UInt64(i))
        }
        return value
    }

    /// Reads a pointer-sized value.
    public func readPointer(at address: UInt64) -> UInt64? {
        readInteger(at: address, size: machine.pointerSize)
    }
}

/// Opens targets from files (`-z FILE`, `.opendump FILE`). Dump formats register one each;
/// the engine asks each in turn whether it recognises a file.
public protocol TargetOpener: Sendable {
    /// A short name for messages ("user-mode minidump").
    var formatName: String { get }
    /// True when the first bytes of a file look like this opener's format.
    func recognizes(prefix: [UInt8]) -> Bool
    /// Opens the file; warnings are lines to show the user (a partly damaged dump).
    func open(path: String) throws -> OpenedTarget
}

/// A target just opened, with what should be said about it.
public struct OpenedTarget {
    public var target: any Target
    /// Lines for the start-up banner after `Loading Dump File [...]`.
    public var warnings: [String]

    public init(target: any Target, warnings: [String] = []) {
        self.target = target
        self.warnings = warnings
    }
}
