import DumpFormat
import Foundation
import Testing

/// What `MinidumpBuilder` writes, `Minidump` reads back identically.
@Suite("Builder round trip")
struct RoundTripTests {
    @Test func headerAndSystemInfo() throws {
        let builder = Fixtures.amd64()
        let dump = try Minidump(bytes: builder.build())
        #expect(dump.warnings.isEmpty)
        #expect(dump.header.timeDateStamp == builder.timeDateStamp)
        #expect(dump.header.flags == builder.flags)
        #expect(dump.header.version >> 16 == UInt32(builder.implementationVersion))
        let info = try dump.systemInfo()
        var expectedSystem = try #require(builder.systemInfo)
        expectedSystem.csdVersionRva = info.raw.csdVersionRva
        #expect(info.raw == expectedSystem)
        #expect(info.csdVersion == builder.csdVersion)
        #expect(try dump.miscInfo() == builder.miscInfo)
        #expect(try dump.commentA() == "written by the test suite")
    }

    @Test func threadsAndContexts() throws {
        let builder = Fixtures.amd64()
        let dump = try Minidump(bytes: builder.build())
        let threads = try dump.threads()
        #expect(threads.map(\.threadId) == builder.threads.map(\.threadId))
        for (thread, spec) in zip(threads, builder.threads) {
            #expect(thread.teb == spec.teb)
            #expect(thread.stack.startOfMemoryRange == spec.stackStart)
            let context = try dump.context(of: thread)
            #expect(context.rawBytes == spec.context)
            #expect(dump.memory().read(at: spec.stackStart, count: spec.stack.count) == spec.stack)
        }
        let context = try dump.context(of: threads[0])
        #expect(context.architecture == .amd64)
        for (name, value) in Fixtures.amd64Registers {
            #expect(context.register(named: name)?.value == value, "\(name)")
        }
        #expect(context.instructionPointer == 0x7ff6_6d9f_29e9)
        #expect(context.stackPointer == 0x10_0000_0f00)
        #expect(context.framePointer == 0xc9_078f_8e0)
        #expect(context.flags == 0x10246)
        #expect(context.register(named: "eax")?.value64 == 0x3333_4444)
        #expect(context.register(named: "ax")?.value64 == 0x4444)
        #expect(context.register(named: "ah")?.value64 == 0x44)
        #expect(context.register(named: "r8d")?.value64 == 0xc395_07b0)
        #expect(context.register(named: "RFLAGS")?.value64 == 0x10246)
        #expect(context.isValid(.integer) && context.isValid(.debug))
    }

    @Test func modules() throws {
        let builder = Fixtures.amd64()
        let dump = try Minidump(bytes: builder.build())
        let modules = try dump.modules()
        #expect(modules.count == builder.modules.count)
        for (module, spec) in zip(modules, builder.modules) {
            #expect(module.name == spec.name)
            #expect(module.baseAddress == spec.baseOfImage)
            #expect(module.size == UInt64(spec.sizeOfImage))
            #expect(module.raw.checkSum == spec.checkSum)
            #expect(module.raw.timeDateStamp == spec.timeDateStamp)
            #expect(module.raw.versionInfo == spec.versionInfo)
            #expect(module.codeView == spec.codeView)
        }
        #expect(modules[0].fileName == "targetapp.exe")
        #expect(
            modules[0].raw.versionInfo.fileVersion.map { [$0.0, $0.1, $0.2, $0.3] } == [1, 2, 3, 4])
        #expect(modules[0].codeView?.debugIdentifier == "B3715C7EDE8E48A98BE5204FF5C9E3AA1")
        #expect(modules[2].codeView?.debugIdentifier == "3A1B2C3D2")
        #expect(dump.module(containing: 0x7ffa_4470_1234)?.fileName == "ntdll.dll")
        #expect(dump.module(containing: 0x1) == nil)
        let unloaded = try dump.unloadedModules()
        #expect(unloaded.map(\.name) == ["gone.dll"])
        #expect(unloaded.first?.raw.baseOfImage == builder.unloadedModules[0].raw.baseOfImage)
    }

    @Test func exceptionMemoryInfoAndHandles() throws {
        let builder = Fixtures.amd64()
        let dump = try Minidump(bytes: builder.build())
        let exception = try dump.exception()
        #expect(exception.threadId == builder.exceptions[0].threadId)
        #expect(exception.exceptionRecord == builder.exceptions[0].record)
        #expect(exception.exceptionRecord.parameters == [1, 0x10])
        #expect(try dump.context(of: exception).rawBytes == builder.exceptions[0].context)
        #expect(dump.exceptions().count == 1)
        #expect(try dump.memoryInfoList() == builder.memoryInfo)
        #expect(
            dump.memoryInfo(containing: 0x7ff6_6d9f_1800)?.state == MINIDUMP_MEMORY_INFO.MEM_FREE)
        let handles = try dump.handleData()
        #expect(handles.map(\.typeName) == ["Event", "File"])
        #expect(handles.map(\.objectName) == [nil, #"\Device\HarddiskVolume3\app"#])
        #expect(handles.map(\.raw.handle) == [4, 0x44])
        #expect(handles[0].raw.grantedAccess == 0x1f0003)
        #expect(dump.memory().read(at: 0x7ff6_6d9f_29e8, count: 4) == [0x48, 0x8b, 0x00, 0xc3])
    }

    @Test func x86Context() throws {
        let dump = try Minidump(bytes: Fixtures.x86().build())
        let context = try dump.context(of: try dump.exception())
        #expect(context.architecture == .x86)
        #expect(context.pointerSize == 4)
        for (name, value) in Fixtures.x86Registers {
            #expect(context.register(named: name)?.value == value, "\(name)")
        }
        #expect(context.register(named: "ax")?.value64 == 0)
        #expect(context.register(named: "bh")?.value64 == 0xe0)
        #expect(try dump.systemInfo().raw.x86VendorId == "GenuineIntel")
        #expect(
            try dump.modules().first?.codeView?.debugIdentifier
                == "B3715C7EDE8E48A98BE5204FF5C9E3AA15")
    }

    @Test func arm64AndArmContexts() throws {
        let arm64 = CPUContext.encode(
            architecture: .arm64,
            registers: [
                "x0": 1, "fp": 0x7000, "lr": 0x4000, "sp": 0x6ff0, "pc": 0x4242,
                "cpsr": 0x6000_0000, "v1": 5,
            ])
        let decoded = try CPUContext(decoding: arm64, architecture: .arm64)
        #expect(decoded.architecture == .arm64)
        #expect(decoded.instructionPointer == 0x4242)
        #expect(decoded.stackPointer == 0x6ff0)
        #expect(decoded.framePointer == 0x7000)
        #expect(decoded.register(named: "x29")?.value64 == 0x7000)
        #expect(decoded.register(named: "w0")?.value64 == 1)
        #expect(decoded.register(named: "d1")?.value64 == 5)
        #expect(decoded.flags == 0x6000_0000)
        let arm = CPUContext.encode(
            architecture: .arm,
            registers: ["r0": 7, "r11": 0x100, "sp": 0x200, "lr": 0x300, "pc": 0x400])
        let armDecoded = try CPUContext(decoding: arm, architecture: .arm)
        #expect(armDecoded.instructionPointer == 0x400)
        #expect(armDecoded.register(named: "r15")?.value64 == 0x400)
        #expect(armDecoded.framePointer == 0x100)
        #expect(armDecoded.register(named: "fp")?.value64 == 0x100)
    }

    /// Breakpad's old ARM64 layout (arch 0x8003, flags 0x80000000 in a 64-bit word) with the
    /// registers at their packed offsets.
    @Test func breakpadOldArm64Context() throws {
        var w = ByteWriter()
        w.u64(0x8000_0006)
        for n in 0..<31 { w.u64(UInt64(0x100 + n)) }
        w.u64(0x7fff_0000)  // sp
        w.u64(0x1234_5678)  // pc
        w.u32(0x2000_0000)  // cpsr
        w.u32(0)
        w.u32(0)
        for n in 0..<32 { w.u128(UInt128(n)) }
        let context = try CPUContext(decoding: w.bytes, architecture: .arm64Old)
        #expect(context.isBreakpadOldLayout)
        #expect(context.instructionPointer == 0x1234_5678)
        #expect(context.stackPointer == 0x7fff_0000)
        #expect(context.register(named: "x28")?.value64 == 0x100 + 28)
        #expect(context.register(named: "lr")?.value64 == 0x100 + 30)
        #expect(context.flags == 0x2000_0000)
        #expect(context.register(named: "v31")?.value == 31)
    }

    @Test func writtenFileEqualsBuiltBytes() throws {
        let builder = Fixtures.amd64()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "roundtrip-\(UUID()).dmp"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try builder.write(to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(builder.build()))
    }
}
