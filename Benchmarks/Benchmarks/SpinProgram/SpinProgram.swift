// The loop program the `Machine` and `LiveSession` benchmarks run, built at start-up with the
// toolchain's clang-cl and lld-link (XCDB_LLVM_BIN, default /opt/swift/usr/bin).

import Benchmark
import Foundation

/// `spin.exe`: `rcx` = spin_count; loop { add rax, rcx; xor rdx, rax; dec rcx; jnz }; exit.
/// Exports `spin_loop`, `elsewhere` (256 `nop`s for breakpoints that are never hit) and
/// `spin_count`.
public enum SpinProgram {
    public static let source = """
        __asm__(".globl start\\nstart:\\n"
                "  mov rcx, qword ptr [rip + spin_count]\\n"
                ".globl spin_loop\\nspin_loop:\\n"
                "  add rax, rcx\\n  xor rdx, rax\\n  dec rcx\\n  jnz spin_loop\\n"
                "  mov r10, -1\\n  xor edx, edx\\n  mov eax, 1\\n  syscall\\n  int3\\n"
                ".globl elsewhere\\nelsewhere:\\n"
                ".rept 256\\n  nop\\n.endr\\n  ret\\n");
        unsigned long long spin_count = 1;
        """

    /// Instructions in one turn of the loop.
    public static let loopInstructions: UInt64 = 4

    /// Turns of the loop the throughput benchmarks run, and the instructions that makes.
    public static let iterations: UInt64 = 50_000_000
    public static let instructions = iterations * loopInstructions

    /// The throughput metric and the configuration of the loop benchmarks.
    public static let rate = BenchmarkMetric.custom(
        "M instructions/s", polarity: .prefersLarger, useScalingFactor: false)
    public static var loopConfiguration: Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: [.wallClock, rate], timeUnits: .milliseconds, warmupIterations: 1,
            maxDuration: .seconds(10), maxIterations: 8)
    }

    /// `build(for:)`, stopping the benchmark run with the reason when the toolchain cannot.
    public static func built(for benchmark: String) -> String {
        do {
            return try build(for: benchmark)
        } catch {
            fatalError("cannot build the loop program with clang-cl/lld-link: \(error)")
        }
    }

    /// Builds the program in a folder named after `benchmark` and the process; returns its path.
    public static func build(for benchmark: String) throws -> String {
        let tools = ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] ?? "/opt/swift/usr/bin"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-\(benchmark)-benchmark-\(ProcessInfo.processInfo.processIdentifier)"
        ).path
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
        try run(
            "clang-cl",
            ["--target=x86_64-pc-windows-msvc", "/c", "/O1", "/Fospin.obj", "--", "spin.c"])
        try run(
            "lld-link",
            [
                "/nodefaultlib", "/subsystem:console", "/entry:start", "/export:spin_loop",
                "/export:elsewhere", "/export:spin_count,DATA", "/out:spin.exe", "spin.obj",
            ])
        return folder + "/spin.exe"
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
