/// The SystemInfo stream (56 bytes): processor, OS version and platform.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_system_info>
public struct MINIDUMP_SYSTEM_INFO: Sendable, Equatable {
    public static let size = 56
    public var processorArchitecture = ProcessorArchitecture.intel
    public var processorLevel: UInt16 = 0
    public var processorRevision: UInt16 = 0
    public var numberOfProcessors: UInt8 = 0
    /// `VER_NT_WORKSTATION` (1), `VER_NT_DOMAIN_CONTROLLER` (2), `VER_NT_SERVER` (3).
    public var productType: UInt8 = 0
    public var majorVersion: UInt32 = 0
    public var minorVersion: UInt32 = 0
    public var buildNumber: UInt32 = 0
    public var platformId = PlatformId.win32NT
    /// RVA of the service-pack string (`MINIDUMP_STRING`); Breakpad puts the OS build here.
    public var csdVersionRva: RVA = 0
    /// `VER_SUITE_*` flags.
    public var suiteMask: UInt16 = 0
    public var reserved2: UInt16 = 0
    /// `CPU_INFORMATION`: for x86 the CPUID vendor, version, features and AMD features;
    /// for other processors two 64-bit `ProcessorFeatures` words. Raw 24 bytes.
    public var cpu: [UInt8] = Array(repeating: 0, count: 24)

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        processorArchitecture = ProcessorArchitecture(rawValue: try c.u16())
        processorLevel = try c.u16()
        processorRevision = try c.u16()
        numberOfProcessors = try c.u8()
        productType = try c.u8()
        majorVersion = try c.u32()
        minorVersion = try c.u32()
        buildNumber = try c.u32()
        platformId = PlatformId(rawValue: try c.u32())
        csdVersionRva = try c.u32()
        suiteMask = try c.u16()
        reserved2 = try c.u16()
        cpu = try c.bytes(24)
    }

    func encode(into w: inout ByteWriter) {
        w.u16(processorArchitecture.rawValue)
        w.u16(processorLevel)
        w.u16(processorRevision)
        w.u8(numberOfProcessors)
        w.u8(productType)
        w.u32(majorVersion)
        w.u32(minorVersion)
        w.u32(buildNumber)
        w.u32(platformId.rawValue)
        w.u32(csdVersionRva)
        w.u16(suiteMask)
        w.u16(reserved2)
        w.append(cpu.prefix(24))
        w.zeros(24 - min(24, cpu.count))
    }

    /// The x86 CPUID vendor string (`GenuineIntel`, `AuthenticAMD`), when the processor is x86
    /// or amd64 and the writer filled it in.
    public var x86VendorId: String? {
        guard processorArchitecture == .intel || processorArchitecture == .amd64 else { return nil }
        let vendor = cpu.prefix(12)
        guard vendor.contains(where: { $0 != 0 }) else { return nil }
        return cString(Array(vendor))
    }

    /// `VER_NT_WORKSTATION` etc. as words, or nil for 0/unknown.
    public var productTypeName: String? {
        switch productType {
        case 1: return "Workstation"
        case 2: return "DomainController"
        case 3: return "Server"
        default: return nil
        }
    }
}

/// `PROCESSOR_ARCHITECTURE_*` from SystemInfo, including Breakpad's extensions (0x8001…).
public struct ProcessorArchitecture: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let intel = Self(rawValue: 0)
    public static let mips = Self(rawValue: 1)
    public static let alpha = Self(rawValue: 2)
    public static let ppc = Self(rawValue: 3)
    public static let shx = Self(rawValue: 4)
    public static let arm = Self(rawValue: 5)
    public static let ia64 = Self(rawValue: 6)
    public static let alpha64 = Self(rawValue: 7)
    public static let msil = Self(rawValue: 8)
    public static let amd64 = Self(rawValue: 9)
    public static let ia32OnWin64 = Self(rawValue: 10)
    public static let neutral = Self(rawValue: 11)
    public static let arm64 = Self(rawValue: 12)
    public static let arm32OnWin64 = Self(rawValue: 13)
    public static let ia32OnArm64 = Self(rawValue: 14)
    public static let sparc = Self(rawValue: 0x8001)
    public static let ppc64 = Self(rawValue: 0x8002)
    /// Breakpad's ARM64 value from before Windows defined one; contexts use the "old" layout.
    public static let arm64Old = Self(rawValue: 0x8003)
    public static let mips64 = Self(rawValue: 0x8004)
    public static let riscv = Self(rawValue: 0x8005)
    public static let riscv64 = Self(rawValue: 0x8006)
    public static let unknown = Self(rawValue: 0xffff)

    public var description: String {
        switch self {
        case .intel: return "x86"
        case .mips: return "mips"
        case .alpha: return "alpha"
        case .ppc: return "ppc"
        case .shx: return "shx"
        case .arm: return "arm"
        case .ia64: return "ia64"
        case .alpha64: return "alpha64"
        case .msil: return "msil"
        case .amd64: return "amd64"
        case .ia32OnWin64: return "x86 on win64"
        case .neutral: return "neutral"
        case .arm64: return "arm64"
        case .arm32OnWin64: return "arm on win64"
        case .ia32OnArm64: return "x86 on arm64"
        case .sparc: return "sparc"
        case .ppc64: return "ppc64"
        case .arm64Old: return "arm64 (breakpad)"
        case .mips64: return "mips64"
        case .riscv: return "riscv"
        case .riscv64: return "riscv64"
        case .unknown: return "unknown"
        default: return "unknown (\(hex(rawValue)))"
        }
    }

    /// Pointer size in bytes for the architectures whose CPU contexts this reader decodes.
    public var pointerSize: Int? {
        switch self {
        case .intel, .arm, .ia32OnWin64, .arm32OnWin64, .ppc, .mips, .sparc, .riscv: return 4
        case .amd64, .arm64, .arm64Old, .ia64, .ppc64, .mips64, .riscv64, .alpha64: return 8
        default: return nil
        }
    }
}

/// `VER_PLATFORM_*` from SystemInfo, including Breakpad's values for other OSes (0x8000…).
public struct PlatformId: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let win32s = Self(rawValue: 0)
    public static let win32Windows = Self(rawValue: 1)
    public static let win32NT = Self(rawValue: 2)
    public static let win32CE = Self(rawValue: 3)
    public static let unix = Self(rawValue: 0x8000)
    public static let macOS = Self(rawValue: 0x8101)
    public static let iOS = Self(rawValue: 0x8102)
    public static let linux = Self(rawValue: 0x8201)
    public static let solaris = Self(rawValue: 0x8202)
    public static let android = Self(rawValue: 0x8203)
    public static let ps3 = Self(rawValue: 0x8204)
    public static let nacl = Self(rawValue: 0x8205)
    public static let fuchsia = Self(rawValue: 0x8206)

    public var isWindows: Bool { rawValue <= 3 }

    public var description: String {
        switch self {
        case .win32s: return "Win32s"
        case .win32Windows: return "Windows 9x"
        case .win32NT: return "Windows NT"
        case .win32CE: return "Windows CE"
        case .unix: return "Unix"
        case .macOS: return "macOS"
        case .iOS: return "iOS"
        case .linux: return "Linux"
        case .solaris: return "Solaris"
        case .android: return "Android"
        case .ps3: return "PS3"
        case .nacl: return "NaCl"
        case .fuchsia: return "Fuchsia"
        default: return "unknown (\(hex(rawValue)))"
        }
    }
}
