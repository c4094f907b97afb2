/// The SystemInfo stream with its service-pack string resolved.
public struct SystemInfo: Sendable, Equatable {
    public let raw: MINIDUMP_SYSTEM_INFO
    /// The CSD version ("Service Pack 1"); on Breakpad Linux/macOS dumps the kernel or OS
    /// build. Nil when absent or unreadable.
    public let csdVersion: String?

    public var architecture: ProcessorArchitecture { raw.processorArchitecture }
    public var platform: PlatformId { raw.platformId }
    public var processorCount: Int { Int(raw.numberOfProcessors) }
    /// `major.minor.build`.
    public var osVersion: String { "\(raw.majorVersion).\(raw.minorVersion).\(raw.buildNumber)" }
}

extension Minidump {
    /// The SystemInfo stream (cached).
    public func systemInfo() throws(MinidumpError) -> SystemInfo {
        if let cached = cache.withLock({ $0.systemInfo }) { return try cached.get() }
        let result = ReadOutcome { () throws(MinidumpError) -> SystemInfo in
            var c = try stream(.systemInfo)
            let raw = try MINIDUMP_SYSTEM_INFO(from: &c)
            var csd: String?
            if raw.csdVersionRva != 0 {
                do throws(MinidumpError) {
                    csd = try string(at: raw.csdVersionRva, what: "SystemInfo CSD version")
                } catch {
                    warn("SystemInfo: \(error.message)")
                }
            }
            return SystemInfo(raw: raw, csdVersion: csd)
        }
        cache.withLock { $0.systemInfo = result }
        return try result.get()
    }

    /// The MiscInfo stream, any version (cached).
    public func miscInfo() throws(MinidumpError) -> MINIDUMP_MISC_INFO {
        if let cached = cache.withLock({ $0.miscInfo }) { return try cached.get() }
        let result = ReadOutcome { () throws(MinidumpError) -> MINIDUMP_MISC_INFO in
            var c = try stream(.miscInfo)
            return try MINIDUMP_MISC_INFO(from: &c)
        }
        cache.withLock { $0.miscInfo = result }
        return try result.get()
    }

    /// The first Exception stream.
    public func exception() throws(MinidumpError) -> MINIDUMP_EXCEPTION_STREAM {
        var c = try stream(.exception)
        return try MINIDUMP_EXCEPTION_STREAM(from: &c)
    }

    /// Every Exception stream, in directory order (a dump may hold several). Streams that
    /// cannot be read are skipped with a warning.
    public func exceptions() -> [MINIDUMP_EXCEPTION_STREAM] {
        streams(.exception).compactMap { entry in
            do throws(MinidumpError) {
                var c = try cursor(for: entry)
                return try MINIDUMP_EXCEPTION_STREAM(from: &c)
            } catch {
                warn(error.message)
                return nil
            }
        }
    }

    /// The CPU context at the time of an exception (what `.ecxr` shows).
    public func context(of exception: MINIDUMP_EXCEPTION_STREAM) throws(MinidumpError) -> CPUContext
    {
        try context(
            at: exception.threadContext,
            what: "exception context of thread \(hex(exception.threadId))")
    }

    /// The CommentStreamA stream (ANSI text, up to the first NUL).
    public func commentA() throws(MinidumpError) -> String {
        cString(try rawStream(.commentA))
    }

    /// The CommentStreamW stream (UTF-16 text, up to the first NUL).
    public func commentW() throws(MinidumpError) -> String {
        let raw = try rawStream(.commentW)
        let units = (0..<(raw.count / 2)).map { UInt16(raw[$0 * 2]) | UInt16(raw[$0 * 2 + 1]) << 8 }
        return fixedUTF16String(units)
    }

    /// The MemoryInfoList stream: every region of the address space (for `!address`).
    public func memoryInfoList() throws(MinidumpError) -> [MINIDUMP_MEMORY_INFO] {
        try readExtendedList(
            .memoryInfoList, minimumEntrySize: MINIDUMP_MEMORY_INFO.size, countIs64Bit: true
        ) { (c: inout Cursor, _: Int) throws(MinidumpError) in
            try MINIDUMP_MEMORY_INFO(from: &c)
        }
    }

    /// The memory region description containing `address`, from MemoryInfoList.
    public func memoryInfo(containing address: UInt64) -> MINIDUMP_MEMORY_INFO? {
        (try? memoryInfoList())?.first { info in
            address >= info.baseAddress && address - info.baseAddress < info.regionSize
        }
    }
}
