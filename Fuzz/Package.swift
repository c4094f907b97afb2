// swift-tools-version: 6.2
// libFuzzer harness and a timing harness for the DumpFormat minidump reader. A separate package so that normal builds
// of xcdb are unaffected; it depends on the main package by path. Build and run with ./run.sh.
import PackageDescription

let package = Package(
    name: "xcdb-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "xcdb", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzMinidump",
            dependencies: [.product(name: "DumpFormat", package: "xcdb")],
            swiftSettings: [
                // libFuzzer provides main(); the harness only exports LLVMFuzzerTestOneInput.
                .unsafeFlags(["-parse-as-library"]),
                .treatAllWarnings(as: .error),
            ]),
        // The simulated machine's PE loader (Fuzz/run.sh pe-loader).
        .executableTarget(
            name: "FuzzPELoader",
            dependencies: [.product(name: "Emulation", package: "xcdb")],
            swiftSettings: [
                .unsafeFlags(["-parse-as-library"]),
                .treatAllWarnings(as: .error),
            ]),
        // A small timing harness (not a benchmark suite): generates a large sparse dump with
        // MinidumpBuilder and times open + list modules + read memory. See run.sh's neighbour
        // README lines in the DumpFormat report for how to use it with hyperfine.
        .executableTarget(
            name: "MinidumpTiming",
            dependencies: [.product(name: "DumpFormat", package: "xcdb")],
            swiftSettings: [.treatAllWarnings(as: .error)]),
    ]
)
