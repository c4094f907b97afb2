import DumpFormat
import ExampleDump
import Foundation
import PEFormat
import Testing

/// Running the example program: it crashes where its source says, the emulator's own call
/// trace is the expected chain, and the dump it makes is the same every time.
@Suite(.requires(Example.unicorn))
struct ExampleRunTests {
    @Test func crashesWritingThroughTheNullItem() throws {
        let crash = try Example.crash()
        let symbols = try ExampleSymbols()
        #expect(crash.fault.access == .write)
        // `item->reserved` with item == NULL: offsetof(struct item, reserved) is 0xc.
        #expect(crash.fault.address == 0xC)
        #expect(crash.fault.instructionAddress == UInt64(crash.registers["rip"] ?? 0))
        let function = try #require(
            symbols.function(at: crash.fault.instructionAddress, base: crash.module.base))
        #expect(function.name == "reserve_stock")
        // The faulting instruction stores through rax, the NULL that find_item returned.
        #expect(crash.registers["rax"] == 0)
        #expect(crash.instructionCount > 100 && crash.instructionCount < 100_000)
    }

    @Test func traceIsTheSourceCallChain() throws {
        let crash = try Example.crash()
        let symbols = try ExampleSymbols()
        let image = try Example.image()
        // Outermost first in the trace; innermost first in `k`.
        let callers = crash.calls.reversed().map {
            symbols.function(at: $0.returnAddress - 1, base: crash.module.base)?.name
        }
        #expect(callers == Array(Example.expectedChain.dropFirst()))
        for call in crash.calls {
            // Each return address follows a call instruction in the image.
            let bytes = try #require(
                image.read(rva: UInt32(call.callSite - crash.module.base), count: 5))
            #expect(bytes[0] == 0xE8)
            #expect(call.returnAddress == call.callSite + 5)
            // ...and is on the stack where the call put it.
            let slot = call.callerStackPointer - 8
            let offset = Int(slot - crash.stack.address)
            let stored = crash.stack.bytes[offset..<offset + 8].reversed().reduce(UInt64(0)) {
                $0 << 8 | UInt64($1)
            }
            #expect(stored == call.returnAddress)
        }
        // Below the outermost call, the entry point's return address: 0, the end of the chain.
        let entryFrame = try #require(crash.calls.first).callerStackPointer
        #expect(crash.stack.address + UInt64(crash.stack.bytes.count) > entryFrame)
    }

    @Test func dumpIsDeterministic() throws {
        let first = try Example.crash().minidump().build()
        let second = try ExampleCrash.record(executable: Example.executable).minidump().build()
        #expect(first == second)
    }

    @Test func dumpHoldsWhatTheRunSaw() throws {
        let crash = try Example.crash()
        let dump = try Minidump(bytes: crash.minidump().build())
        #expect(dump.warnings.isEmpty, "\(dump.warnings)")
        let system = try dump.systemInfo()
        #expect(system.architecture == .amd64)
        #expect(system.raw.majorVersion == 10 && system.raw.buildNumber == 19045)
        #expect(try dump.miscInfo().processId == crash.process.processId)

        let threads = try dump.threads()
        #expect(threads.map(\.threadId) == [crash.process.threadId])
        #expect(threads.first?.teb == crash.process.tebAddress)
        let context = try dump.context(of: try #require(threads.first))
        #expect(context.instructionPointer == crash.fault.instructionAddress)
        #expect(context.stackPointer == crash.stack.address)

        let image = try Example.image()
        let module = try #require(try dump.modules().first)
        #expect(module.baseAddress == image.imageBase)
        #expect(module.size == UInt64(image.sizeOfImage))
        #expect(module.raw.timeDateStamp == image.timeDateStamp)
        #expect(module.raw.checkSum == image.checkSum)
        let codeView = try #require(try image.codeView())
        #expect(module.codeView?.debugIdentifier == codeView.symbolServerIdentifier)
        #expect(module.codeView?.pdbFileName == codeView.pdbPath)
        let version = try #require(try image.versionInfo()?.fixed)
        #expect(
            module.raw.versionInfo.fileVersion.map { [$0.0, $0.1, $0.2, $0.3] }
                == version.fileVersion)

        let exception = try #require(dump.exceptions().first)
        #expect(exception.threadId == crash.process.threadId)
        #expect(exception.exceptionRecord.exceptionCode == 0xC000_0005)
        #expect(exception.exceptionRecord.exceptionAddress == crash.fault.instructionAddress)
        #expect(exception.exceptionRecord.parameters == [1, crash.fault.address])

        // The whole image is in memory, byte for byte as the loader lays out the file.
        let memory = dump.memory()
        let mapped = try #require(image.read(rva: 0, count: Int(image.sizeOfImage)))
        let inDump = try #require(memory.read(at: image.imageBase, count: mapped.count))
        // .data differs: the program filled its inventory before it crashed.
        let data = try #require(image.sections.first { $0.name == ".data" })
        let dataStart = Int(data.virtualAddress)
        let dataEnd = dataStart + Int(data.virtualExtent)
        #expect(inDump[..<dataStart] == mapped[..<dataStart], "image before .data")
        #expect(inDump[dataEnd...] == mapped[dataEnd...], "image after .data")
        #expect(inDump[dataStart..<dataEnd] != mapped[dataStart..<dataEnd], ".data was written")

        // The memory-info list covers user space without gaps or overlaps.
        let regions = try dump.memoryInfoList()
        #expect(regions.first?.baseAddress == 0)
        for (a, b) in zip(regions, regions.dropFirst()) {
            #expect(a.baseAddress + a.regionSize == b.baseAddress)
        }
        #expect(regions.last.map { $0.baseAddress + $0.regionSize } == 0x7FFF_FFFF_0000)
        let code = try #require(
            regions.first {
                $0.baseAddress <= crash.fault.instructionAddress
                    && crash.fault.instructionAddress < $0.baseAddress + $0.regionSize
            })
        #expect(code.protect == 0x20)  // PAGE_EXECUTE_READ
        #expect(code.type == 0x100_0000)  // MEM_IMAGE
    }

    @Test func refusesProgramsThatDoNotCrash() throws {
        // A DLL has no entry point to run; an x86 image is not x64.
        let bin = Example.executable.replacingOccurrences(of: "crashdemo.exe", with: "")
        for name in ["x64unwind.dll", "exports-x86.dll", "missing.exe"] {
            #expect(throws: ExampleError.self) {
                try ExampleCrash.record(executable: bin + name)
            }
        }
    }
}
