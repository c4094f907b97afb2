import FoundationEssentials

/// The OS block of `vertarget`, `version` and the start-up banner.
public enum SystemDescription {
    /// `Windows 10 Version 16299 MP (4 procs) Free x86 compatible`.
    public static func osLine(_ system: TargetSystem, kernel: Bool = false) -> String {
        let processors =
            system.processorCount > 1 ? "MP (\(system.processorCount) procs)" : "UP"
        let machine = system.machine == .x86 ? "x86 compatible" : system.machine.cdbName
        switch system.platform {
        case .windows(let productType, _):
            let name = windowsName(
                major: system.majorVersion, minor: system.minorVersion, productType: productType)
            let servicePack = system.servicePack.isEmpty ? "" : " (\(system.servicePack))"
            let kind = kernel ? " Kernel" : ""
            return
                "\(name)\(kind) Version \(system.buildNumber)\(servicePack) \(processors) Free \(machine)"
        case .linux, .android:
            let label = system.platform == .android ? "Android" : "Linux"
            let detail = system.servicePack.isEmpty ? label : system.servicePack
            return "\(detail) \(processors) \(system.machine.cdbName)"
        case .macOS, .iOS:
            let label = system.platform == .iOS ? "iOS" : "macOS"
            let build = system.servicePack.isEmpty ? "" : " Build \(system.servicePack)"
            return
                "\(label) \(system.majorVersion).\(system.minorVersion).\(system.buildNumber)\(build) "
                + "\(processors) \(system.machine.cdbName)"
        case .other(let name):
            return "\(name) \(processors) \(system.machine.cdbName)"
        }
    }

    /// `Product: WinNt, suite: SingleUserTS` (Windows only).
    public static func productLine(_ system: TargetSystem) -> String? {
        guard case .windows(let productType, let suiteMask) = system.platform else { return nil }
        let product: String
        switch productType {
        case 1: product = "WinNt"
        case 2: product = "LanManNt"
        case 3: product = "Server"
        default: product = "<unknown>"
        }
        let suites = suiteNames.enumerated().compactMap { bit, name in
            suiteMask & (1 << UInt16(bit)) != 0 ? name : nil
        }
        return "Product: \(product), suite: \(suites.joined(separator: " "))"
    }

    private static let suiteNames = [
        "SmallBusiness", "Enterprise", "BackOffice", "CommunicationServer", "TerminalServer",
        "SmallBusinessRestricted", "EmbeddedNT", "DataCenter", "SingleUserTS", "Personal",
        "Blade", "EmbeddedRestricted", "SecurityAppliance", "StorageServer", "ComputeServer",
        "WHServer",
    ]

    /// Marketing name for an NT version.
    public static func windowsName(major: UInt32, minor: UInt32, productType: UInt8) -> String {
        let server = productType != 1
        switch (major, minor) {
        case (5, 0): return "Windows 2000"
        case (5, 1): return "Windows XP"
        case (5, 2): return server ? "Windows Server 2003" : "Windows XP"
        case (6, 0): return server ? "Windows Server 2008" : "Windows Vista"
        case (6, 1): return server ? "Windows Server 2008 R2" : "Windows 7"
        case (6, 2): return server ? "Windows Server 2012" : "Windows 8"
        case (6, 3): return server ? "Windows Server 2012 R2" : "Windows 8.1"
        case (10, _): return "Windows 10"
        default: return "Windows NT \(major).\(minor)"
        }
    }

    /// `Debug session time: Wed Oct 24 05:51:28.000 2018 (UTC + 2:00)`.
    public static func sessionTimeLine(_ system: TargetSystem) -> String {
        guard let time = system.dumpTime else { return "Debug session time: not available" }
        let offset = system.timeZoneOffsetMinutes ?? 0
        let zone = TimeZone(secondsFromGMT: offset * 60) ?? .gmt
        return "Debug session time: \(TimeFormat.ctime(time, timeZone: zone, milliseconds: true)) "
            + TimeFormat.utcOffset(minutes: offset)
    }

    /// `System Uptime:` and (user mode) `Process Uptime:` lines.
    public static func uptimeLines(_ system: TargetSystem, includeProcess: Bool) -> [String] {
        var lines: [String] = []
        if let uptime = system.systemUptime {
            lines.append("System Uptime: \(TimeFormat.duration(uptime))")
        } else {
            lines.append("System Uptime: not available")
        }
        guard includeProcess else { return lines }
        if let created = system.processCreateTime, let now = system.dumpTime {
            lines.append(
                "Process Uptime: \(TimeFormat.duration(now.timeIntervalSince(created)))")
        } else {
            lines.append("Process Uptime: not available")
        }
        return lines
    }

    /// `  Kernel time:` / `  User time:` lines, when known.
    public static func processTimeLines(_ system: TargetSystem) -> [String] {
        var lines: [String] = []
        if let kernel = system.processKernelTime {
            lines.append("  Kernel time: \(TimeFormat.duration(kernel))")
        }
        if let user = system.processUserTime {
            lines.append("  User time: \(TimeFormat.duration(user))")
        }
        return lines
    }

    /// The whole `vertarget` block.
    public static func vertargetLines(_ system: TargetSystem, kernel: Bool) -> [String] {
        var lines = [osLine(system, kernel: kernel)]
        if let product = productLine(system) { lines.append(product) }
        if let lab = system.buildLab { lines.append("Edition build lab: \(lab)") }
        lines.append("Machine Name:")
        lines.append(sessionTimeLine(system))
        lines += uptimeLines(system, includeProcess: !kernel)
        if !kernel { lines += processTimeLines(system) }
        return lines
    }
}
