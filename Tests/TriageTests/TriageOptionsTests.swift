import Testing

@testable import Triage

@Suite struct TriageOptionsTests {
    @Test func parsesTheDocumentedForms() throws {
        let options = try TriageOptions.parse([
            "-j", "3", "-y/syms", "--output=out.jsonl", "--timeout", "9", "--cpu-limit=4",
            "--memory-limit", "512", "dumps", "--", "-odd-name.dmp",
        ])
        #expect(options.jobs == 3)
        #expect(options.symbolPath == "/syms")
        #expect(options.outputPath == "out.jsonl")
        #expect(options.timeoutSeconds == 9)
        #expect(options.effectiveCPUSeconds == 4)
        #expect(options.memoryMiB == 512)
        #expect(options.inputs == ["dumps", "-odd-name.dmp"])
    }

    @Test func cpuLimitDefaultsToTheTimeout() throws {
        let options = try TriageOptions.parse(["--timeout", "7", "a.dmp"])
        #expect(options.effectiveCPUSeconds == 7)
        #expect(options.jobs == nil)
    }

    @Test(arguments: [
        [], ["-j", "0", "a"], ["-j"], ["--timeout", "x", "a"], ["--frobnicate", "a"], ["--merge"],
    ])
    func refusesBadCommandLines(arguments: [String]) {
        #expect(throws: TriageOptions.Error.self) { try TriageOptions.parse(arguments) }
    }

    @Test func helpAndVersionNeedNoInputs() throws {
        #expect(try TriageOptions.parse(["--help"]).showHelp)
        #expect(try TriageOptions.parse(["-V"]).showVersion)
    }
}

@Suite struct TriageSummaryTests {
    @Test func groupsBySignatureMostFrequentFirst() {
        var summary = TriageSummary()
        let lines = [
            (#"{"version":1,"file":"a","signature":{"text":"X | m!f"}}"#, "a"),
            (#"{"version":1,"file":"c","signature":{"text":"Y | m!g"}}"#, "c"),
            (#"{"version":1,"file":"b","signature":{"text":"Y | m!g"}}"#, "b"),
            (#"{"version":1,"file":"d","error":"bad"}"#, "d"),
            ("garbage", "e"),
        ]
        for (line, file) in lines { summary.add(ResultLine(line: line, fallbackFile: file)) }
        #expect(summary.total == 5)
        #expect(summary.errors == 2)
        let rows = summary.rows
        #expect(rows.map(\.count) == [2, 2, 1])
        #expect(rows.first { $0.signature == "Y | m!g" }?.example == "b")
        #expect(summary.table().hasPrefix("5 dumps, 3 signatures, 2 errors\n"))
    }

    @Test func progressLineShowsCountsRateAndTimeLeft() {
        let line = ProgressLine(total: 40, start: 100)
        let text = line.text(done: 10, errors: 1, now: 105)
        #expect(text.contains("10/40"))
        #expect(text.contains("2.0 dumps/s"))
        #expect(text.contains("1 error"))
        #expect(text.contains("0:15 left"))
        #expect(text.hasPrefix("[=======>"))
    }
}
