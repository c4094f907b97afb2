import Foundation
import TestSupport
import Testing

/// The debugger's programs load FoundationEssentials, never the full Foundation library: its
/// loading (with ICU) costs a dump session more start-up time than the rest of it. libedit
/// and Capstone are loaded only when a line is edited or something disassembled.
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

    @Test(arguments: ["xcdb", "xkd", "xremote"])
    func lineEditingAndDisassemblyAreNotLinked(program: String) throws {
        let result = try runProcess("/usr/bin/env", ["ldd", Products.path(program)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("libc.so"))
        #expect(!result.stdout.contains("libedit"), "\(result.stdout)")
        #expect(!result.stdout.contains("libcapstone"), "\(result.stdout)")
    }

    /// A dump session run by `-c` with its output piped: the dump's banner disassembles, so
    /// Capstone loads; no line is edited, so libedit does not (the loader's own trace says).
    @Test func aScriptedSessionLoadsNoLineEditor() throws {
        let dump = Corpus.dump("win-x64-win10-fastfail.dmp")
        let result = try runProcess(
            Products.path("xcdb"), ["-z", dump, "-c", "q"], environment: ["LD_DEBUG": "files"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("libcapstone"), "\(result.stderr.suffix(400))")
        #expect(!result.stderr.contains("libedit"))
    }
}
