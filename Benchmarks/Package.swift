// swift-tools-version: 6.1
// Benchmarks for xcdb, kept in their own package so the main package does not depend on
// ordo-one/benchmark. Run with `swift package benchmark` from this directory.
//
// Each benchmark is an executable target under `Benchmarks/<Name>/` using the BenchmarkPlugin.
// To add one (for example `CommandDispatch` for the command table), copy the `Evaluator` target
// below, change its name and path, and depend on the xcdb products it needs.
import PackageDescription

let package = Package(
    name: "xcdb-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named explicitly: a path dependency's identity is otherwise its folder name, which
        // differs between checkouts (`main`, a worktree, CI's clone).
        .package(name: "xcdb", path: ".."),
        // The default RuntimeInterposer trait needs a package this workplace does not mirror;
        // the MallocInterposer trait alone gives the malloc metrics.
        .package(
            url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
            traits: ["MallocInterposer"]),
    ],
    targets: [
        // The loop program the Machine and LiveSession benchmarks run.
        .target(
            name: "SpinProgram", dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/SpinProgram"),
        .executableTarget(
            name: "Evaluator",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: "xcdb"),
            ],
            path: "Benchmarks/Evaluator",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CommandDispatch",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: "xcdb"),
                .product(name: "DumpTargets", package: "xcdb"),
            ],
            path: "Benchmarks/CommandDispatch",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Machine",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Emulation", package: "xcdb"),
                "SpinProgram",
            ],
            path: "Benchmarks/Machine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LiveSession",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: "xcdb"),
                .product(name: "Emulation", package: "xcdb"),
                .product(name: "LiveTargets", package: "xcdb"),
                "SpinProgram",
            ],
            path: "Benchmarks/LiveSession",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
