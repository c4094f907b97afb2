import Foundation
import Glibc
import TestSupport
import Testing

@testable import Remote

/// Sharing reads its settings from a fixed list of environment variables (looked up one by one,
/// not by copying the whole environment), so every variable the sharing code reads must be on it.
@Suite struct SharingEnvironmentTests {
    @Test func everyVariableTheSharingCodeReadsIsLookedUp() throws {
        let directory = Corpus.projectRoot.appendingPathComponent("Sources/Remote")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".swift") }
        var read: Set<String> = []
        for file in files {
            let text = try String(
                contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /environment\["([A-Z0-9_]+)"\]/) {
                read.insert(String(match.1))
            }
        }
        #expect(read.count >= 9, "the pattern no longer finds the reads: \(read)")
        #expect(read.subtracting(SharingEnvironment.names).isEmpty)
    }

    /// What is set is found, under its name, and nothing else (read only: setting variables
    /// would race the tests running beside this one).
    @Test func currentHoldsExactlyTheSetVariables() {
        let values = SharingEnvironment.current()
        for name in SharingEnvironment.names {
            #expect(values[name] == getenv(name).map { String(cString: $0) }, "\(name)")
        }
        #expect(values.keys.allSatisfy { SharingEnvironment.names.contains($0) })
    }
}
