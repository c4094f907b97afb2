import Engine
import Foundation

/// A small in-memory target for command tests.
final class FakeTarget: Target {
    var machine: Machine
    var capabilities: TargetCapabilities = [.isDump]
    var displayName = "/dumps/fake.dmp"
    var memory: [(base: UInt64, bytes: [UInt8])] = []
    var threads: [TargetThread] = []
    var threadRegisters: [RegisterSet] = []
    var modules: [TargetModule] = []
    var unloadedModules: [UnloadedModule] = []
    var lastEvent: TargetEvent?
    var processID: UInt32? = 0x490
    var system: TargetSystem?

    init(machine: Machine) {
        self.machine = machine
    }

    func readMemory(at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var copied = 0
        while copied < buffer.count {
            let current = address &+ UInt64(copied)
            guard
                let region = memory.first(where: {
                    current >= $0.base && current - $0.base < UInt64($0.bytes.count)
                })
            else { break }
            let offset = Int(current - region.base)
            let count = min(buffer.count - copied, region.bytes.count - offset)
            for i in 0..<count { buffer[copied + i] = region.bytes[offset + i] }
            copied += count
        }
        return copied
    }

    func memoryRanges() -> [Range<UInt64>] {
        memory.map { $0.base..<($0.base + UInt64($0.bytes.count)) }.sorted {
            $0.lowerBound < $1.lowerBound
        }
    }

    func registers(ofThread index: Int) -> RegisterSet? {
        threadRegisters.indices.contains(index) ? threadRegisters[index] : nil
    }

    /// A 64-bit Windows process with two threads, two modules and an access violation on
    /// thread 1.
    static func windowsX64() -> FakeTarget {
        let target = FakeTarget(machine: .amd64)
        target.threads = [
            TargetThread(systemID: 0x530, teb: 0x0000_00c8_262c_4000, suspendCount: 1),
            TargetThread(
                systemID: 0x5d68, teb: 0x0000_00c8_262c_6000, suspendCount: 1, name: "worker"),
        ]
        target.threadRegisters = [
            x64Registers(rip: 0x7ffe_37b2_07a0, rsp: 0x32_e35f_efa0, efl: 0x246),
            x64Registers(rip: 0x7ff6_6e76_1000, rsp: 0x32_e36f_f000, efl: 0x10202),
        ]
        target.modules = [
            TargetModule(
                base: 0x7ff6_6e76_0000, size: 0x38000, path: "C:\\Windows\\notepad.exe",
                timestamp: 0x559D_A7A0, checksum: 0xAA7491,
                version: ModuleVersion(
                    fileVersion: (10, 0, 17134, 1), productVersion: (10, 0, 17134, 1),
                    fileFlagsMask: 0x3f, fileOS: 0x40004, fileType: 1),
                debugRecord: .pdb70(pdbName: "notepad.pdb", guid: Array(0..<16), age: 1)),
            TargetModule(
                base: 0x7ff8_08db_0000, size: 0x1f5000, path: "C:\\Windows\\System32\\ntdll.dll"),
        ]
        target.unloadedModules = [
            UnloadedModule(base: 0x7ff8_1c82_0000, size: 0x27000, name: "fwpuclnt.dll")
        ]
        var exceptionContext = x64Registers(
            rip: 0x7ff6_6e76_1234, rsp: 0x32_e36f_e000, efl: 0x10246)
        _ = exceptionContext.set("rax", to: 0)
        target.lastEvent = TargetEvent(
            processID: 0x490, threadID: 0x5d68, threadIndex: 1,
            exception: ExceptionRecord(
                code: 0xC000_0005, address: 0x7ff6_6e76_1234, parameters: [1, 0x10]),
            context: exceptionContext)
        target.system = TargetSystem(
            platform: .windows(productType: 1, suiteMask: 0x110), majorVersion: 10, minorVersion: 0,
            buildNumber: 16299, processorCount: 4, machine: .amd64,
            buildLab: "16299.15.amd64fre.rs3_release.170928-1534",
            dumpTime: Date(timeIntervalSince1970: 1_540_353_088), timeZoneOffsetMinutes: 120,
            processCreateTime: Date(timeIntervalSince1970: 1_540_353_088 - 1576),
            processUserTime: 0.015, processKernelTime: 1.5)
        return target
    }

    static func x64Registers(rip: UInt64, rsp: UInt64, efl: UInt64) -> RegisterSet {
        var registers: [Register] = []
        for (i, name) in ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"].enumerated() {
            registers.append(Register(name, name == "rsp" ? rsp : UInt64(i) * 0x1111, bits: 64))
        }
        for n in 8...15 { registers.append(Register("r\(n)", UInt64(n), bits: 64)) }
        registers.append(Register("rip", rip, bits: 64))
        registers.append(Register("efl", efl, bits: 32))
        for (name, value) in [
            ("cs", 0x33), ("ss", 0x2b), ("ds", 0x2b), ("es", 0x2b), ("fs", 0x53), ("gs", 0x2b),
        ] {
            registers.append(Register(name, UInt64(value), bits: 16))
        }
        return RegisterSet(machine: .amd64, registers: registers)
    }
}

/// Opens every file as a given target (for `.opendump` tests).
struct FakeOpener: TargetOpener {
    let make: @Sendable () -> FakeTarget
    var formatName: String { "fake dump" }
    func recognizes(prefix: [UInt8]) -> Bool { prefix.starts(with: Array("FAKE".utf8)) }
    func open(path: String) throws -> OpenedTarget { OpenedTarget(target: make()) }
}

extension SessionHarness {
    /// A session whose target is `target`.
    static func with(_ target: sending FakeTarget) -> SessionHarness {
        let harness = SessionHarness()
        harness.session.withState { state in
            state.target = target
            state.currentThread = target.lastEvent?.threadIndex ?? 0
        }
        return harness
    }
}
