import Disassembly
import TestSupport
import Testing

@Suite("Cross-check against llvm-objdump", .requires(Toolchain.peer))
struct CrossCheckTests {
    @Test("every instruction of the compiled samples decodes as objdump decodes it")
    func samplesAgreeWithObjdump() throws {
        let samples = try compiledSamples.get()
        for sample in samples {
            let disassembler = try Disassembler(architecture: sample.architecture)
            let ours = disassembler.disassemble(bytes: sample.text, address: sample.base)
            #expect(ours.count == sample.objdump.count, "\(sample.name): instruction count")
            var failures: [String] = []
            for (mine, theirs) in zip(ours, sample.objdump) {
                if let difference = CrossCheck.compare(mine, theirs, base: sample.base) {
                    failures.append(difference)
                }
            }
            #expect(
                failures.isEmpty,
                "\(sample.name):\n\(failures.prefix(40).joined(separator: "\n"))")
            #expect(ours.count > 40, "\(sample.name) is too small to prove anything")
        }
    }
}
