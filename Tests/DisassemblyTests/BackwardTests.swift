import Disassembly
import TestSupport
import Testing

/// `ub` on real compiled code: the instructions before an address must be exactly the ones
/// llvm-objdump decodes there.
@Suite(.requires(Toolchain.peer))
struct BackwardTests {
    /// For every instruction of every sample, `ub` with 8 instructions, checked against objdump.
    /// Returns (checked, exact) counts.
    static func accuracy(_ sample: CompiledCode, count: Int, useFunctionStart: Bool) throws -> (
        Int, Int, [String]
    ) {
        let disassembler = try Disassembler(architecture: sample.architecture)
        let memory = FakeMemory([(sample.base, sample.text)])
        let starts = sample.functions.map { sample.base + UInt64($0.offset) }.sorted()
        var checked = 0
        var exact = 0
        var misses: [String] = []
        for index in count..<sample.objdump.count {
            let address = sample.objdump[index].address
            let functionStart = starts.last { $0 <= address }
            if useFunctionStart {
                // Only where the function itself holds `count` instructions before the address.
                guard let functionStart,
                    let first = sample.objdump.firstIndex(where: { $0.address == functionStart }),
                    index - first >= count
                else { continue }
            }
            let expected = sample.objdump[(index - count)..<index].map(\.address)
            let got = disassembler.instructions(
                before: address, count: count, read: memory.read,
                functionStart: useFunctionStart ? functionStart : nil
            ).map(\.address)
            checked += 1
            if got == expected {
                exact += 1
            } else if misses.count < 10 {
                misses.append("\(sample.name) @\(String(address, radix: 16))")
            }
        }
        return (checked, exact, misses)
    }

    @Test("with the function start, ub is exact")
    func exactWithFunctionStart() throws {
        for sample in try compiledSamples.get() {
            let (checked, exact, misses) = try Self.accuracy(
                sample, count: 8, useFunctionStart: true)
            #expect(checked > 0)
            #expect(exact == checked, "\(sample.name): \(misses)")
        }
    }

    @Test("without symbols, the heuristic finds the preceding instructions")
    func heuristic() throws {
        var totalChecked = 0
        var totalExact = 0
        for sample in try compiledSamples.get() {
            let (checked, exact, misses) = try Self.accuracy(
                sample, count: 8, useFunctionStart: false)
            totalChecked += checked
            totalExact += exact
            if exact != checked {
                print("ub heuristic \(sample.name): \(exact)/\(checked) exact; misses \(misses)")
            }
        }
        #expect(totalChecked > 1000)
        #expect(Double(totalExact) / Double(totalChecked) >= 0.95)
    }
}
