// swift-tools-version: 6.2
// xcdb: a CDB/KD-compatible debugger for Linux. See ../shared/DESIGN.md for the layering:
// formats (DumpFormat, PEFormat, Symbols, Unwind, Disassembly) know nothing of commands;
// Engine holds the session, the command table and the commands; targets plug in from outside;
// the executables are thin wiring in Frontend.
import PackageDescription

let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "xcdb",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xcdb", targets: ["xcdb"]),
        .executable(name: "xkd", targets: ["xkd"]),
        .library(name: "DumpFormat", targets: ["DumpFormat"]),
        .library(name: "PEFormat", targets: ["PEFormat"]),
        .library(name: "Symbols", targets: ["Symbols"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "DumpTargets", targets: ["DumpTargets"]),
        .library(name: "Emulation", targets: ["Emulation"]),
        .library(name: "LiveTargets", targets: ["LiveTargets"]),
        .library(name: "Frontend", targets: ["Frontend"]),
        .library(name: "Remote", targets: ["Remote"]),
        .executable(name: "xremote", targets: ["xremote"]),
        .executable(name: "xcdb-example", targets: ["xcdb-example"]),
        .executable(name: "xcdb-triage", targets: ["xcdb-triage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2")
    ],
    targets: [
        // System libraries: a module map plus a shim header of static inline wrappers. Both
        // libraries are loaded with dlopen on first use (`LibEditLibrary`, `CapstoneLibrary`),
        // so only their headers are used here. No pkg-config: it would link them.
        .systemLibrary(
            name: "CLibEdit", providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
        .systemLibrary(
            name: "CCapstone", providers: [.apt(["libcapstone-dev"]), .brew(["capstone"])]),

        // Host services (files, path text, threads, C number formats) without the full Foundation
        // library, whose loading costs more start-up time than the rest of a dump session.
        .target(name: "HostSystem", swiftSettings: strict),
        // Format libraries: no command or terminal knowledge.
        .target(name: "DumpFormat", swiftSettings: strict),
        .target(name: "PEFormat", dependencies: ["HostSystem"], swiftSettings: strict),
        .target(name: "Symbols", dependencies: ["HostSystem", "PEFormat"], swiftSettings: strict),
        .target(name: "Unwind", dependencies: ["PEFormat"], swiftSettings: strict),
        .target(
            name: "Disassembly", dependencies: ["CCapstone", "HostSystem"], swiftSettings: strict),

        // The engine: targets as a protocol, the session, the command table, the commands.
        .target(
            name: "Engine",
            dependencies: ["HostSystem", "PEFormat", "Symbols", "Unwind", "Disassembly"],
            swiftSettings: strict),
        // Targets backed by dump files.
        .target(
            name: "DumpTargets", dependencies: ["Engine", "DumpFormat"], swiftSettings: strict),

        // Session sharing over the network: `.remote`, `.server`, `-remote` clients.
        .target(
            name: "Remote",
            dependencies: [
                "Engine", "HostSystem", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // Line editing for its client comes from Frontend.
        .executableTarget(
            name: "xremote", dependencies: ["Remote", "Frontend"], swiftSettings: strict),

        // The terminal.
        .target(
            name: "LineEditor", dependencies: ["CLibEdit", "HostSystem"], swiftSettings: strict),

        // Unicorn's variadic entry points and the per-block instruction clock, in C. Declares
        // what it uses itself: it neither includes Unicorn's headers nor links libunicorn.
        .target(name: "CUnicorn"),
        // The simulated machine: Unicorn 2 (loaded with dlopen when a machine is made), the
        // memory manager, the PE loader, the executive and run control. Knows nothing of the
        // engine; an adapter makes it a target.
        .target(
            name: "Emulation", dependencies: ["CUnicorn", "HostSystem", "PEFormat"],
            swiftSettings: strict),

        // Targets backed by the simulated machine: the adapter from `EmulatedProcess` to the
        // engine's protocols (as DumpTargets is for dumps). Emulation itself stays free of Engine.
        .target(
            name: "LiveTargets", dependencies: ["Engine", "Emulation", "PEFormat"],
            swiftSettings: strict),

        // The bundled example: runs Examples/bin/crashdemo.exe under Unicorn (loaded with dlopen
        // at run time, so building needs no libunicorn) and writes its crash as a minidump.
        .target(
            name: "ExampleDump", dependencies: ["DumpFormat", "PEFormat", "Emulation"],
            swiftSettings: strict),
        .executableTarget(
            name: "xcdb-example", dependencies: ["ExampleDump", "DumpFormat", "PEFormat"],
            swiftSettings: strict),

        // Executables share all their wiring through Frontend.
        .target(
            name: "Frontend",
            dependencies: ["Engine", "DumpTargets", "LiveTargets", "LineEditor", "Remote"],
            swiftSettings: strict),
        .executableTarget(name: "xcdb", dependencies: ["Frontend"], swiftSettings: strict),

        // Many dumps at once: a pool of `xcdb -z DUMP -json` workers under rlimits, JSON Lines
        // out, signatures counted. Reads the JSON back with the engine's parser only.
        .target(name: "Triage", dependencies: ["Engine"], swiftSettings: strict),
        .executableTarget(
            name: "xcdb-triage", dependencies: ["Triage"], swiftSettings: strict),
        .executableTarget(name: "xkd", dependencies: ["Frontend"], swiftSettings: strict),

        // Tests.
        .target(
            name: "TestSupport", dependencies: ["Engine", "DumpTargets"], path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(
            name: "DumpFormatTests", dependencies: ["DumpFormat", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "HostSystemTests", dependencies: ["HostSystem"], swiftSettings: strict),
        .testTarget(
            name: "PEFormatTests", dependencies: ["PEFormat", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SymbolsTests", dependencies: ["Symbols", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "UnwindTests", dependencies: ["Unwind", "Emulation", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "DisassemblyTests", dependencies: ["Disassembly", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EngineTests", dependencies: ["Engine", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DumpTargetsTests", dependencies: ["DumpTargets", "DumpFormat", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "LineEditorTests", dependencies: ["LineEditor", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "RemoteTests",
            dependencies: [
                "Remote", "Engine", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GuestTests", dependencies: ["Emulation", "PEFormat", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ExampleDumpTests",
            dependencies: [
                "ExampleDump", "DumpTargets", "Engine", "DumpFormat", "PEFormat", "TestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LiveTargetsTests",
            dependencies: ["LiveTargets", "Engine", "Emulation", "Remote", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EmulationTests",
            dependencies: ["Emulation", "PEFormat", "Disassembly", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "TriageTests", dependencies: ["Triage", "Engine", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "AnalysisJSONTests", dependencies: ["Engine", "TestSupport"],
            swiftSettings: strict),
    ]
)
