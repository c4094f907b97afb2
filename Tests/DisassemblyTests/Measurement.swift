import Disassembly
import Foundation
import TestSupport
import Testing

/// Instructions per second for `u` formatting: decode, symbolize, label and render lines.
/// A measurement, not a timed test: it runs only when `XCDB_MEASURE=1` is set, and is meant
/// for a release build:
///
///     XCDB_MEASURE=1 swift test -c release --filter DisassemblyMeasurement
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["XCDB_MEASURE"] == "1"),
    .requires(Toolchain.peer))
struct DisassemblyMeasurement {
    @Test func unassembleThroughput() throws {
        let sample = try #require(try compiledSamples.get().first { $0.name == "C x64 -O2" })
        // Repeat the compiled code to get a long run of real instructions.
        var code: [UInt8] = []
        while code.count < 1 << 20 { code += sample.text }
        let base = sample.base
        let memory = FakeMemory([(base, code)])
        let end = base + UInt64(code.count)
        // A symbolizer of realistic cost: one binary search over 4096 "functions".
        let starts = (0..<4096).map { base + UInt64($0) * UInt64(code.count / 4096) }
        let symbolizer: Symbolizer = { address in
            guard address >= base, address < end else { return nil }
            var low = 0
            var high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= address { low = middle } else { high = middle - 1 }
            }
            let offset = address - starts[low]
            return offset == 0 ? "app!f\(low)" : "app!f\(low)+0x" + String(offset, radix: 16)
        }
        let disassembler = try Disassembler(architecture: .x64)
        for withSymbols in [false, true] {
            var instructions = 0
            var characters = 0
            // CPU time of this thread: the machine is shared, so wall time says little.
            let cpuStart = Self.threadCPUSeconds()
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                var address = base
                while address < end - 4096 {
                    let listing = disassembler.unassemble(
                        at: address, count: 1000, read: memory.read,
                        symbolizer: withSymbols ? symbolizer : nil)
                    for line in listing.lines { characters += line.text.utf8.count }
                    instructions += listing.instructions.count
                    address = listing.nextAddress
                }
            }
            let cpu = Self.threadCPUSeconds() - cpuStart
            let wall =
                Double(elapsed.components.seconds)
                + Double(elapsed.components.attoseconds) / 1e18
            print(
                "u formatting \(withSymbols ? "with" : "without") symbols: \(instructions) instructions,"
                    + " \(String(format: "%.3f", cpu)) s CPU (\(String(format: "%.3f", wall)) s wall)"
                    + " = \(Int(Double(instructions) / cpu)) instructions per CPU second"
                    + " (\(characters) characters)")
            #expect(instructions > 100_000)
        }
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
