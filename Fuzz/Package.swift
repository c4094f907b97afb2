// swift-tools-version: 6.2
// libFuzzer harness for the DumpFormat minidump reader. A separate package so that normal builds
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
            ])
    ]
)
