import Engine
import Foundation
import TestSupport
import Testing

/// `s -v` on a class with two vtables (the PDB test program's `Label`: Shape's and Named's),
/// in a live process where memory can be written: a place holding only the first vtable
/// pointer is not an object of the class; once the second sits at its offset it is. The s
/// page: "If multiple Vtables exist in this class, the search algorithm looks for all of these
/// pointer values, separated by the proper number of bytes."
@Suite struct LiveObjectSearchTests {
    @Test func everyVtableMustBeInPlace() throws {
        let build = try PDBPrograms.require()
        let live = try LiveSession(build.executable(.x64))
        live.session.withState { $0.symbolPath = build.directory.path }
        live.run("g")
        live.run(".frame 2")
        let label = try #require(live.run("?? &label").first?.split(separator: " ").last)
        // `dq` shows two quadwords a line after the address.
        let tables = live.run("dq \(label) L4").flatMap {
            $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst()
        }
        try #require(tables.count == 4)
        let (shapeTable, namedTable) = (tables[0], tables[2])
        let range = "@rsp-200 L?0x10000"
        func hits() -> [String] {
            live.run("s -[1]v \(range) \(label)")
        }
        let labelText = label.dropFirst(2)
        #expect(hits() == [String(labelText)])
        // Only Shape's vtable below the stack pointer: not a Label.
        live.run("eq @rsp-100 \(shapeTable)")
        live.run("eq @rsp-f0 0")
        #expect(hits() == [String(labelText)])
        // Named's vtable 0x10 after it: now one.
        live.run("eq @rsp-f0 \(namedTable)")
        let fake = try #require(live.run("? @rsp-100").first?.split(separator: " ").last)
        #expect(Set(hits()) == [String(labelText), String(fake)])
    }
}
