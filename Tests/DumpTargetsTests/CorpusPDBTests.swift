import Foundation
import TestSupport
import Testing

/// The corpus dump made by an MSVC-built program, with its companion PDB in a symbol store:
/// names, source lines, locals and types come from the PDB and agree with llvm-pdbutil.
@Suite struct CorpusPDBTests {
    static let dumpName = "win-x64-win10-kdlib-allregs.dmp"
    static let pdb = Corpus.companions.appendingPathComponent(
        "win-x64-win10-kdlib-allregs.targetapp.pdb"
    ).path

    /// A symbol store holding the companion PDB as `targetapp.pdb/<GUID><age>/targetapp.pdb`,
    /// the identifier taken from llvm-pdbutil's reading of it.
    static func store() throws -> URL {
        let summary = try PDBPrograms.pdbutil(["dump", "-summary", pdb])
        var identifier = ""
        var age = ""
        for line in summary.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
        {
            if line.hasPrefix("GUID: ") { identifier = line.dropFirst(6).filter { $0.isHexDigit } }
            if line.hasPrefix("Age: "), let value = Int(line.dropFirst(5)) {
                age = String(value, radix: 16)
            }
        }
        let store = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-store-\(UUID().uuidString)")
        let folder = store.appendingPathComponent("targetapp.pdb/\(identifier)\(age.uppercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("targetapp.pdb").path, withDestinationPath: pdb)
        return store
    }

    /// llvm-pdbutil's records of one procedure (from its S_GPROC32 line to the next one).
    static func procedureListing(_ name: String) throws -> String {
        let text = try PDBPrograms.pdbutil(["dump", "-symbols", pdb])
        guard let start = text.range(of: "S_GPROC32 [size = 60] `\(name)`") else { return "" }
        let rest = text[start.upperBound...]
        let end = rest.range(of: "S_GPROC32")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// (name, offset) of the data members of the definition of `name`, from llvm-pdbutil.
    static func definitionMembers(_ name: String) throws -> [(String, Int)] {
        // One string per record: its `0xNNNN | KIND` line and the indented lines after it.
        var records: [String] = []
        for line in try PDBPrograms.pdbutil(["dump", "-types", pdb]).split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("0x"), trimmed.contains(" | ") {
                records.append(String(trimmed.dropFirst(2)))
            } else if !records.isEmpty {
                records[records.count - 1] += "\n" + line
            }
        }
        guard
            let definition = records.first(where: {
                $0.contains("LF_STRUCTURE") && $0.contains("`\(name)`")
                    && !$0.contains("forward ref")
            }),
            let listRange = definition.range(of: "field list: 0x")
        else { return [] }
        let list = String(definition[listRange.upperBound...].prefix(4))
        guard let fields = records.first(where: { $0.hasPrefix(list + " | LF_FIELDLIST") }) else {
            return []
        }
        return fields.split(separator: "\n").compactMap { line in
            guard line.contains("LF_MEMBER"), let open = line.firstIndex(of: "`"),
                let close = line[line.index(after: open)...].firstIndex(of: "`"),
                let offsetRange = line.range(of: "offset = ")
            else { return nil }
            let digits = line[offsetRange.upperBound...].prefix { $0.isNumber }
            return (String(line[line.index(after: open)..<close]), Int(digits) ?? -1)
        }
    }

    @Test func stackLinesLocalsAndTypesComeFromThePDB() throws {
        let store = try Self.store()
        defer { try? FileManager.default.removeItem(at: store) }
        let session = DumpSession(path: Corpus.dump(Self.dumpName), symbolPath: "srv*\(store.path)")
        #expect(session.isOpen)
        _ = session.run(".lines -e")
        let frame = try #require(session.run("k 1").last)
        #expect(
            frame.contains(
                "targetapp!test_cv_allreg_amd64+0x39 [e:\\projects\\kdlibcpp\\kdlib\\tests\\targetapp\\test_cv_allreg.cpp @ "
            ))
        // The line is the last line-table entry at or below the address in llvm-pdbutil's dump.
        let lines = try PDBPrograms.pdbutil(["dump", "-l", "-modi=6", Self.pdb])
        var best: (offset: UInt32, line: Int)?
        let pairs = lines.split(separator: "\n").flatMap { line -> [(UInt32, Int)] in
            let words = line.split(separator: " ").filter { $0 != "!" }
            guard words.count >= 2, words.count % 2 == 0,
                words.allSatisfy({ $0.allSatisfy(\.isHexDigit) })
            else { return [] }
            return stride(from: 0, to: words.count, by: 2).compactMap { index in
                guard let line = Int(words[index]), let offset = UInt32(words[index + 1], radix: 16)
                else { return nil }
                return (offset, line)
            }
        }
        // rip is targetapp+0x29e9: .text starts at RVA 0x1000, so the section offset is 0x19e9.
        for (offset, line) in pairs where offset <= 0x19e9 && offset > (best?.offset ?? 0) {
            best = (offset, line)
        }
        let expectedLine = try #require(best?.line)
        #expect(frame.hasSuffix("@ \(expectedLine)]"))

        // dv lists the procedure's S_LOCAL variables (parameters first).
        let listing = try Self.procedureListing("test_cv_allreg_amd64")
        var names: [String] = []
        for line in listing.split(separator: "\n") where line.contains("S_LOCAL [") {
            if let open = line.firstIndex(of: "`"), let close = line.lastIndex(of: "`"),
                open < close
            {
                names.append(String(line[line.index(after: open)..<close]))
            }
        }
        let locals = session.run("dv").map {
            $0.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) ?? ""
        }
        #expect(!names.isEmpty)
        #expect(locals == names)
        #expect(session.run("dv r") == ["             r = 0n116 't'"])

        // dt lists the members llvm-pdbutil lists in the definition's field list.
        let structure = session.run("dt targetapp!structTest")
        #expect(structure.first == "targetapp!structTest")
        let members = try Self.definitionMembers("structTest")
        #expect(members.count == 5)
        #expect(structure.count == members.count + 1)
        for (name, offset) in members {
            let prefix =
                "   +0x"
                + String(String(offset, radix: 16).reversed()).padding(
                    toLength: 3, withPad: "0", startingAt: 0
                ).reversed() + " " + name
            #expect(structure.contains { $0.hasPrefix(String(prefix)) }, "\(name) at \(offset)")
        }
    }
}
