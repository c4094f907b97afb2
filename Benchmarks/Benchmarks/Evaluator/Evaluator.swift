// Parse-and-evaluate cost of typical MASM expressions, and the cost of formatting `?` and
// `.formats` output.

import Benchmark
import Engine
import Foundation

/// A small fixed environment: a few x64 registers, pseudo-registers, symbols and memory.
struct BenchmarkEnvironment: ExpressionEnvironment {
    var radix: Radix = .hexadecimal
    var pointerSize = 8
    var signExtendsConstants = false
    let registers: [String: RegisterValue] = [
        "rax": RegisterValue(value: 0x1122_3344_5566_7788, bitWidth: 64),
        "rsp": RegisterValue(value: 0x0000_00C8_2F5F_F000, bitWidth: 64),
        "rip": RegisterValue(value: 0x0000_7FF6_1A2B_1000, bitWidth: 64),
        "eax": RegisterValue(value: 0x5566_7788, bitWidth: 32),
    ]
    let pseudoRegisters: [String: UInt64] = [
        "$ip": 0x0000_7FF6_1A2B_1000, "$teb": 0x0000_00C8_2F3C_0000,
    ]
    let symbols: [String: UInt64] = [
        "ntdll!NtCreateFile": 0x0000_7FFE_37B2_0000, "app!main": 0x0000_7FF6_1A2B_1000,
    ]

    func register(named name: String) throws(LookupFailure) -> RegisterValue? { registers[name] }
    func pseudoRegister(named name: String) throws(LookupFailure) -> UInt64? {
        pseudoRegisters[name]
    }
    func userPseudoRegister(_ index: Int) -> UInt64 { 0 }
    func readMemory(at address: UInt64, size: Int, physical: Bool) throws(LookupFailure)
        -> UInt64
    {
        address & 0xFFF == 0xFFF ? 0 : 0x0000_00C8_2F3C_0000
    }
    func symbol(_ reference: SymbolReference) throws(LookupFailure) -> UInt64? {
        symbols[(reference.module.map { $0 + "!" } ?? "") + reference.name]
    }
}

let typicalExpressions = [
    "@rsp+8",
    "poi(@$teb+30)",
    "ntdll!NtCreateFile+0x10",
    "(rax + 0n100) * 2 >> 1",
    "00007ff6`1a2b0000 + eax and 0`ffffffff",
    "poi(poi(@rsp)+8) == app!main",
]

let benchmarks: @Sendable () -> Void = {
    let environment = BenchmarkEnvironment()
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(3))

    Benchmark("Evaluator: six typical expressions", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            for text in typicalExpressions {
                blackHole(try? MASMEvaluator.evaluate(text, in: environment))
            }
        }
    }

    Benchmark("Evaluator: @rsp+8", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? MASMEvaluator.evaluate("@rsp+8", in: environment))
        }
    }

    Benchmark("Evaluator: argument prefix 'poi(rsp) L3'", configuration: configuration) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? MASMEvaluator.evaluatePrefix("poi(rsp) L3", in: environment))
        }
    }

    Benchmark("Format: ? line", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(EvaluateExpressionFormat.line(for: 0x0000_7FF9_6BB4_0778, pointerSize: 8))
        }
    }

    Benchmark(
        "Format: .formats lines",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one,
            maxDuration: .seconds(3))
    ) { benchmark in
        let zone = TimeZone(secondsFromGMT: 0) ?? .current
        for _ in benchmark.scaledIterations {
            blackHole(
                NumberFormats.lines(for: 0x08D5_C29B_9FD4_4000, pointerSize: 8, timeZone: zone))
        }
    }
}
