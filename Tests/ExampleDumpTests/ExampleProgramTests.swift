import ExampleDump
import Foundation
import TestSupport
import Testing

/// The `xcdb-example` executable as `scripts/run` uses it: it writes the dump, and xcdb opens
/// that dump with the example's symbols.
@Suite(.requires(Example.unicorn))
struct ExampleProgramTests {
    let generator = Products.path("xcdb-example")

    @Test func writesTheDumpXcdbOpens() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = directory.appendingPathComponent("crashdemo.dmp").path

        let made = try runProcess(generator, ["dump", Example.executable, dump])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.isEmpty && made.stderr.isEmpty)
        // The same bytes as the library makes.
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dump)))
        #expect(written == (try Example.crash().minidump().build()))

        let session = try runProcess(
            Products.path("xcdb"), ["-z", dump, "-y", Example.symbolStore, "-c", "kc;q"])
        #expect(session.status == 0, "\(session.stderr)")
        let stack = session.lines.drop { $0 != " # Call Site" }.dropFirst().prefix(5)
        #expect(
            stack.map { String($0.dropFirst(3).prefix { $0 != "+" }) }
                == Example.expectedChain.map { "crashdemo!\($0)" }, "\(session.lines)")
    }

    @Test func reportsBadArgumentsAndImages() throws {
        let usage = try runProcess(generator, ["dump"])
        #expect(usage.status == 1)
        #expect(usage.stderr.hasPrefix("xcdb-example: usage: xcdb-example dump EXE OUT.dmp"))

        let dll = Example.executable.replacingOccurrences(
            of: "crashdemo.exe", with: "x64unwind.dll")
        let refused = try runProcess(generator, ["dump", dll, "/nonexistent/out.dmp"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("has no entry point"), "\(refused.stderr)")

        let unwritable = try runProcess(
            generator, ["dump", Example.executable, "/nonexistent/dir/out.dmp"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.hasPrefix("xcdb-example: cannot write /nonexistent/dir/out.dmp"))
    }
}
