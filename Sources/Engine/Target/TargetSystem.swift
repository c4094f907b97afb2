import FoundationEssentials

/// The operating system and process facts `vertarget`, `version`, `.time` and the start-up
/// banner print.
public struct TargetSystem: Sendable, Equatable {
    public enum Platform: Sendable, Equatable {
        /// Windows, with the product type (1 workstation, 2 domain controller, 3 server) and
        /// suite mask of SystemInfo.
        case windows(productType: UInt8, suiteMask: UInt16)
        case linux
        case macOS
        case iOS
        case android
        case other(String)
    }

    public var platform: Platform
    public var majorVersion: UInt32
    public var minorVersion: UInt32
    public var buildNumber: UInt32
    /// `Service Pack 1`; for Linux/macOS the uname-style version string.
    public var servicePack: String
    public var processorCount: Int
    public var machine: Machine
    /// `16299.15.x86fre.rs3_release.170928-1534`, when the dump records it.
    public var buildLab: String?
    /// When the dump was written (UTC).
    public var dumpTime: Date?
    /// Minutes to add to UTC for the target's local time, when known.
    public var timeZoneOffsetMinutes: Int?
    /// When the process started (UTC).
    public var processCreateTime: Date?
    public var processUserTime: TimeInterval?
    public var processKernelTime: TimeInterval?
    public var systemUptime: TimeInterval?

    public init(
        platform: Platform, majorVersion: UInt32, minorVersion: UInt32, buildNumber: UInt32,
        servicePack: String = "", processorCount: Int, machine: Machine, buildLab: String? = nil,
        dumpTime: Date? = nil, timeZoneOffsetMinutes: Int? = nil, processCreateTime: Date? = nil,
        processUserTime: TimeInterval? = nil, processKernelTime: TimeInterval? = nil,
        systemUptime: TimeInterval? = nil
    ) {
        self.platform = platform
        self.majorVersion = majorVersion
        self.minorVersion = minorVersion
        self.buildNumber = buildNumber
        self.servicePack = servicePack
        self.processorCount = processorCount
        self.machine = machine
        self.buildLab = buildLab
        self.dumpTime = dumpTime
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
        self.processCreateTime = processCreateTime
        self.processUserTime = processUserTime
        self.processKernelTime = processKernelTime
        self.systemUptime = systemUptime
    }

    public var isWindows: Bool {
        if case .windows = platform { return true }
        return false
    }
}
