import Foundation
import TestSupport
import Testing

/// Issue 11: `|` and `!analyze -v`'s `PROCESS_NAME` named the lowest-addressed module; the
/// process is its executable. The `minidump` package's reading is the oracle: dbghelp writes
/// the executable as the module list's first entry (and the oracle's `peb` names its base).
@Suite(.requires(.corpus)) struct MainModuleTests {
    static let dumps = Oracle.dumpNames.filter { name in
        guard let oracle = Oracle(dumpName: name), oracle.magic.hasPrefix("MDMP"),
            let modules = oracle.pythonList("modules"), !modules.isEmpty
        else { return false }
        return name.hasPrefix("win-")
    }

    @Test(arguments: dumps)
    func processIsTheExecutable(dumpName: String) throws {
        let oracle = try #require(Oracle(dumpName: dumpName))
        let first = try #require(oracle.pythonList("modules")?.first?["name"] as? String)
        let session = DumpSession(dumpName, symbols: false)
        try #require(session.isOpen)
        let line = try #require(session.run("|").first)
        #expect(line.hasSuffix("name: \(first)"), "\(dumpName): \(line)")
        let imageName = String(first.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? "")
        let analysis = session.run("!analyze -v")
        if let field = analysis.first(where: { $0.hasPrefix("PROCESS_NAME:") }) {
            #expect(field.hasSuffix(" \(imageName)"), "\(dumpName): \(field)")
        }
    }

    @Test func theCorpusHasADumpWhoseExecutableIsNotLowest() throws {
        // calc.exe at fffe0000 sits above ntdll and kernel32: the case the old choice got wrong.
        let oracle = try #require(Oracle(dumpName: "win-x64-win7sp1-calc-token.dmp"))
        let modules = try #require(oracle.pythonList("modules"))
        let bases = modules.compactMap { oracleNumber($0["base"]) }
        #expect(bases.first != bases.min())
        #expect(Self.dumps.contains("win-x64-win7sp1-calc-token.dmp"))
    }
}
