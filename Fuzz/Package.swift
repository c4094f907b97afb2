// swift-tools-version: 6.2
// libFuzzer harnesses for what xcdb reads from outside (minidumps, PE images, Breakpad symbol
// files) and for the command line itself (a session driven with random and grammar-generated
// lines), plus a timing harness for the minidump reader. A separate package so that normal
// builds of xcdb are unaffected; it depends on the main package by path. Build and run with
// ./run.sh.
import PackageDescription

/// libFuzzer provides main(); a harness only exports LLVMFuzzerTestOneInput.
let harness: [SwiftSetting] = [
    .unsafeFlags(["-parse-as-library"]),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "xcdb-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "xcdb", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzMinidump",
            dependencies: [.product(name: "DumpFormat", package: "xcdb")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzPEImage",
            dependencies: [.product(name: "PEFormat", package: "xcdb")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzBreakpadSymbols",
            dependencies: [.product(name: "Symbols", package: "xcdb")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzCommandLine",
            dependencies: [
                .product(name: "Engine", package: "xcdb"),
                .product(name: "DumpTargets", package: "xcdb"),
                .product(name: "DumpFormat", package: "xcdb"),
            ],
            swiftSettings: harness),
        // The PDB reader (MSF, DBI, publics/globals, module symbols, lines, TPI/IPI).
        .executableTarget(
            name: "FuzzPDB",
            dependencies: [.product(name: "Symbols", package: "xcdb")],
            swiftSettings: harness),
        // The simulated machine's PE loader.
        .executableTarget(
            name: "FuzzPELoader",
            dependencies: [.product(name: "Emulation", package: "xcdb")],
            swiftSettings: harness),
        // A small timing harness (not a benchmark suite): generates a large sparse dump with
        // MinidumpBuilder and times open + list modules + read memory. See run.sh's neighbour
        // README lines in the DumpFormat report for how to use it with hyperfine.
        .executableTarget(
            name: "MinidumpTiming",
            dependencies: [.product(name: "DumpFormat", package: "xcdb")],
            swiftSettings: [.treatAllWarnings(as: .error)]),
    ]
)
