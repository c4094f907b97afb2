import Foundation
import TestSupport
import Testing

/// The project's rule that every Swift source is `swift format` clean, checked where CI sees it
/// (the lint reads `.swift-format` at the top of the repository).
@Suite struct SourceFormatTests {
    /// Every Swift source the project writes: the package, the tests, the fuzzers, the benchmarks.
    static let paths = [
        "Package.swift", "Sources", "Tests", "Fuzz/Package.swift", "Fuzz/Sources",
        "Benchmarks/Package.swift", "Benchmarks/Benchmarks",
    ]

    @Test func everySwiftSourceIsFormatted() throws {
        let swift = try #require(ExternalTools.find("swift"), "the Swift toolchain's swift")
        let result = try runProcess(
            swift, ["format", "lint", "--strict", "--recursive"] + Self.paths,
            currentDirectory: Corpus.projectRoot.path, timeout: 300)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
