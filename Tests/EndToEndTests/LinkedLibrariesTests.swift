import Foundation
import TestSupport
import Testing

/// The debugger's programs load FoundationEssentials, never the full Foundation library: its
/// loading (with ICU) costs a dump session more start-up time than the rest of it.
@Suite struct LinkedLibrariesTests {
    @Test(arguments: ["xcdb", "xkd", "xremote"])
    func programsDoNotLoadTheFullFoundationLibrary(program: String) throws {
        let result = try runProcess("/usr/bin/env", ["ldd", Products.path(program)])
        #expect(result.status == 0, "\(result.stderr)")
        let libraries = result.lines.compactMap {
            $0.split(separator: " ").first.map { String($0.trimmingCharacters(in: .whitespaces)) }
        }
        // The check must see the program's libraries at all.
        #expect(libraries.contains { $0.hasPrefix("libc.so") })
        #expect(!libraries.contains { $0.hasPrefix("libFoundation.so") }, "\(libraries)")
        #expect(!libraries.contains { $0.hasPrefix("libFoundationInternationalization") })
        #expect(!libraries.contains { $0.contains("FoundationICU") })
    }
}
