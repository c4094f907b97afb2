import Foundation
import PEFormat
import TestSupport
import Testing

/// `Examples/scripts/loaded-modules.txt` follows the loader's module list (a linked list in
/// the dump's memory) with `.for` (-for.md) and prints each entry with `.printf` (-printf.md).
/// The example dump's process loads one image; the script must find it at the base the PE
/// file asks for, under its file name (read from the image, not from xcdb's module list).
@Suite(.requires(Example.unicorn))
struct LoaderListScriptTests {
    @Test func walksTheLoaderListInMemory() throws {
        let image = try Example.image()
        let script = Corpus.projectRoot.appendingPathComponent(
            "Examples/scripts/loaded-modules.txt"
        ).path
        try Example.withDumpFile { path in
            let session = ExampleSession(dump: path)
            try #require(session.isOpen, "\(session.openLines)")
            let lines = session.run("$$><\(script)").filter { !$0.hasPrefix("0:0") }
            let name = URL(fileURLWithPath: Example.executable).lastPathComponent
            #expect(lines == ["\(Example.split64(image.imageBase)) \(name)"])
        }
    }
}
