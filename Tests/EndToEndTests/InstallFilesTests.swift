import Foundation
import TestSupport
import Testing

/// What `scripts/install` puts beside the programs: man pages and shell completion, and the
/// GNU-style `--help`/`--version` every program answers. (The installed release build itself is
/// checked by `scripts/check-install`, too slow for the test suite.)
@Suite struct InstallFilesTests {
    static let programs = ["xcdb", "xkd", "xremote", "xcdb-triage"]
    static let man = Peer("man-db (apt-get install man-db)") {
        ExternalTools.find("man") != nil
    }

    @Test(.requires(InstallFilesTests.man), arguments: programs)
    func manPageRendersWithoutWarnings(program: String) throws {
        let page = Corpus.projectRoot.appendingPathComponent("man/\(program).1").path
        let result = try runProcess(
            "/usr/bin/env", ["man", "--warnings", "-l", page],
            environment: ["MANPAGER": "cat", "MANWIDTH": "80", "LANG": "C.UTF-8"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("NAME"))
        #expect(result.stdout.contains("SYNOPSIS"))
        #expect(result.stdout.contains(program))
    }

    @Test(arguments: programs)
    func helpAndVersionAsALinuxUserExpects(program: String) throws {
        let help = try runProcess(Products.path(program), ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage:"), "\(help.stdout)")
        let version = try runProcess(Products.path(program), ["--version"])
        #expect(version.status == 0)
        #expect(version.lines.count == 1)
        #expect(version.stdout.hasPrefix("\(program) 0."), "\(version.stdout)")
    }

    /// Runs the bash completion function for a command line whose last word is being typed.
    func complete(_ function: String, _ words: [String]) throws -> [String] {
        let script = Corpus.projectRoot.appendingPathComponent("completions/xcdb.bash").path
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let result = try runProcess(
            "/bin/bash",
            [
                "-c",
                "source '\(script)'; COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); "
                    + "\(function); printf '%s\\n' \"${COMPREPLY[@]}\"",
            ],
            environment: ["PATH": Products.directory.path + ":/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.lines.filter { !$0.isEmpty }
    }

    @Test func bashCompletesAnOption() throws {
        #expect(try complete("_xcdb", ["xcdb", "-js"]) == ["-json"])
        #expect(try complete("_xcdb", ["xkd", "--ve"]) == ["--version"])
        #expect(try complete("_xcdb_triage", ["xcdb-triage", "--mer"]) == ["--merge"])
    }

    @Test func bashCompletesADebuggerCommandAfterDashC() throws {
        #expect(try complete("_xcdb", ["xcdb", "-c", "!ana"]) == ["!analyze"])
        // The command after the last `;` is the one completed.
        #expect(try complete("_xcdb", ["xcdb", "-c", "k;.logo"]) == ["k;.logopen"])
    }

    @Test func commandListComesFromTheCommandTable() throws {
        let result = try runProcess(Products.path("xcdb"), ["--list-commands"])
        #expect(result.status == 0)
        #expect(result.lines.contains("!analyze"))
        #expect(result.lines.contains("lm"))
        #expect(result.lines.count > 100)
    }
}
