/// The type of a stream in the directory (`MINIDUMP_STREAM_TYPE`), including the Breakpad
/// (`0x4767…`, "Gg"), Crashpad (`0x4350…`, "CP") and Mozilla (`0x4d7a…`, "Mz") extensions.
///
/// A struct rather than an enum so that unknown values survive a round trip.
public struct MINIDUMP_STREAM_TYPE: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unused = Self(rawValue: 0)
    public static let threadList = Self(rawValue: 3)
    public static let moduleList = Self(rawValue: 4)
    public static let memoryList = Self(rawValue: 5)
    public static let exception = Self(rawValue: 6)
    public static let systemInfo = Self(rawValue: 7)
    public static let threadExList = Self(rawValue: 8)
    public static let memory64List = Self(rawValue: 9)
    public static let commentA = Self(rawValue: 10)
    public static let commentW = Self(rawValue: 11)
    public static let handleData = Self(rawValue: 12)
    public static let functionTable = Self(rawValue: 13)
    public static let unloadedModuleList = Self(rawValue: 14)
    public static let miscInfo = Self(rawValue: 15)
    public static let memoryInfoList = Self(rawValue: 16)
    public static let threadInfoList = Self(rawValue: 17)
    public static let handleOperationList = Self(rawValue: 18)
    public static let token = Self(rawValue: 19)
    public static let javaScriptData = Self(rawValue: 20)
    public static let systemMemoryInfo = Self(rawValue: 21)
    public static let processVmCounters = Self(rawValue: 22)
    public static let iptTrace = Self(rawValue: 23)
    public static let threadNames = Self(rawValue: 24)
    public static let breakpadInfo = Self(rawValue: 0x4767_0001)
    public static let assertionInfo = Self(rawValue: 0x4767_0002)
    public static let linuxCpuInfo = Self(rawValue: 0x4767_0003)
    public static let linuxProcStatus = Self(rawValue: 0x4767_0004)
    public static let linuxLsbRelease = Self(rawValue: 0x4767_0005)
    public static let linuxCmdLine = Self(rawValue: 0x4767_0006)
    public static let linuxEnviron = Self(rawValue: 0x4767_0007)
    public static let linuxAuxv = Self(rawValue: 0x4767_0008)
    public static let linuxMaps = Self(rawValue: 0x4767_0009)
    public static let linuxDsoDebug = Self(rawValue: 0x4767_000a)
    public static let crashpadInfo = Self(rawValue: 0x4350_0001)
    public static let mozMacosCrashInfo = Self(rawValue: 0x4d7a_0001)
    public static let mozMacosBootargs = Self(rawValue: 0x4d7a_0002)
    public static let mozLinuxLimits = Self(rawValue: 0x4d7a_0003)
    public static let mozSoftErrors = Self(rawValue: 0x4d7a_0004)

    /// Keyed by `Int`, which the runtime already knows is Hashable (a dictionary keyed by a
    /// new type costs a scan of every conformance at start-up).
    private static let names: [Int: String] = [
        0: "Unused", 1: "Reserved0", 2: "Reserved1", 3: "ThreadList", 4: "ModuleList",
        5: "MemoryList", 6: "Exception", 7: "SystemInfo", 8: "ThreadExList", 9: "Memory64List",
        10: "CommentStreamA", 11: "CommentStreamW", 12: "HandleData", 13: "FunctionTable",
        14: "UnloadedModuleList", 15: "MiscInfo", 16: "MemoryInfoList", 17: "ThreadInfoList",
        18: "HandleOperationList", 19: "Token", 20: "JavaScriptData", 21: "SystemMemoryInfo",
        22: "ProcessVmCounters", 23: "IptTrace", 24: "ThreadNames",
        0x4767_0001: "BreakpadInfo", 0x4767_0002: "AssertionInfo", 0x4767_0003: "LinuxCpuInfo",
        0x4767_0004: "LinuxProcStatus", 0x4767_0005: "LinuxLsbRelease",
        0x4767_0006: "LinuxCmdLine", 0x4767_0007: "LinuxEnviron", 0x4767_0008: "LinuxAuxv",
        0x4767_0009: "LinuxMaps", 0x4767_000a: "LinuxDsoDebug", 0x4767_000b: "LinuxProcStat",
        0x4767_000c: "LinuxProcUptime", 0x4767_000d: "LinuxProcLimits",
        0x4350_0001: "CrashpadInfo", 0x4b6b_0002: "StabilityReport",
        0x4d7a_0001: "MozMacosCrashInfo", 0x4d7a_0002: "MozMacosBootargs",
        0x4d7a_0003: "MozLinuxLimits", 0x4d7a_0004: "MozSoftErrors",
    ]

    /// Microsoft's or the extension's name without the `Stream` suffix, or `0x…` when unknown.
    public var name: String { Self.names[Int(rawValue)] ?? hex(rawValue) }
    public var description: String { name }
}
