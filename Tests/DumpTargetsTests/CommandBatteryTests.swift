import TestSupport
import Testing

/// Every command a person runs on a crash, on every dump of the corpus (malformed ones
/// included): each gives output or a clear error, and none crashes or hangs.
@Suite(.requires(.corpus)) struct CommandBatteryTests {
    static let commands = [
        "lm", "lmv", "lm m *", "~", "~*k", "|", "r", ".ecxr", "r", "kb", "kv 5", "kc", ".frame 1",
        ".exr -1", ".lastevent", "vertarget", "version", ".time", "!analyze -v", "db @$csp",
        "dd @$csp L8", "dps @$csp L8", "dq @$csp", "da @$ip", "du @$ip", "u", "ub", "uf @$ip",
        "s -d @$csp L100 0", "s -sa @$csp L200", "!address -summary", "!address @$csp",
        "!handle", "!handle 0 f", "!teb", "!peb", "!gle", "!linux", "x *!*main*", "ln @$ip",
        ".cxr", "? @$ip", ".formats @$csp", "~0s", "~1s", "!analyze",
    ]

    @Test(arguments: Corpus.allDumps())
    func everyCommandAnswers(dumpName: String) {
        let session = DumpSession(dumpName)
        guard session.isOpen else {
            // A dump that cannot be opened must say why, in one clear message.
            #expect(
                session.openLines.contains { $0.hasPrefix("Could not open dump file") },
                "\(session.openLines)")
            return
        }
        for command in Self.commands {
            let lines = session.run(command)
            // No output is the right answer for these when nothing matches or nothing changes.
            let acceptsSilence =
                [".cxr", "~0s", "~1s", "~", "~*k"].contains(command) || command.hasPrefix("x ")
                || command.hasPrefix("s ")
            #expect(!lines.isEmpty || acceptsSilence, "\(dumpName): '\(command)' printed nothing")
        }
    }
}
