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

/// `spin.exe`: `rcx` = spin_count; loop { add rax, rcx; xor rdx, rax; dec rcx; jnz }; exit.
enum Spin {
    static let source = """
        __asm__(".globl start\\nstart:\\n"
                "  mov rcx, qword ptr [rip + spin_count]\\n"
                ".globl spin_loop\\nspin_loop:\\n"
                "  add rax, rcx\\n  xor rdx, rax\\n  dec rcx\\n  jnz spin_loop\\n"
                "  mov r10, -1\\n  xor edx, edx\\n  mov eax, 1\\n  syscall\\n  int3\\n"
                ".globl elsewhere\\nelsewhere:\\n"
                ".rept 256\\n  nop\\n.endr\\n  ret\\n");
        unsigned long long spin_count = 1;
        """

    static let loopInstructions: UInt64 = 4

    /// The project's system DLLs, found from this file's place in the repository.
    static let systemFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Guest/bin").path

    static func build() throws -> String {
        let tools = ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] ?? "/opt/swift/usr/bin"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-session-benchmark-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try source.write(toFile: folder + "/spin.c", atomically: true, encoding: .utf8)
        func run(_ tool: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tools + "/" + tool)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw NSError(domain: "spin", code: Int(process.terminationStatus))
            }
        }
        try run("clang-cl", ["--target=x86_64-pc-windows-msvc", "/c", "/O1", "/Fospin.obj", "--", "spin.c"])
        try run(
            "lld-link",
            [
                "/nodefaultlib", "/subsystem:console", "/entry:start", "/export:spin_loop",
                "/export:elsewhere", "/export:spin_count,DATA", "/out:spin.exe", "spin.obj",
            ])
        return folder + "/spin.exe"
    }

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
    let spin: String
    do {
        spin = try Spin.build()
    } catch {
        fatalError("cannot build the loop program with clang-cl/lld-link: \(error)")
    }
    let iterations: UInt64 = 50_000_000
    let instructions = iterations * Spin.loopInstructions
    let rate = BenchmarkMetric.custom("M instructions/s", polarity: .prefersLarger, useScalingFactor: false)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, rate], timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(10), maxIterations: 8)

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

    Benchmark("Session: tight loop under g, 100 breakpoints elsewhere", configuration: configuration) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let session = try Spin.session(spin, iterations: iterations)
            for index in 0..<100 { session.execute("bp spin!elsewhere+0x\(String(index, radix: 16))", from: .console) }
            let listed = session.withState { state in state.live.breakpoints.count }
            precondition(listed == 100, "\(listed) breakpoints set")
            go(session, benchmark)
        }
    }

    let steps = BenchmarkMetric.custom("steps/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark(
        "Session: t (register block and instruction printed)",
        configuration: .init(metrics: [.wallClock, steps], timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 5)
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

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
