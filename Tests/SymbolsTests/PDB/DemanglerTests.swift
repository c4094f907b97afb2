import Foundation
import TestSupport
import Testing

@testable import Symbols

/// The name-only undecorator against llvm-undname, on every decorated public of the MSVC
/// companion PDB and the test program.
@Suite struct DemanglerTests {
    @Test func agreesWithLLVMUndname() throws {
        var names: [String] = []
        for fixture in [PDBFixture.msvcCompanion, .clangX64] {
            let file = try fixture.open().file
            for record in try file.records(of: file.publics.index) {
                if case .publicSymbol(let symbol) = record, symbol.name.hasPrefix("?") {
                    names.append(symbol.name)
                }
            }
        }
        #expect(names.count > 100)
        let output = try #require(
            ExternalTools.run(
                PDBPrograms.llvmUndname,
                [
                    "--no-calling-convention", "--no-return-type", "--no-access-specifier",
                    "--no-member-type", "--no-variable-type",
                ] + names), "\(PDBPrograms.llvmUndname) is missing (apt-get install llvm-19)")
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        var expected: [String: String] = [:]
        for (index, line) in lines.enumerated() where line.hasPrefix("?") && index + 1 < lines.count
        {
            expected[line] = lines[index + 1]
        }
        var decoded = 0
        var compared = 0
        for name in names {
            let ours = MicrosoftDemangler.undecoratedName(name)
            guard ours != name else { continue }
            decoded += 1
            guard let theirs = expected[name], !theirs.contains("`"), !ours.contains("`") else {
                continue
            }
            #expect(Self.normalized(ours) == Self.normalized(theirs), "\(name)")
            compared += 1
        }
        #expect(compared > 50)
        // Most names are read; the rest fall back to the decorated form, never to a wrong name.
        #expect(Double(decoded) >= 0.9 * Double(names.count), "\(decoded) of \(names.count)")
    }

    @Test func leavesPlainAndHostileNamesAlone() {
        #expect(MicrosoftDemangler.undecoratedName("RtlUserThreadStart") == "RtlUserThreadStart")
        #expect(MicrosoftDemangler.undecoratedName("?") == "?")
        #expect(MicrosoftDemangler.undecoratedName("??$") == "??$")
        let deep = "?" + String(repeating: "?$a@", count: 2000) + "@@"
        _ = MicrosoftDemangler.undecoratedName(deep)
        #expect(MicrosoftDemangler.undecoratedName("?f@@YAXXZ") == "f")
        #expect(MicrosoftDemangler.undecoratedName("??1Shape@@UEAA@XZ") == "Shape::~Shape")
    }

    /// The qualified name without the parameter list, keywords and spaces.
    static func normalized(_ text: String) -> String {
        var name = text
        if name.hasSuffix("const") {
            name = String(name.dropLast(5)).trimmingCharacters(in: .whitespaces)
        }
        if name.hasSuffix(")"), let open = matchingOpen(name) { name = String(name[..<open]) }
        if let brace = name.range(of: "{for ") { name = String(name[..<brace.lowerBound]) }
        for word in ["const ", "class ", "struct ", "union ", "enum ", "static ", "virtual "] {
            name = name.replacingOccurrences(of: word, with: "")
        }
        return name.filter { $0 != " " }
    }

    static func matchingOpen(_ text: String) -> String.Index? {
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index] == ")" { depth += 1 }
            if text[index] == "(" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}
