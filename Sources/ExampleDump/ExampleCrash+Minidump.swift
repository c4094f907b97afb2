import DumpFormat
import PEFormat

/// The machine the example "ran" on, as the dump's SystemInfo and MiscInfo describe it: an
/// 8-core Intel machine with Windows 10 22H2.
enum ExampleSystem {
    static let buildNumber: UInt32 = 19045
    static let buildString = "19041.1.amd64fre.vb_release.191206-1406"
    /// CPUID leaf 1 EAX (family 6, model 0x9E, stepping 0xA) and EDX.
    static let cpuVersion: UInt32 = 0x0009_06EA
    static let cpuFeatures: UInt32 = 0xBFEB_FBFF
    static let processorCount: UInt8 = 8
    static let processorMhz: UInt32 = 3600
}

extension ExampleCrash {
    /// `MINIDUMP_TYPE` flags for what the dump holds: data and code segments (the whole image),
    /// the PEB and TEB, and the full memory-info list.
    static let dumpFlags: UInt64 = 0x0001 | 0x0100 | 0x0800 | 0x2000

    /// What xcdb prints as the dump's comment when it opens it.
    public static let comment =
        "xcdb example: crashdemo.exe run under Unicorn by xcdb-example up to its access violation"

    /// The crash as a Windows user-mode minidump: SystemInfo (x64, Windows 10), MiscInfo
    /// (process id, times, CPU speed, build), a comment, the thread with its context and stack,
    /// the executable's module record (with its CodeView record and version), the exception,
    /// the image, PEB/TEB and heap memory, and the memory-info list of the whole address space.
    public func minidump() -> MinidumpBuilder {
        var builder = MinidumpBuilder()
        builder.timeDateStamp = process.crashTime
        builder.flags = Self.dumpFlags
        builder.systemInfo = Self.systemInfo
        builder.miscInfo = miscInfo
        builder.rawStreams = [MinidumpBuilder.comment(Self.comment)]

        let context = contextBytes
        var thread = MinidumpBuilder.Thread(threadId: process.threadId, context: context)
        thread.teb = process.tebAddress
        thread.stackStart = stack.address
        thread.stack = stack.bytes
        builder.threads = [thread]
        builder.modules = [moduleRecord]

        var record = MINIDUMP_EXCEPTION()
        record.exceptionCode = 0xC000_0005
        record.exceptionAddress = fault.instructionAddress
        record.numberParameters = 2
        record.exceptionInformation[0] = fault.access.exceptionParameter
        record.exceptionInformation[1] = fault.address
        builder.exceptions = [
            MinidumpBuilder.Exception(threadId: process.threadId, record: record, context: context)
        ]
        builder.memory = memory.map { (address: $0.address, bytes: $0.bytes) }
        builder.memoryInfo = ProcessRegion.coveringUserSpace(regions).map(\.memoryInfo)
        return builder
    }

    /// The amd64 `CONTEXT` at the fault (control, integer, segment, floating-point and debug
    /// registers).
    var contextBytes: [UInt8] {
        var bytes = CPUContext.encode(architecture: .amd64, registers: registers)
        // The FXSAVE image keeps its own copy of MXCSR (at 0x118), and MXCSR_MASK after it.
        let mxcsr = UInt32(truncatingIfNeeded: registers["mxcsr"] ?? 0x1F80)
        for index in 0..<4 where 0x11F < bytes.count {
            bytes[0x118 + index] = UInt8(truncatingIfNeeded: mxcsr >> (index * 8))
            bytes[0x11C + index] = UInt8(truncatingIfNeeded: UInt32(0xFFFF) >> (index * 8))
        }
        return bytes
    }

    var moduleRecord: MinidumpBuilder.Module {
        var record = MinidumpBuilder.Module(
            name: module.path, baseOfImage: module.base, sizeOfImage: module.size)
        record.timeDateStamp = module.timeDateStamp
        record.checkSum = module.checkSum
        if case .pdb70(let guid, let age, let path)? = module.codeView, guid.bytes.count == 16 {
            record.codeView = .pdb70(signature: Self.guid(guid.bytes), age: age, pdbFileName: path)
        } else if case .pdb20(let signature, let age, let path)? = module.codeView {
            record.codeView = .pdb20(offset: 0, signature: signature, age: age, pdbFileName: path)
        }
        if let version = module.version {
            var info = VS_FIXEDFILEINFO()
            info.signature = VS_FIXEDFILEINFO.signatureValue
            info.strucVersion = version.structureVersion
            (info.fileVersionMS, info.fileVersionLS) = Self.split(version.fileVersion)
            (info.productVersionMS, info.productVersionLS) = Self.split(version.productVersion)
            info.fileFlagsMask = version.fileFlagsMask
            info.fileFlags = version.fileFlags
            info.fileOS = version.fileOS
            info.fileType = version.fileType
            info.fileSubtype = version.fileSubtype
            info.fileDateMS = UInt32(truncatingIfNeeded: version.fileDate >> 32)
            info.fileDateLS = UInt32(truncatingIfNeeded: version.fileDate)
            record.versionInfo = info
        }
        return record
    }

    static var systemInfo: MINIDUMP_SYSTEM_INFO {
        var info = MINIDUMP_SYSTEM_INFO()
        info.processorArchitecture = .amd64
        info.processorLevel = 6
        info.processorRevision = 0x9E0A
        info.numberOfProcessors = ExampleSystem.processorCount
        info.productType = 1  // VER_NT_WORKSTATION
        info.majorVersion = 10
        info.minorVersion = 0
        info.buildNumber = ExampleSystem.buildNumber
        info.platformId = .win32NT
        info.suiteMask = 0x100  // VER_SUITE_SINGLEUSERTS
        var cpu = LittleEndianPage(size: 24)
        cpu.put(0, Array("GenuineIntel".utf8))  // CPUID 0: EBX, EDX, ECX
        cpu.put32(12, ExampleSystem.cpuVersion)
        cpu.put32(16, ExampleSystem.cpuFeatures)
        info.cpu = cpu.bytes
        return info
    }

    var miscInfo: MINIDUMP_MISC_INFO {
        var misc = MINIDUMP_MISC_INFO()
        misc.sizeOfInfo = UInt32(MINIDUMP_MISC_INFO.sizeV4)
        misc.flags1 =
            MINIDUMP_MISC_INFO.MISC1_PROCESS_ID | MINIDUMP_MISC_INFO.MISC1_PROCESS_TIMES
            | MINIDUMP_MISC_INFO.MISC1_PROCESSOR_POWER_INFO | MINIDUMP_MISC_INFO.MISC3_TIMEZONE
            | MINIDUMP_MISC_INFO.MISC4_BUILDSTRING
        misc.rawProcessId = process.processId
        misc.processCreateTime = process.processCreateTime
        var power = MINIDUMP_MISC_INFO.ProcessorPowerInfo()
        power.processorMaxMhz = ExampleSystem.processorMhz
        power.processorCurrentMhz = ExampleSystem.processorMhz
        power.processorMhzLimit = ExampleSystem.processorMhz
        misc.processorPower = power
        var zone = TIME_ZONE_INFORMATION()
        zone.standardName = "Coordinated Universal Time"
        zone.daylightName = "Coordinated Universal Time"
        misc.timeZone = zone
        misc.timeZoneId = 0  // TIME_ZONE_ID_UNKNOWN: no daylight saving
        misc.buildString = ExampleSystem.buildString
        return misc
    }

    /// A GUID from its 16 stored bytes (Data1-3 little-endian, then Data4).
    static func guid(_ bytes: [UInt8]) -> GUID {
        func little(_ range: Range<Int>) -> UInt32 {
            range.reversed().reduce(0) { $0 << 8 | UInt32(bytes[$1]) }
        }
        return GUID(
            data1: little(0..<4), data2: UInt16(little(4..<6)), data3: UInt16(little(6..<8)),
            data4: Array(bytes[8..<16]))
    }

    /// A four-part version as the MS and LS words of `VS_FIXEDFILEINFO`.
    static func split(_ parts: [UInt16]) -> (UInt32, UInt32) {
        let p = (parts + [0, 0, 0, 0]).prefix(4).map(UInt32.init)
        return (p[0] << 16 | p[1], p[2] << 16 | p[3])
    }
}
