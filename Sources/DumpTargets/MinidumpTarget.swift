import DumpFormat
import Engine
import FoundationEssentials

/// A user-mode minidump as a debugging target. Everything is read lazily from the mapped file
/// the first time a command asks, then kept.
public final class MinidumpTarget: Target, TargetDescribing {
    public let dump: Minidump
    public let path: String
    public let machine: Machine
    public var capabilities: TargetCapabilities { [.isDump] }
    public var displayName: String { path }

    private let memoryView: MemoryView
    private let systemInfo: SystemInfo?

    /// - Throws: when the dump's processor cannot be told (no SystemInfo and no readable thread
    ///   context) or is one xcdb does not debug.
    public init(dump: Minidump, path: String) throws {
        self.dump = dump
        self.path = path
        self.memoryView = dump.memory()
        self.systemInfo = try? dump.systemInfo()
        if let architecture = systemInfo?.architecture, let machine = Self.machine(architecture) {
            self.machine = machine
        } else if let thread = (try? dump.threads())?.first,
            let context = try? dump.context(of: thread)
        {
            self.machine = ContextConversion.machine(context.architecture)
        } else {
            let reason =
                systemInfo.map {
                    "its processor architecture (\($0.architecture)) is not one xcdb debugs "
                        + "(x86, x64, ARM, ARM64)"
                }
                ?? "it records no processor architecture (no readable SystemInfo stream or thread context)"
            let details = dump.warnings.prefix(3).map { "\n  \($0)" }.joined()
            throw CommandError.message("Could not open dump file [\(path)]: \(reason)\(details)")
        }
    }

    static func machine(_ architecture: ProcessorArchitecture) -> Machine? {
        switch architecture {
        case .intel, .ia32OnWin64, .ia32OnArm64: .x86
        case .amd64: .amd64
        case .arm, .arm32OnWin64: .arm
        case .arm64, .arm64Old: .arm64
        default: nil
        }
    }

    // MARK: Memory

    public func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count > 0 else { return 0 }
        // Copy range by range while the ranges are contiguous from `address`.
        var copied = 0
        while copied < buffer.count {
            let current = address &+ UInt64(copied)
            guard let range = memoryView.range(containing: current) else { break }
            let available = Int(min(UInt64(buffer.count - copied), range.end - current))
            let done = memoryView.withContiguousBytes(at: current, count: available) { bytes in
                UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<copied + available])
                    .copyMemory(from: bytes)
                return true
            }
            guard done == true else { break }
            copied += available
            if current &+ UInt64(available) < current { break }
        }
        return copied
    }

    public func memoryRanges() -> [Range<UInt64>] {
        memoryView.ranges.map { $0.start..<$0.end }
    }

    public func nextAvailableAddress(atOrAfter address: UInt64) -> UInt64? {
        memoryView.availableRanges(at: address, count: Int.max).first?.lowerBound
    }

    // MARK: What the dump holds

    public lazy var loadingLines: [String] = {
        var lines: [String] = []
        let fullMemory = dump.header.flags & 0x2 != 0 || dump.hasStream(.memory64List)
        lines.append(
            fullMemory
                ? "User Mini Dump File with Full Memory: Only application data is available"
                : "User Mini Dump File: Only registers, stack and portions of memory are available")
        if let comment = try? dump.commentA(), !comment.isEmpty {
            lines.append("Comment: '\(comment)'")
        }
        if let comment = try? dump.commentW(), !comment.isEmpty {
            lines.append("Comment: '\(comment)'")
        }
        return lines
    }()

    public var processID: UInt32? {
        if let pid = (try? dump.miscInfo())?.processId { return pid }
        if let status = try? dump.linuxKeyValues(.linuxProcStatus),
            let pid = status.first(where: { $0.key == "Pid" }).flatMap({
                UInt32($0.value.trimmingWhitespace())
            })
        {
            return pid
        }
        return nil
    }

    public lazy var system: TargetSystem? = makeSystem()

    public lazy var threads: [TargetThread] = {
        let names = (try? dump.threadNames()) ?? [:]
        var infos: [UInt32: MINIDUMP_THREAD_INFO] = [:]
        for info in (try? dump.threadInfoList()) ?? [] { infos[info.threadId] = info }
        return ((try? dump.threads()) ?? []).map { thread in
            let stackEnd = thread.stack.startOfMemoryRange.addingReportingOverflow(
                UInt64(thread.stack.memory.dataSize))
            return TargetThread(
                systemID: thread.threadId, teb: thread.teb, suspendCount: thread.suspendCount,
                name: names[thread.threadId], priorityClass: thread.priorityClass,
                priority: Int32(bitPattern: thread.priority),
                stack: stackEnd.overflow || thread.stack.memory.dataSize == 0
                    ? nil : thread.stack.startOfMemoryRange..<stackEnd.partialValue,
                times: infos[thread.threadId].map { times(of: $0) })
        }
    }()

    /// A thread's times from the ThreadInfoList stream; elapsed runs to its exit, or else to
    /// the dump's time (the header's, in seconds).
    private func times(of info: MINIDUMP_THREAD_INFO) -> ThreadTimes {
        // MINIDUMP_THREAD_INFO_EXITED_THREAD
        let exited = info.dumpFlags & 0x4 != 0 && info.exitTime != 0
        var end: UInt64?
        if exited {
            end = info.exitTime
        } else if dump.header.timeDateStamp != 0 {
            // FILETIME counts 100 ns from 1601; the header seconds from 1970.
            end = (UInt64(dump.header.timeDateStamp) + 11_644_473_600) * 10_000_000
        }
        let elapsed = end.flatMap { end in
            info.createTime != 0 && end >= info.createTime ? end - info.createTime : nil
        }
        return ThreadTimes(user: info.userTime, kernel: info.kernelTime, elapsed: elapsed)
    }

    private lazy var rawThreads: [MINIDUMP_THREAD] = (try? dump.threads()) ?? []
    private var contextCache: [Int: RegisterSet?] = [:]

    public func registers(ofThread index: Int) -> RegisterSet? {
        if let cached = contextCache[index] { return cached }
        var result: RegisterSet?
        if rawThreads.indices.contains(index),
            let context = try? dump.context(of: rawThreads[index])
        {
            result = ContextConversion.registerSet(context)
        }
        contextCache[index] = result
        return result
    }

    public lazy var modules: [TargetModule] = {
        ((try? dump.modules()) ?? []).enumerated().map { order, module in
            TargetModule(
                base: module.baseAddress, size: module.size, path: module.name,
                timestamp: module.raw.timeDateStamp, checksum: module.raw.checkSum,
                version: Self.version(module.raw.versionInfo),
                debugRecord: Self.debugRecord(module.codeView), loadOrder: order)
        }.sorted { $0.base < $1.base }
    }()

    public lazy var unloadedModules: [UnloadedModule] = {
        ((try? dump.unloadedModules()) ?? []).map { module in
            UnloadedModule(
                base: module.raw.baseOfImage, size: UInt64(module.raw.sizeOfImage),
                name: module.name, timestamp: module.raw.timeDateStamp,
                checksum: module.raw.checkSum)
        }
    }()

    public lazy var lastEvent: TargetEvent? = {
        guard let stream = dump.exceptions().first else { return nil }
        let record = stream.exceptionRecord
        let index = threads.firstIndex { $0.systemID == stream.threadId }
        let context = (try? dump.context(of: stream)).map(ContextConversion.registerSet)
        return TargetEvent(
            processID: processID ?? 0, threadID: stream.threadId, threadIndex: index,
            exception: ExceptionRecord(
                code: record.exceptionCode, flags: record.exceptionFlags,
                nestedRecord: record.exceptionRecord, address: record.exceptionAddress,
                parameters: record.parameters),
            context: context)
    }()

    public func contextRecord(at address: UInt64) -> RegisterSet? {
        // The largest layout (amd64 with XSAVE headroom is not needed for integer registers).
        let size = machine == .amd64 ? 1232 : machine == .arm64 ? 912 : machine == .x86 ? 716 : 416
        guard let bytes = readBytes(at: address, count: size),
            let context = try? CPUContext(decoding: bytes, architecture: systemInfo?.architecture)
        else { return nil }
        return ContextConversion.registerSet(context)
    }

    public lazy var memoryRegions: [MemoryRegion]? = {
        guard let list = try? dump.memoryInfoList() else { return nil }
        return list.map {
            MemoryRegion(
                base: $0.baseAddress, allocationBase: $0.allocationBase,
                allocationProtect: $0.allocationProtect, size: $0.regionSize, state: $0.state,
                protect: $0.protect, type: $0.type)
        }
    }()

    public lazy var handles: [TargetHandle]? = {
        guard let list = try? dump.handleData() else { return nil }
        return list.map {
            TargetHandle(
                handle: $0.raw.handle, typeName: $0.typeName, objectName: $0.objectName,
                attributes: $0.raw.attributes, grantedAccess: $0.raw.grantedAccess,
                handleCount: $0.raw.handleCount, pointerCount: $0.raw.pointerCount)
        }
    }()

    private lazy var functionTableStream: FunctionTableStream? = try? dump.functionTables()

    public func functionTable(for module: TargetModule) -> FunctionTableData? {
        guard machine == .amd64, let stream = functionTableStream else { return nil }
        let entries = stream.descriptors.filter { $0.baseAddress == module.base }
            .flatMap(\.rawEntries)
        return entries.isEmpty ? nil : FunctionTableData(entries: entries)
    }

    public func makeGuestMode() -> GuestMode? {
        Wow64GuestTarget.guestMode(of: self)
    }

    public func versionLines() -> [String] {
        guard let system else { return [] }
        return SystemDescription.vertargetLines(system, kernel: false)
    }

    // MARK: Conversions

    static func version(_ info: VS_FIXEDFILEINFO) -> ModuleVersion? {
        guard info.signature == 0xFEEF_04BD, let file = info.fileVersion else { return nil }
        let product: (UInt16, UInt16, UInt16, UInt16) = (
            UInt16(info.productVersionMS >> 16), UInt16(info.productVersionMS & 0xffff),
            UInt16(info.productVersionLS >> 16), UInt16(info.productVersionLS & 0xffff)
        )
        return ModuleVersion(
            fileVersion: file, productVersion: product, fileFlagsMask: info.fileFlagsMask,
            fileFlags: info.fileFlags, fileOS: info.fileOS, fileType: info.fileType,
            fileSubtype: info.fileSubtype,
            fileDate: UInt64(info.fileDateMS) << 32 | UInt64(info.fileDateLS))
    }

    static func debugRecord(_ record: CodeViewRecord?) -> ModuleDebugRecord? {
        switch record {
        case .pdb70(let guid, let age, let name)?:
            return .pdb70(pdbName: name, guid: guid.bytes, age: age)
        case .pdb20(_, let signature, let age, let name)?:
            return .pdb20(pdbName: name, signature: signature, age: age)
        case .elf(let buildID)?:
            return .elfBuildID(buildID)
        default:
            return nil
        }
    }

    private func makeSystem() -> TargetSystem? {
        guard let info = systemInfo else { return nil }
        let platform: TargetSystem.Platform
        switch info.platform {
        case .win32NT, .win32Windows, .win32s, .win32CE:
            platform = .windows(productType: info.raw.productType, suiteMask: info.raw.suiteMask)
        case .linux: platform = .linux
        case .android: platform = .android
        case .macOS: platform = .macOS
        case .iOS: platform = .iOS
        default: platform = .other("\(info.platform)")
        }
        let misc = try? dump.miscInfo()
        let dumpTime =
            dump.header.timeDateStamp == 0
            ? nil : Date(timeIntervalSince1970: TimeInterval(dump.header.timeDateStamp))
        var created: Date?
        var user: TimeInterval?
        var kernel: TimeInterval?
        if let times = misc?.processTimes {
            if times.create != 0 {
                created = Date(timeIntervalSince1970: TimeInterval(times.create))
            }
            user = TimeInterval(times.user)
            kernel = TimeInterval(times.kernel)
        }
        let zone = misc?.timeZone.map { -Int($0.bias) }
        return TargetSystem(
            platform: platform, majorVersion: info.raw.majorVersion,
            minorVersion: info.raw.minorVersion, buildNumber: info.raw.buildNumber,
            servicePack: info.csdVersion ?? "", processorCount: info.processorCount,
            machine: machine, buildLab: misc?.buildString.flatMap { $0.isEmpty ? nil : $0 },
            dumpTime: dumpTime, timeZoneOffsetMinutes: zone, processCreateTime: created,
            processUserTime: user, processKernelTime: kernel)
    }
}
