// The live target as a person drives it: `g`, `g` with 100 breakpoints set, and `t`, each typed
// into a `Session` (command parsing, the run loop, the event text, the register block and the
// instruction printed at the stop), beside the machine's own `run` measured in `Machine`.
//
// The loop program is built at start-up with the toolchain's clang-cl and lld-link
// (XCDB_LLVM_BIN, default /opt/swift/usr/bin) and runs with the project's system DLLs
// (`Guest/bin`), so it starts at ntdll's initial breakpoint as every live session does.

import Benchmark
import Emulation
import Engine
import Foundation
import LiveTargets
import SpinProgram

/// The loop program (`SpinProgram`) in a session.
enum Spin {
    /// The project's system DLLs, found from this file's place in the repository.
    static let systemFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Guest/bin").path

    /// A session stopped at the initial breakpoint of the loop program, `iterations` long.
    static func session(_ path: String, iterations: UInt64) throws -> Session {
        var options = ProcessOptions()
        options.systemFolder = systemFolder
        let target = try LiveProcessTarget(program: path, arguments: [], options: options)
        let session = Session(mode: .user, programName: "xcdb", table: Builtins.table)
        session.withState { $0.symbolPath = "srv*" + systemFolder + "/symbols" }
        guard session.startLive(target) else { fatalError("the loop program did not start") }
        session.execute("eq spin!spin_count 0n\(iterations)", from: .console)
        return session
    }

    /// The session's output lines since `sequence`.
    static func lines(of session: Session, after sequence: UInt64) -> [String] {
        session.hub.scrollback(last: 1000).filter { $0.sequence > sequence }.map(\.text)
    }
}

let benchmarks: @Sendable () -> Void = {
    let spin = SpinProgram.built(for: "session")
    let iterations = SpinProgram.iterations
    let instructions = SpinProgram.instructions
    let rate = SpinProgram.rate
    let configuration = SpinProgram.loopConfiguration

    /// Types `g` and checks that it ran the loop to the program's end.
    func go(_ session: Session, _ benchmark: Benchmark) {
        let before = session.hub.scrollback(last: 1).first?.sequence ?? 0
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        session.execute("g", from: .console)
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - start
        session.execute(".lastevent", from: .console)
        let output = Spin.lines(of: session, after: before)
        precondition(
            output.contains { $0.contains("Exit process") }
                && !output.contains { $0.contains("Breakpoint") },
            "g did not run the loop to the end: \(output)")
        benchmark.measurement(rate, Int(Double(instructions) / elapsed.seconds / 1e6))
    }

    Benchmark("Session: tight loop under g", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            go(try Spin.session(spin, iterations: iterations), benchmark)
        }
    }

    Benchmark(
        "Session: tight loop under g, 100 breakpoints elsewhere", configuration: configuration
    ) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let session = try Spin.session(spin, iterations: iterations)
            for index in 0..<100 {
                session.execute("bp spin!elsewhere+0x\(String(index, radix: 16))", from: .console)
            }
            let listed = session.withState { state in state.live.breakpoints.count }
            precondition(listed == 100, "\(listed) breakpoints set")
            go(session, benchmark)
        }
    }

    let steps = BenchmarkMetric.custom("steps/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark(
        "Session: t (register block and instruction printed)",
        configuration: .init(
            metrics: [.wallClock, steps], timeUnits: .milliseconds, maxDuration: .seconds(5),
            maxIterations: 5)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let session = try Spin.session(spin, iterations: 1_000_000)
            session.execute("bp spin!spin_loop; g; bc *", from: .console)
            let count = 2_000
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            for _ in 0..<count { session.execute("t", from: .console) }
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            benchmark.measurement(steps, Int(Double(count) / elapsed.seconds))
        }
    }
}
