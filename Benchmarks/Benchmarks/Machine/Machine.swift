// The simulated machine's speed: a tight loop under `run` beside bare Unicorn running the same
// instructions in the same process, the same loop with 100 breakpoints set elsewhere, single
// steps, and the time from loading a program to its first stop.
//
// The loop program is built at start-up with the toolchain's clang-cl and lld-link
// (XCDB_LLVM_BIN, default /opt/swift/usr/bin). With XCDB_GUEST_BIN pointing at the system
// DLLs, load-to-first-stop also runs a mingw-w64 program to ntdll's initial breakpoint.

import Benchmark
import Emulation
import Foundation
import SpinProgram

/// The loop program (`SpinProgram`) on the machine.
enum Spin {
    /// Addresses of the exported symbols (the image loads at its preferred base).
    static func exports(_ process: EmulatedProcess) -> [String: UInt64] {
        guard let main = process.modules.first else { return [:] }
        let image = main.base
        func u32(_ at: UInt64) -> UInt64 {
            UInt64(
                process.readMemory(at: at, count: 4).withUnsafeBytes {
                    $0.loadUnaligned(as: UInt32.self)
                })
        }
        let header = image + u32(image + 0x3C)
        let directory = image + u32(header + 0x18 + 0x70)
        let count = u32(directory + 0x18)
        let functions = image + u32(directory + 0x1C)
        let names = image + u32(directory + 0x20)
        let ordinals = image + u32(directory + 0x24)
        var result: [String: UInt64] = [:]
        for index in 0..<count {
            let nameAddress = image + u32(names + 4 * index)
            let name = String(
                decoding: process.readMemory(at: nameAddress, count: 64).prefix { $0 != 0 },
                as: UTF8.self)
            let ordinal = UInt64(
                process.readMemory(at: ordinals + 2 * index, count: 2).withUnsafeBytes {
                    $0.loadUnaligned(as: UInt16.self)
                })
            result[name] = image + u32(functions + 4 * ordinal)
        }
        return result
    }

    /// A machine with the loop loaded, `iterations` long, past its start-up events.
    static func machine(_ path: String, iterations: UInt64, quantum: UInt64 = 100_000) throws -> (
        EmulatedProcess, [String: UInt64]
    ) {
        var options = ProcessOptions()
        options.quantum = quantum
        let process = try EmulatedProcess(program: path, options: options)
        while true {
            if case .moduleLoaded = process.run().kind { continue }
            break
        }
        let symbols = exports(process)
        if let count = symbols["spin_count"] {
            process.writeMemory(
                at: count, bytes: withUnsafeBytes(of: iterations.littleEndian) { Array($0) })
        }
        return (process, symbols)
    }
}

let benchmarks: @Sendable () -> Void = {
    let spin = SpinProgram.built(for: "machine")
    let iterations = SpinProgram.iterations
    let instructions = SpinProgram.instructions
    let rate = SpinProgram.rate
    let configuration = SpinProgram.loopConfiguration

    Benchmark("Machine: tight loop under run", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let (process, _) = try Spin.machine(spin, iterations: iterations)
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            let event = process.run()
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            precondition(event.kind == .processExited(exitCode: 0), "\(event)")
            benchmark.measurement(rate, Int(Double(instructions) / elapsed.seconds / 1e6))
        }
    }

    Benchmark("Machine: tight loop under run, quantum 10M", configuration: configuration) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let (process, _) = try Spin.machine(spin, iterations: iterations, quantum: 10_000_000)
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            let event = process.run()
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            precondition(event.kind == .processExited(exitCode: 0), "\(event)")
            benchmark.measurement(rate, Int(Double(instructions) / elapsed.seconds / 1e6))
        }
    }

    Benchmark("Bare Unicorn: the same loop", configuration: configuration) { benchmark in
        let (process, symbols) = try Spin.machine(spin, iterations: 1)
        guard let loop = symbols["spin_loop"] else { fatalError("no spin_loop export") }
        // The very bytes the machine runs.
        let baseline = try UnicornBaseline(code: process.readMemory(at: loop, count: 11))
        for _ in benchmark.scaledIterations {
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            blackHole(try baseline.run(rcx: iterations))
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            benchmark.measurement(rate, Int(Double(instructions) / elapsed.seconds / 1e6))
        }
    }

    Benchmark("Machine: tight loop, 100 breakpoints elsewhere", configuration: configuration) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let (process, symbols) = try Spin.machine(spin, iterations: iterations)
            guard let elsewhere = symbols["elsewhere"] else { fatalError("no elsewhere export") }
            for index in 0..<100 {
                try process.setBreakpoint(id: index, at: elsewhere + UInt64(index))
            }
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            let event = process.run()
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            precondition(event.kind == .processExited(exitCode: 0), "\(event)")
            benchmark.measurement(rate, Int(Double(instructions) / elapsed.seconds / 1e6))
        }
    }

    let steps = BenchmarkMetric.custom("steps/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark(
        "Machine: single steps",
        configuration: .init(
            metrics: [.wallClock, steps], timeUnits: .milliseconds, maxDuration: .seconds(5),
            maxIterations: 5)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let (process, _) = try Spin.machine(spin, iterations: 1_000_000)
            guard let thread = process.threads.first?.id else { fatalError("no thread") }
            let count = 20_000
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            for _ in 0..<count { blackHole(process.step(thread: thread)) }
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            benchmark.measurement(steps, Int(Double(count) / elapsed.seconds))
        }
    }

    Benchmark(
        "Machine: load to first stop (bare program)",
        configuration: .init(
            metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(5),
            maxIterations: 20)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let process = try EmulatedProcess(program: spin)
            blackHole(process.run())
        }
    }

    if let dlls = ProcessInfo.processInfo.environment["XCDB_GUEST_BIN"],
        let program = ProcessInfo.processInfo.environment["XCDB_BENCHMARK_PROGRAM"]
    {
        Benchmark(
            "Machine: load to the initial breakpoint (system DLLs)",
            configuration: .init(
                metrics: [.wallClock], timeUnits: .milliseconds, maxDuration: .seconds(5),
                maxIterations: 20)
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                var options = ProcessOptions()
                options.systemFolder = dlls
                let process = try EmulatedProcess(program: program, options: options)
                while true {
                    let event = process.run()
                    if case .exception = event.kind { break }
                    if case .processExited = event.kind { break }
                }
            }
        }
    }
}
