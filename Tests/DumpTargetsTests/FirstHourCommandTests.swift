import Foundation
import TestSupport
import Testing

/// Issue 11's commands a CDB user reaches for in the first hour, on corpus dumps. Expected
/// forms are from the debugger documentation (MicrosoftDocs/windows-driver-docs,
/// windows-driver-docs-pr/debuggercmds/), named in each test.
@Suite(.requires(.corpus)) struct FirstHourCommandTests {
    /// `lm` rows: module name → status text (the column after the name).
    static func rows(_ lines: [String]) -> [String: String] {
        var rows: [String: String] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            guard fields.count >= 3 else { continue }
            rows[String(fields[2])] =
                fields.count > 3 ? fields[3].trimmingCharacters(in: .whitespaces) : ""
        }
        return rows
    }

    // lm--list-loaded-modules-.md: `l` only modules whose symbols are loaded, `e` only those
    // with a symbol problem (no symbols, or exports only).
    @Test(arguments: ["win-x64-win10-fastfail.dmp", "linux-x64-breakpad-null-read-av.dmp"])
    func lmlAndLmeFilter(dumpName: String) throws {
        let dump = DumpSession(dumpName)
        try #require(dump.isOpen)
        _ = dump.run("k")
        let all = Self.rows(dump.run("lm"))
        let loaded = Self.rows(dump.run("lml"))
        let problems = Self.rows(dump.run("lme"))
        #expect(!loaded.isEmpty || !problems.isEmpty)
        for (name, status) in all {
            let isLoaded = !status.hasPrefix("(deferred)") && !status.hasPrefix("(no symbols)")
            let isProblem = status.hasPrefix("(no symbols)") || status.hasPrefix("(export symbols)")
            #expect((loaded[name] != nil) == isLoaded, "lml \(name): \(status)")
            #expect((problems[name] != nil) == isProblem, "lme \(name): \(status)")
        }
        #expect(!dump.run("lml").contains("Unloaded modules:"))
    }
}
