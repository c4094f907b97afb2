import Engine
import Testing

@Suite struct StackTraceTests {
    /// An x86 thread three frames deep through an EBP chain, in a module without symbols.
    func x86Harness() -> SessionHarness {
        let target = FakeTarget(machine: .x86)
        target.modules = [TargetModule(base: 0x0040_0000, size: 0x10000, path: "C:\\app\\app.exe")]
        // Stack at 0x1000: frame 0 ebp=0x1010 -> [0x1030, ret 0x401234]; 0x1030 -> [0, ret 0x405678].
        var stack = [UInt8](repeating: 0, count: 0x60)
        func put(_ offset: Int, _ value: UInt32) {
            for i in 0..<4 {
                stack[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))
            }
        }
        put(0x10, 0x1030)
        put(0x14, 0x0040_1234)
        put(0x18, 0xaaaa)
        put(0x1c, 0xbbbb)
        put(0x20, 0xcccc)
        put(0x30, 0)
        put(0x34, 0x0040_5678)
        target.memory = [(0x1000, stack)]
        var registers: [Register] = []
        for (name, value) in [
            ("eax", 0), ("ebx", 0), ("ecx", 0), ("edx", 0), ("esi", 0), ("edi", 0),
            ("ebp", 0x1010), ("esp", 0x1000), ("eip", 0x0040_1000), ("efl", 0x246),
        ] {
            registers.append(Register(name, UInt64(value), bits: 32))
        }
        target.threads = [TargetThread(systemID: 0x10)]
        target.threadRegisters = [RegisterSet(machine: .x86, registers: registers)]
        return SessionHarness.with(target)
    }

    @Test func walksTheFramePointerChain() {
        let lines = x86Harness().run("k")
        #expect(lines.first == " # ChildEBP RetAddr  Call Site")
        #expect(lines.count >= 3)
        #expect(lines[1] == "00 00001010 00401234 app+0x1000")
        #expect(lines[2].hasPrefix("01 00001030 00405678 app+0x1234"))
    }

    @Test func argumentsAndCounts() {
        let harness = x86Harness()
        let lines = harness.run("kb 1")
        #expect(lines.count == 2)
        #expect(lines[1] == "00 00001010 00401234 0000aaaa 0000bbbb 0000cccc app+0x1000")
        #expect(harness.run("kc 2") == [" # Call Site", "00 app+0x1000", "01 app+0x1234"])
    }
}
