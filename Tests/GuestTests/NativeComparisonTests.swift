import Foundation
import TestSupport
import Testing

/// The pure-C parts of the DLLs compiled natively with clang (address and undefined-behaviour
/// sanitizers on) and checked: the printf engine and strtod against glibc over many formats
/// and values, every math function within one ulp of glibc's long double results, the heap
/// over a fake NtAllocateVirtualMemory, and RtlVirtualUnwind over hand-made functions. A
/// harness exits 1 on any mismatch.
@Suite struct NativeComparisonTests {
    /// Builds tests/native/TEST.c with the given sources (relative to Guest/) and runs it.
    static func compileAndRun(
        _ test: String, sources: [String], flags: [String] = [], environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let out = Guest.temporaryFolder("native").appendingPathComponent(test).path
        let native = Guest.folder.appendingPathComponent("tests/native")
        try Guest.build(
            "\(Guest.toolchain)/clang",
            [
                "-std=c11", "-O1", "-g", "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all", "-fuse-ld=lld",
                "-Wall", "-Wextra", "-o", out, native.appendingPathComponent("\(test).c").path,
            ]
                + flags + sources.map { Guest.folder.appendingPathComponent($0).path } + ["-lm"])
        return try runProcess(out, environment: environment, timeout: 600)
    }

    /// What the NT parts need to compile natively: Windows' widths and the guest headers
    /// after the system's.
    static let ntFlags = [
        "-DXCDB_NATIVE_TEST", "-DXCDB_BUILDING_NTDLL", "-fdeclspec", "-fms-extensions",
        "-Wno-microsoft",
        "-fshort-wchar", "-idirafter", Guest.folder.appendingPathComponent("include").path,
    ]

    @Test func printfEngineMatchesGlibc() throws {
        let result = try Self.compileAndRun(
            "format_test", sources: ["common/format.c", "common/fltconv.c", "common/bigint.c"],
            environment: ["XC_COUNT": "4000"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 mismatches"))
    }

    @Test func strtodRoundsLikeGlibc() throws {
        let result = try Self.compileAndRun(
            "strtod_test", sources: ["common/fltconv.c", "common/bigint.c"],
            environment: ["XC_COUNT": "15000"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 mismatches"))
    }

    @Test func mathWithinOneUlp() throws {
        let result = try Self.compileAndRun(
            "math_test", sources: ["common/xmath.c"], environment: ["XM_COUNT": "15000"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 more than 1 ulp away"))
    }

    @Test func heapKeepsBlocksApartAndValid() throws {
        let result = try Self.compileAndRun(
            "heap_test", sources: ["ntdll/heap.c"], flags: ["-std=gnu11"] + Self.ntFlags)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("; 0 failures"))
    }

    @Test func virtualUnwindRestoresTheCaller() throws {
        let result = try Self.compileAndRun(
            "unwind_test", sources: ["ntdll/virtualunwind.c"], flags: Self.ntFlags)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 failures"))
    }
}
