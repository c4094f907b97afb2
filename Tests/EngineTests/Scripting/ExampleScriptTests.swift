import Engine
import Foundation
import TestSupport
import Testing

/// The scripts in `Examples/scripts/`, run on corpus dumps the way a CDB user runs them
/// (`$$><file`), checked against independent readings of the dumps (the oracle's lldb thread
/// list) or against the values the scripts branch on, read separately.
@Suite struct ExampleScriptTests {
    static func script(_ name: String) -> String {
        Corpus.projectRoot.appendingPathComponent("Examples/scripts/\(name)").path
    }

    /// Lines a condensed script prints, without the echoed block.
    static func run(_ script: String, on dump: DumpSession) -> [String] {
        dump.run("$$><\(Self.script(script))").filter { !$0.hasPrefix("0:0") }
    }

    // -foreach.md and -e--thread-specific-command-.md: one header and one stack per thread,
    // for the threads lldb lists, in order.
    @Test func allStacksWalksEveryThread() throws {
        let name = "win-x64-win10-fastfail.dmp"
        let dump = DumpSession(name)
        try #require(dump.isOpen)
        let oracle = try #require(Oracle(dumpName: name)?.lldb, "no lldb reading of \(name)")
        try #require(oracle.threadIds.count > 1)
        let lines = Self.run("all-stacks.txt", on: dump)
        let headers = lines.filter { $0.hasPrefix("---- thread ") }
        #expect(headers == oracle.threadIds.map { "---- thread \(String($0, radix: 16)) ----" })
        // Each header is followed by that thread's stack, as `~N k` shows it.
        for (index, header) in headers.enumerated() {
            let start = try #require(lines.firstIndex(of: header))
            let stack = dump.run("~\(index) k").filter { !$0.hasPrefix("***") }
            let shown = lines[(start + 1)...].filter { !$0.hasPrefix("***") }.prefix(stack.count)
            #expect(Array(shown) == stack, "thread \(index)")
        }
    }

    // j--execute-if---else-.md: the branch follows TEB.LastErrorValue, read here with dd.
    @Test func lastErrorChoosesItsBranch() throws {
        var branches: Set<String> = []
        for name in ["win-x64-win10-fastfail.dmp", "win-x64-win10-electron-functiontable.dmp"] {
            let dump = DumpSession(name)
            try #require(dump.isOpen)
            let words = try #require(dump.run("dd @$teb+0x68 L1").first).split(separator: " ")
            let value = try #require(words.count == 2 ? UInt64(words[1], radix: 16) : nil)
            let lines = Self.run("last-error.txt", on: dump)
            if value == 0 {
                #expect(lines == ["No last error on this thread."])
                branches.insert("none")
            } else {
                #expect(lines.first == "This thread has a last error:")
                #expect(Array(lines.dropFirst()) == dump.run("!gle"))
                branches.insert("error")
            }
        }
        // The two dumps take different branches, so both are checked.
        #expect(branches.count == 2)
    }

    // -e--thread-specific-command-.md: `~*e` runs the command for each thread. That it shows
    // no thread status lines (unlike `~* k`) is inferred: the page makes `~2e r; k; kd` the
    // same as `~2r; ~2k; ~2kd`, which show none.
    @Test func eachThreadCommandShowsNoStatusLines() throws {
        let name = "win-x64-win10-fastfail.dmp"
        let dump = DumpSession(name)
        try #require(dump.isOpen)
        let oracle = try #require(Oracle(dumpName: name)?.lldb)
        #expect(
            dump.run("~*e .printf \"%x\\n\", @$tid")
                == oracle.threadIds.map { String($0, radix: 16) })
        #expect(dump.run("~* .echo x").contains { $0.contains(" Id: ") })
    }
}
