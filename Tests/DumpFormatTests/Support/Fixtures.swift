import DumpFormat

/// Builder-made dumps with known contents.
enum Fixtures {
    static let amd64Registers: [String: UInt128] = [
        "rax": 0x1111_2222_3333_4444, "rbx": 0x7ffa_4262_b590, "rcx": 0x74, "rdx": 0,
        "rsi": 0xf, "rdi": 0x130_3134_4d30, "rbp": 0xc9_078f_8e0, "rsp": 0x10_0000_0f00,
        "r8": 0xffff_8139_c395_07b0, "r9": 9, "r10": 10, "r11": 11, "r12": 12, "r13": 13,
        "r14": 14, "r15": 15, "rip": 0x7ff6_6d9f_29e9, "efl": 0x10246, "cs": 0x33, "ss": 0x2b,
        "ds": 0x2b, "es": 0x2b, "fs": 0x53, "gs": 0x2b, "mxcsr": 0x1f80,
        "xmm0": 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff, "dr7": 0x400,
    ]

    static let x86Registers: [String: UInt128] = [
        "eax": 0, "ebx": 0x7efd_e000, "ecx": 0x4740_1dbd, "edx": 0x5f3d_2408, "esi": 0x37f8cc,
        "edi": 0x37fab4, "ebp": 0x37fac0, "esp": 0x37f8cc, "eip": 0x90a6cd, "efl": 0x10246,
        "cs": 0x23, "ss": 0x2b, "ds": 0x2b, "es": 0x2b, "fs": 0x53, "gs": 0x2b,
    ]

    static let pdbGuid = GUID(
        data1: 0xb371_5c7e, data2: 0xde8e, data3: 0x48a9,
        data4: [0x8b, 0xe5, 0x20, 0x4f, 0xf5, 0xc9, 0xe3, 0xaa])

    /// A Windows amd64 dump: two threads with stacks, three modules, an access violation,
    /// MiscInfo 5, memory info, handles, an unloaded module and a comment.
    static func amd64() -> MinidumpBuilder {
        var b = MinidumpBuilder()
        b.timeDateStamp = 1_574_858_630
        b.flags = 0x40000
        b.implementationVersion = 0xa0ab
        var sys = MINIDUMP_SYSTEM_INFO()
        sys.processorArchitecture = .amd64
        sys.processorLevel = 6
        sys.processorRevision = 0x5e03
        sys.numberOfProcessors = 4
        sys.productType = 1
        sys.majorVersion = 10
        sys.minorVersion = 0
        sys.buildNumber = 18362
        sys.platformId = .win32NT
        sys.suiteMask = 0x100
        b.systemInfo = sys
        b.csdVersion = "Service Pack 1"

        var misc = MINIDUMP_MISC_INFO()
        misc.sizeOfInfo = UInt32(MINIDUMP_MISC_INFO.sizeV5)
        misc.flags1 = 0x1 | 0x2 | 0x4 | 0x40 | 0x100
        misc.rawProcessId = 11524
        misc.processCreateTime = 1_574_858_611
        var power = MINIDUMP_MISC_INFO.ProcessorPowerInfo()
        power.processorMaxMhz = 3301
        power.processorCurrentMhz = 3300
        misc.processorPower = power
        var zone = TIME_ZONE_INFORMATION()
        zone.bias = -60
        zone.standardName = "W. Europe Standard Time"
        zone.daylightName = "W. Europe Daylight Time"
        misc.timeZone = zone
        misc.timeZoneId = 1
        misc.buildString = "18362.1.amd64fre.19h1_release.190318-1202"
        misc.dbgBldStr = "dbgcore.amd64fre"
        misc.processIntegrityLevel = 0x2000
        misc.processExecuteFlags = 0x4d
        misc.protectedProcess = 0
        var xstate = XSTATE_CONFIG_FEATURE_MSC_INFO()
        xstate.contextSize = 0x5c0
        xstate.enabledFeatures = 0x7
        xstate.features[2] = (576, 256)
        misc.xStateData = xstate
        misc.processCookie = 0xdead_beef
        b.miscInfo = misc

        var faulting = MinidumpBuilder.Thread(
            threadId: 0x5768,
            context: CPUContext.encode(architecture: .amd64, registers: amd64Registers))
        faulting.teb = 0xc_9099_f000
        faulting.stackStart = 0x10_0000_0f00
        faulting.stack = (0..<256).map { UInt8($0) }
        var other = MinidumpBuilder.Thread(
            threadId: 0x6100,
            context: CPUContext.encode(
                architecture: .amd64, registers: ["rip": 0x7ffa_4479_fa54, "rsp": 0x10_0000_2000]))
        other.teb = 0xc_909a_1000
        other.stackStart = 0x10_0000_2000
        other.stack = Array(repeating: 0xcc, count: 64)
        b.threads = [faulting, other]

        var exe = MinidumpBuilder.Module(
            name: #"C:\app\targetapp.exe"#, baseOfImage: 0x7ff6_6d9f_0000, sizeOfImage: 0x11000)
        exe.timeDateStamp = 1_574_857_680
        exe.codeView = .pdb70(signature: pdbGuid, age: 1, pdbFileName: #"E:\out\targetapp.pdb"#)
        exe.versionInfo.signature = VS_FIXEDFILEINFO.signatureValue
        exe.versionInfo.fileVersionMS = 0x0001_0002
        exe.versionInfo.fileVersionLS = 0x0003_0004
        var ntdll = MinidumpBuilder.Module(
            name: #"C:\Windows\System32\ntdll.dll"#, baseOfImage: 0x7ffa_4470_0000,
            sizeOfImage: 0x1f0000)
        ntdll.checkSum = 0x1e_d133
        ntdll.timeDateStamp = 2_580_153_638
        ntdll.codeView = .pdb70(
            signature: GUID(
                data1: 0x0c2e_19ea, data2: 0x1901, data3: 0xe9b8,
                data4: [0x2e, 0x45, 0x67, 0xd2, 0xd2, 0x1e, 0x56, 0xd2]),
            age: 1, pdbFileName: "ntdll.pdb")
        var old = MinidumpBuilder.Module(
            name: #"C:\old\legacy.dll"#, baseOfImage: 0x1000_0000, sizeOfImage: 0x8000)
        old.codeView = .pdb20(offset: 0, signature: 0x3a1b_2c3d, age: 2, pdbFileName: "legacy.pdb")
        b.modules = [exe, ntdll, old]

        var unloaded = MINIDUMP_UNLOADED_MODULE()
        unloaded.baseOfImage = 0x7ffa_3000_0000
        unloaded.sizeOfImage = 0x5000
        unloaded.timeDateStamp = 0x1234_5678
        b.unloadedModules = [MinidumpBuilder.UnloadedModule(name: "gone.dll", raw: unloaded)]

        var record = MINIDUMP_EXCEPTION()
        record.exceptionCode = 0xc000_0005
        record.exceptionAddress = 0x7ff6_6d9f_29e9
        record.numberParameters = 2
        record.exceptionInformation[0] = 1
        record.exceptionInformation[1] = 0x10
        b.exceptions = [
            MinidumpBuilder.Exception(
                threadId: 0x5768, record: record,
                context: CPUContext.encode(architecture: .amd64, registers: amd64Registers))
        ]

        b.memory = [
            (
                0x7ff6_6d9f_29e0,
                [0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x48, 0x8b, 0x00, 0xc3]
            )
        ]
        var info = MINIDUMP_MEMORY_INFO()
        info.baseAddress = 0x7ff6_6d9f_0000
        info.allocationBase = 0x7ff6_6d9f_0000
        info.allocationProtect = 0x80
        info.regionSize = 0x1000
        info.state = MINIDUMP_MEMORY_INFO.MEM_COMMIT
        info.protect = 0x2
        info.type = MINIDUMP_MEMORY_INFO.MEM_IMAGE
        var free = info
        free.baseAddress = 0x7ff6_6d9f_1000
        free.state = MINIDUMP_MEMORY_INFO.MEM_FREE
        free.protect = 1
        free.type = 0
        b.memoryInfo = [info, free]

        var handle = MINIDUMP_HANDLE_DESCRIPTOR()
        handle.handle = 0x4
        handle.grantedAccess = 0x1f0003
        handle.handleCount = 2
        handle.pointerCount = 65537
        var file = handle
        file.handle = 0x44
        b.handles = [
            MinidumpBuilder.Handle(raw: handle, typeName: "Event"),
            MinidumpBuilder.Handle(
                raw: file, typeName: "File", objectName: #"\Device\HarddiskVolume3\app"#),
        ]
        b.rawStreams = [(.commentA, Array("written by the test suite".utf8) + [0])]
        return b
    }

    /// A Windows x86 dump with one thread and a NULL read.
    static func x86() -> MinidumpBuilder {
        var b = MinidumpBuilder()
        b.timeDateStamp = 1_285_797_262
        var sys = MINIDUMP_SYSTEM_INFO()
        sys.processorArchitecture = .intel
        sys.numberOfProcessors = 16
        sys.productType = 1
        sys.majorVersion = 6
        sys.minorVersion = 1
        sys.buildNumber = 7600
        sys.platformId = .win32NT
        sys.cpu = Array("GenuineIntel".utf8) + Array(repeating: 0, count: 12)
        b.systemInfo = sys
        var misc = MINIDUMP_MISC_INFO()
        misc.flags1 = 1
        misc.rawProcessId = 4308
        b.miscInfo = misc
        let context = CPUContext.encode(architecture: .x86, registers: x86Registers)
        var thread = MinidumpBuilder.Thread(threadId: 0x4a8, context: context)
        thread.stackStart = 0x37f8cc
        thread.stack = Array(repeating: 0x41, count: 128)
        thread.teb = 0x7efd_d000
        b.threads = [thread]
        var exe = MinidumpBuilder.Module(
            name: #"D:\crashme\Debug\crashme.exe"#, baseOfImage: 0x90_0000, sizeOfImage: 0x1a000)
        exe.codeView = .pdb70(signature: pdbGuid, age: 0x15, pdbFileName: "crashme.pdb")
        exe.timeDateStamp = 1_285_797_258
        b.modules = [exe]
        var record = MINIDUMP_EXCEPTION()
        record.exceptionCode = 0xc000_0005
        record.exceptionAddress = 0x90a6cd
        record.numberParameters = 2
        b.exceptions = [
            MinidumpBuilder.Exception(threadId: 0x4a8, record: record, context: context)
        ]
        return b
    }
}
