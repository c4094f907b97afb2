import Engine
import Foundation
import TestSupport
import Testing

/// Every corpus dump through `xcdb -z DUMP -json`: valid against the schema, one line, the
/// documented key order; damaged dumps give the error object.
@Suite(.requires(.corpus)) struct CorpusJSONTests {
    static let topLevelKeys = [
        "version", "generator", "file", "dump", "system", "process", "exception", "analysis",
        "signature", "threads", "modules", "warnings",
    ]

    @Test(arguments: Corpus.allDumps())
    func everyDumpGivesOneValidDocument(name: String) throws {
        let validator = try AnalysisDocuments.validator()
        let analysed = try AnalysisDocuments.analyse(Corpus.dump(name))
        #expect(validator.errors(in: analysed.document) == [])
        // One document on one line, so outputs concatenate into JSON Lines.
        #expect(analysed.stdout.filter { $0 == "\n" }.count == 1)
        #expect(analysed.document["version"] == .integer(1))
        #expect(analysed.document.objectMembers?.first?.0 == "version")
        if analysed.document["error"] != nil {
            #expect(analysed.status == 2)
        } else {
            #expect(analysed.status == 0)
            #expect(analysed.document.objectMembers?.map(\.0) == Self.topLevelKeys)
            // An exception always comes with its analysis and signature.
            if analysed.document["exception"] != .null {
                #expect(analysed.document["signature"] != .null)
                #expect(analysed.document["analysis"] != .null)
            }
        }
    }

    @Test(arguments: Corpus.allDumps().filter { $0.hasPrefix("malformed-") })
    func damagedDumpsGiveAnErrorObject(name: String) throws {
        let analysed = try AnalysisDocuments.analyse(Corpus.dump(name))
        #expect(analysed.status == 2)
        #expect(
            analysed.document.objectMembers?.map(\.0) == ["version", "generator", "file", "error"])
        #expect(analysed.document["file"] == .string(Corpus.dump(name)))
        #expect(analysed.document["error"]?.stringValue?.isEmpty == false)
    }

    @Test func aMissingFileAndARandomFileGiveErrorObjects() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let random = directory.appendingPathComponent("random.dmp")
        var generator = SplitMix64(seed: 14)
        try Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }).write(
            to: random)
        let validator = try AnalysisDocuments.validator()
        for path in [random.path, directory.appendingPathComponent("absent.dmp").path] {
            let analysed = try AnalysisDocuments.analyse(path)
            #expect(analysed.status == 2)
            #expect(analysed.document["error"] != nil)
            #expect(validator.errors(in: analysed.document) == [])
        }
    }

    @Test func theSchemaCheckCatchesBrokenDocuments() throws {
        let validator = try AnalysisDocuments.validator()
        let analysed = try AnalysisDocuments.analyse(
            Corpus.dump("win-x86-win7-null-write-av.dmp"))
        guard var members = analysed.document.objectMembers else {
            Issue.record("not an object")
            return
        }
        members.removeAll { $0.0 == "modules" }
        #expect(!validator.errors(in: .object(members)).isEmpty)
        members.append(("modules", .string("none")))
        #expect(!validator.errors(in: .object(members)).isEmpty)
    }

    @Test func promptCommandPrintsTheSameAnalysis() throws {
        let dump = Corpus.dump("win-x86-win7-null-write-av.dmp")
        let batch = try AnalysisDocuments.analyse(dump)
        let result = try runProcess(
            AnalysisDocuments.xcdb, ["-kqm", "-z", dump, "-c", "!analyze -json;q"], timeout: 120)
        let line = try #require(result.lines.first { $0.hasPrefix("{") })
        let document = try JSONParser.parse(line)
        #expect(document["signature"] == batch.document["signature"])
        #expect(document["analysis"] == batch.document["analysis"])
    }

    @Test func symbolsNameTheFramesWhenGiven() throws {
        // The Breakpad dump with its test_app.pdb beside it in the corpus's symbol folder.
        let analysed = try AnalysisDocuments.analyse(
            Corpus.dump("win-x86-xpsp2-breakpad-minidump2.dmp"), ["-y", Corpus.symbols.path])
        let frames = analysed.document["signature"]?["frames"]?.arrayValue ?? []
        #expect(frames.first?.stringValue?.hasPrefix("test_app!") == true)
        #expect(frames.allSatisfy { $0.stringValue?.contains("+0x") == false })
    }

    @Test func differentCrashesOfTheCorpusHaveDifferentSignatures() throws {
        var byDump: [String: String] = [:]
        for name in Corpus.allDumps() {
            let analysed = try AnalysisDocuments.analyse(Corpus.dump(name))
            if let text = analysed.document["signature"]?["text"]?.stringValue {
                byDump[name] = text
            }
        }
        #expect(byDump.count >= 20)
        let groups = Dictionary(grouping: byDump.keys, by: { byDump[$0] ?? "" })
        let shared = groups.filter { $0.value.count > 1 }
        #expect(shared.isEmpty, "dumps sharing a signature: \(shared)")
    }
}
