/// The MiscInfo stream, all versions (`MINIDUMP_MISC_INFO` … `MINIDUMP_MISC_INFO_5`).
///
/// The version is given by `sizeOfInfo` (24, 44, 232, 832, 1364 bytes); fields of later
/// versions are nil when the stream is shorter. Which fields are meaningful is said by `flags1`
/// (`MINIDUMP_MISC1_*`); the typed accessors (`processId`, …) check both.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_misc_info_5>
public struct MINIDUMP_MISC_INFO: Sendable, Equatable {
    public static let sizeV1 = 24
    public static let sizeV2 = 44
    public static let sizeV3 = 232
    public static let sizeV4 = 832
    public static let sizeV5 = 1364

    public static let MISC1_PROCESS_ID: UInt32 = 0x1
    public static let MISC1_PROCESS_TIMES: UInt32 = 0x2
    public static let MISC1_PROCESSOR_POWER_INFO: UInt32 = 0x4
    public static let MISC3_PROCESS_INTEGRITY: UInt32 = 0x10
    public static let MISC3_PROCESS_EXECUTE_FLAGS: UInt32 = 0x20
    public static let MISC3_TIMEZONE: UInt32 = 0x40
    public static let MISC3_PROTECTED_PROCESS: UInt32 = 0x80
    public static let MISC4_BUILDSTRING: UInt32 = 0x100
    public static let MISC5_PROCESS_COOKIE: UInt32 = 0x200

    public var sizeOfInfo: UInt32 = UInt32(sizeV1)
    public var flags1: UInt32 = 0
    public var rawProcessId: UInt32 = 0
    /// Seconds since 1970 UTC.
    public var processCreateTime: UInt32 = 0
    /// Seconds.
    public var processUserTime: UInt32 = 0
    public var processKernelTime: UInt32 = 0

    /// Version 2 and later.
    public var processorPower: ProcessorPowerInfo?
    /// Version 3 and later.
    public var processIntegrityLevel: UInt32?
    public var processExecuteFlags: UInt32?
    public var protectedProcess: UInt32?
    public var timeZoneId: UInt32?
    public var timeZone: TIME_ZONE_INFORMATION?
    /// Version 4 and later: the OS build string and the debugger build string.
    public var buildString: String?
    public var dbgBldStr: String?
    /// Version 5: which XSAVE features a context holds and where (used to decode them).
    public var xStateData: XSTATE_CONFIG_FEATURE_MSC_INFO?
    public var processCookie: UInt32?

    public init() {}

    /// Processor clock information (`MINIDUMP_MISC_INFO_2`).
    public struct ProcessorPowerInfo: Sendable, Equatable {
        public var processorMaxMhz: UInt32 = 0
        public var processorCurrentMhz: UInt32 = 0
        public var processorMhzLimit: UInt32 = 0
        public var processorMaxIdleState: UInt32 = 0
        public var processorCurrentIdleState: UInt32 = 0
        public init() {}
    }

    private func has(_ flag: UInt32) -> Bool { flags1 & flag != 0 }

    public var processId: UInt32? { has(Self.MISC1_PROCESS_ID) ? rawProcessId : nil }
    public var processTimes: (create: UInt32, user: UInt32, kernel: UInt32)? {
        has(Self.MISC1_PROCESS_TIMES)
            ? (processCreateTime, processUserTime, processKernelTime) : nil
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        sizeOfInfo = try c.u32()
        // Read no further than the smaller of the declared size and the stream.
        let available = min(Int(sizeOfInfo), c.length)
        flags1 = try c.u32()
        rawProcessId = try c.u32()
        processCreateTime = try c.u32()
        processUserTime = try c.u32()
        processKernelTime = try c.u32()
        guard available >= Self.sizeV2 else { return }
        var power = ProcessorPowerInfo()
        power.processorMaxMhz = try c.u32()
        power.processorCurrentMhz = try c.u32()
        power.processorMhzLimit = try c.u32()
        power.processorMaxIdleState = try c.u32()
        power.processorCurrentIdleState = try c.u32()
        processorPower = power
        guard available >= Self.sizeV3 else { return }
        processIntegrityLevel = try c.u32()
        processExecuteFlags = try c.u32()
        protectedProcess = try c.u32()
        timeZoneId = try c.u32()
        timeZone = try TIME_ZONE_INFORMATION(from: &c)
        guard available >= Self.sizeV4 else { return }
        buildString = fixedUTF16String(try c.u16Array(260))
        dbgBldStr = fixedUTF16String(try c.u16Array(40))
        guard available >= Self.sizeV5 else { return }
        xStateData = try XSTATE_CONFIG_FEATURE_MSC_INFO(from: &c)
        processCookie = try c.u32()
    }

    func encode(into w: inout ByteWriter) {
        let start = w.count
        w.u32(sizeOfInfo)
        w.u32(flags1)
        w.u32(rawProcessId)
        w.u32(processCreateTime)
        w.u32(processUserTime)
        w.u32(processKernelTime)
        if sizeOfInfo >= Self.sizeV2 {
            let p = processorPower ?? ProcessorPowerInfo()
            for v in [
                p.processorMaxMhz, p.processorCurrentMhz, p.processorMhzLimit,
                p.processorMaxIdleState, p.processorCurrentIdleState,
            ] { w.u32(v) }
        }
        if sizeOfInfo >= Self.sizeV3 {
            w.u32(processIntegrityLevel ?? 0)
            w.u32(processExecuteFlags ?? 0)
            w.u32(protectedProcess ?? 0)
            w.u32(timeZoneId ?? 0)
            (timeZone ?? TIME_ZONE_INFORMATION()).encode(into: &w)
        }
        if sizeOfInfo >= Self.sizeV4 {
            w.fixedUTF16(Array((buildString ?? "").utf16.prefix(259)), count: 260)
            w.fixedUTF16(Array((dbgBldStr ?? "").utf16.prefix(39)), count: 40)
        }
        if sizeOfInfo >= Self.sizeV5 {
            (xStateData ?? XSTATE_CONFIG_FEATURE_MSC_INFO()).encode(into: &w)
            w.u32(processCookie ?? 0)
        }
        w.zeros(Int(sizeOfInfo) - (w.count - start))
    }
}

/// Time-zone settings (172 bytes), `TIME_ZONE_INFORMATION`.
public struct TIME_ZONE_INFORMATION: Sendable, Equatable {
    /// Minutes: UTC = local time + bias.
    public var bias: Int32 = 0
    public var standardName: String = ""
    public var standardDate = SYSTEMTIME()
    public var standardBias: Int32 = 0
    public var daylightName: String = ""
    public var daylightDate = SYSTEMTIME()
    public var daylightBias: Int32 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        bias = try c.i32()
        standardName = fixedUTF16String(try c.u16Array(32))
        standardDate = try SYSTEMTIME(from: &c)
        standardBias = try c.i32()
        daylightName = fixedUTF16String(try c.u16Array(32))
        daylightDate = try SYSTEMTIME(from: &c)
        daylightBias = try c.i32()
    }

    func encode(into w: inout ByteWriter) {
        w.i32(bias)
        w.fixedUTF16(Array(standardName.utf16.prefix(31)), count: 32)
        standardDate.encode(into: &w)
        w.i32(standardBias)
        w.fixedUTF16(Array(daylightName.utf16.prefix(31)), count: 32)
        daylightDate.encode(into: &w)
        w.i32(daylightBias)
    }
}

/// A calendar date and time (16 bytes), `SYSTEMTIME`.
public struct SYSTEMTIME: Sendable, Equatable {
    public var year: UInt16 = 0
    public var month: UInt16 = 0
    public var dayOfWeek: UInt16 = 0
    public var day: UInt16 = 0
    public var hour: UInt16 = 0
    public var minute: UInt16 = 0
    public var second: UInt16 = 0
    public var milliseconds: UInt16 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        year = try c.u16()
        month = try c.u16()
        dayOfWeek = try c.u16()
        day = try c.u16()
        hour = try c.u16()
        minute = try c.u16()
        second = try c.u16()
        milliseconds = try c.u16()
    }

    func encode(into w: inout ByteWriter) {
        for v in [year, month, dayOfWeek, day, hour, minute, second, milliseconds] { w.u16(v) }
    }
}

/// Where each XSAVE feature sits in an extended context (528 bytes), from MiscInfo 5.
public struct XSTATE_CONFIG_FEATURE_MSC_INFO: Sendable, Equatable {
    public var sizeOfInfo: UInt32 = 528
    /// Size of a context including its XSAVE area.
    public var contextSize: UInt32 = 0
    /// Bit n set: feature n is enabled.
    public var enabledFeatures: UInt64 = 0
    /// Offset and size of each of the 64 features (`XSTATE_FEATURE`).
    public var features: [(offset: UInt32, size: UInt32)] = Array(repeating: (0, 0), count: 64)

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.sizeOfInfo == b.sizeOfInfo && a.contextSize == b.contextSize
            && a.enabledFeatures == b.enabledFeatures
            && a.features.elementsEqual(b.features, by: { $0 == $1 })
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        sizeOfInfo = try c.u32()
        contextSize = try c.u32()
        enabledFeatures = try c.u64()
        features = []
        for _ in 0..<64 { features.append((try c.u32(), try c.u32())) }
    }

    func encode(into w: inout ByteWriter) {
        w.u32(sizeOfInfo)
        w.u32(contextSize)
        w.u64(enabledFeatures)
        for index in 0..<64 {
            let f = index < features.count ? features[index] : (0, 0)
            w.u32(f.0)
            w.u32(f.1)
        }
    }
}

/// A fixed-size `WCHAR[n]` field: the units up to the first NUL.
func fixedUTF16String(_ units: [UInt16]) -> String {
    let end = units.firstIndex(of: 0) ?? units.count
    // The units' bytes are UTF-16LE on every host xcdb runs on (x86-64, ARM64).
    return units[..<end].withUnsafeBytes { decodeUTF16LE($0) }
}
