import Disassembly
import TestSupport
import Testing

/// ARM64 and Thumb-2 code built by clang: instruction boundaries, mnemonics and branch
/// targets agree with llvm-objdump; `ub` finds the preceding instructions.
@Suite(.requires(Toolchain.peer))
struct ARMCrossCheckTests {
    /// Capstone 4 and LLVM 21 spell a few aliases differently.
    static let aliases: [String: Set<String>] = [
        "movn": ["mov"], "movz": ["mov"], "orr": ["mov"], "mvn": ["mov"],
    ]

    static func normalized(_ mnemonic: String) -> String {
        mnemonic.hasSuffix(".w") || mnemonic.hasSuffix(".n")
            ? String(mnemonic.dropLast(2)) : mnemonic
    }

    /// Runs of consecutive instructions, split where objdump shows data (`.word` literal pools).
    static func runs(_ sample: CompiledCode) -> [[ObjdumpInstruction]] {
        var runs: [[ObjdumpInstruction]] = [[]]
        for instruction in sample.objdump {
            if instruction.mnemonic.hasPrefix(".") {
                runs.append([])
            } else if let last = runs[runs.count - 1].last,
                last.address + UInt64(last.bytes.count) != instruction.address
            {
                runs.append([instruction])
            } else {
                runs[runs.count - 1].append(instruction)
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    @Test func samplesAgreeWithObjdump() throws {
        for sample in try compiledARMSamples.get() {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let memory = FakeMemory([(sample.base, sample.text)])
            var compared = 0
            var mnemonicDifferences: [String] = []
            for run in Self.runs(sample) {
                guard let first = run.first else { continue }
                let ours = disassembler.unassemble(
                    at: first.address, count: run.count, read: memory.read
                )
                .instructions
                #expect(ours.map(\.address) == run.map(\.address), "\(sample.name) boundaries")
                for (mine, theirs) in zip(ours, run) {
                    compared += 1
                    #expect(
                        mine.bytes == theirs.bytes,
                        "\(sample.name) \(String(mine.address, radix: 16))")
                    #expect(mine.isValid)
                    let a = Self.normalized(mine.mnemonic)
                    let b = Self.normalized(theirs.mnemonic)
                    if a != b, !(Self.aliases[a]?.contains(b) ?? false) {
                        mnemonicDifferences.append("\(mine.mnemonic)/\(theirs.mnemonic)")
                    }
                    // objdump prints a direct target as a hex number among the operands.
                    if let target = mine.branchTarget {
                        let hexWords = theirs.operands.split(whereSeparator: { " ,".contains($0) })
                            .filter { $0.hasPrefix("0x") }
                        #expect(
                            hexWords.last.flatMap { UInt64($0.dropFirst(2), radix: 16) } == target,
                            "\(sample.name) \(mine.cdbLine) vs \(theirs.operands)")
                    }
                }
            }
            #expect(compared > 100)
            #expect(mnemonicDifferences.isEmpty, "\(sample.name): \(mnemonicDifferences)")
        }
    }

    @Test func backwardOnARM() throws {
        for sample in try compiledARMSamples.get() {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let memory = FakeMemory([(sample.base, sample.text)])
            var checked = 0
            var exact = 0
            for run in Self.runs(sample) where run.count > 8 {
                for index in 8..<run.count {
                    let expected = run[(index - 8)..<index].map(\.address)
                    let got = disassembler.instructions(
                        before: run[index].address, count: 8, read: memory.read
                    ).map(\.address)
                    checked += 1
                    if got == expected { exact += 1 }
                }
            }
            #expect(checked > 50)
            if sample.architecture == .arm64 {
                #expect(exact == checked, "\(sample.name)")
            } else {
                #expect(
                    Double(exact) >= Double(checked) * 0.95, "\(sample.name): \(exact)/\(checked)")
            }
        }
    }
}
