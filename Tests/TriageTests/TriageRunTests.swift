import Engine
import Foundation
import TestSupport
import Testing

/// `xcdb-triage` as a user runs it: over the corpus, against hostile workers, merging
/// results, and the documented GNU parallel recipe and Kubernetes Job.
@Suite(.requires(.corpus)) struct TriageRunTests {
    let triage = Products.path("xcdb-triage")

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-triage-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Parsed JSON lines of a file.
    static func documents(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
    }

    @Test func triagesTheCorpusOneLinePerDump() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out.jsonl").path
        let result = try runProcess(
            triage, [Corpus.dumps.path, "-j", "2", "-o", out], timeout: 600)
        // Some corpus dumps cannot be read (kernel dumps, malformed files): status 3.
        #expect(result.status == 3, "\(result.stderr)")
        let documents = try Self.documents(out)
        let files = documents.compactMap { $0["file"]?.stringValue }
        #expect(Set(files) == Set(Corpus.allDumps().map { Corpus.dumps.path + "/" + $0 }))
        #expect(documents.count == Corpus.allDumps().count)
        #expect(documents.allSatisfy { $0["version"] == .integer(1) })
        for name in Corpus.allDumps() where name.hasPrefix("malformed-") {
            let line = documents.first { $0["file"]?.stringValue?.hasSuffix("/" + name) == true }
            #expect(line?["error"] != nil, "\(name)")
        }
        // The summary goes to standard output with -o; no progress line off a terminal.
        let errors = documents.filter { $0["error"] != nil }.count
        #expect(
            result.stdout.hasPrefix("\(documents.count) dumps, ")
                && result.stdout.contains(", \(errors) errors\n"))
        #expect(!result.stderr.contains("\r") && !result.stderr.contains("dumps/s"))
        // The most frequent group comes first, with an example dump.
        #expect(result.stdout.contains("    e.g. \(Corpus.dumps.path)/"))
    }

    /// A stand-in worker: a script that ignores its arguments and misbehaves.
    static func worker(_ body: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("worker.sh").path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func runWithWorker(_ body: String, _ options: [String]) throws -> JSONValue {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = try Self.worker(body, in: directory)
        let dump = Corpus.dump("win-x86-win7-null-write-av.dmp")
        let result = try runProcess(
            triage, ["--worker", worker, "-q", dump] + options, timeout: 120)
        #expect(result.status == 3)
        let lines = result.lines
        #expect(lines.count == 1)
        return try JSONParser.parse(lines.first ?? "")
    }

    @Test func aHangingWorkerIsKilledAtTheTimeLimit() throws {
        let line = try runWithWorker("exec sleep 600", ["--timeout", "1"])
        #expect(line["error"]?.stringValue?.contains("1 s time limit") == true, "\(line)")
        #expect(line["file"]?.stringValue?.hasSuffix("null-write-av.dmp") == true)
    }

    @Test func aSpinningWorkerIsStoppedByTheCPULimit() throws {
        let line = try runWithWorker(
            "while :; do :; done", ["--cpu-limit", "1", "--timeout", "60"])
        #expect(line["error"]?.stringValue?.contains("CPU-time limit") == true, "\(line)")
    }

    @Test func aGreedyWorkerHitsTheMemoryLimit() throws {
        let line = try runWithWorker(
            "exec python3 -c 'x = bytearray(1 << 30); print(\"{}\")'", ["--memory-limit", "256"])
        let error = line["error"]?.stringValue ?? ""
        #expect(error.contains("MemoryError"), "\(line)")
    }

    @Test func aWorkerThatPrintsGarbageGivesAnErrorLine() throws {
        let line = try runWithWorker("echo 'not json'; exit 0", [])
        #expect(line["error"]?.stringValue?.contains("without an analysis") == true, "\(line)")
    }

    @Test func mergeCombinesResultsMadeElsewhere() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dumps = Corpus.allDumps().map { Corpus.dump($0) }
        let half = dumps.count / 2
        let first = directory.appendingPathComponent("first.jsonl").path
        let second = directory.appendingPathComponent("second.jsonl").path
        let whole = directory.appendingPathComponent("whole.jsonl").path
        _ = try runProcess(triage, ["-q", "-o", first] + dumps[..<half], timeout: 600)
        _ = try runProcess(triage, ["-q", "-o", second] + dumps[half...], timeout: 600)
        let direct = try runProcess(triage, ["-o", whole] + dumps, timeout: 600)
        try FileHandle(forWritingAtPath: second).map {
            $0.seekToEndOfFile()
            $0.write(Data("this line is not JSON\n".utf8))
            try $0.close()
        }
        let merged = directory.appendingPathComponent("merged.jsonl").path
        let result = try runProcess(triage, ["--merge", first, second, "-o", merged])
        #expect(result.status == 3)
        let documents = try Self.documents(merged)
        #expect(documents.count == dumps.count + 1)
        #expect(documents.last?["error"]?.stringValue?.contains("not JSON") == true)
        // Apart from the broken line, the same table as one run over every dump.
        let expected = direct.stdout.replacingOccurrences(
            of: "\(dumps.count) dumps", with: "\(dumps.count + 1) dumps")
        #expect(result.stdout.split(separator: "\n").count == expected.split(separator: "\n").count)
        #expect(result.stdout.contains("\(dumps.count + 1) dumps, "))
    }

    @Test(.requires(.gnuParallel))
    func theGNUParallelRecipeGivesTheTriageTable() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = Corpus.projectRoot.appendingPathComponent(
            "Examples/triage/triage-with-parallel.sh"
        ).path
        let out = directory.appendingPathComponent("results.jsonl").path
        let recipe = try runProcess(
            "/bin/bash", [script, Corpus.dumps.path, out, "-j", "2"],
            environment: ["XCDB": Products.path("xcdb"), "XCDB_TRIAGE": triage], timeout: 600)
        let direct = try runProcess(triage, [Corpus.dumps.path, "-o", "/dev/null"], timeout: 600)
        #expect(!recipe.stdout.isEmpty)
        #expect(recipe.stdout == direct.stdout, "\(recipe.stderr)")
        #expect(try Self.documents(out).count == Corpus.allDumps().count)
    }

    @Test(.requires(.pythonYAML))
    func theKubernetesExampleIsAnIndexedJob() throws {
        let manifest = Corpus.projectRoot.appendingPathComponent("Examples/triage/job.yaml").path
        let check = """
            import sys, yaml
            documents = list(yaml.safe_load_all(open(sys.argv[1])))
            assert len(documents) == 1, "one document"
            job = documents[0]
            assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
            spec = job["spec"]
            assert spec["completionMode"] == "Indexed"
            assert isinstance(spec["completions"], int) and spec["completions"] > 0
            assert isinstance(spec["parallelism"], int) and 0 < spec["parallelism"] <= spec["completions"]
            pod = spec["template"]["spec"]
            assert pod["restartPolicy"] in ("Never", "OnFailure")
            container = pod["containers"][0]
            script = " ".join(container.get("command", []) + container.get("args", []))
            assert "JOB_COMPLETION_INDEX" in script and "xcdb -z" in script and "-json" in script
            assert "n=%d" % spec["completions"] in script, "the shard count matches completions"
            assert container["resources"]["limits"]["memory"]
            volumes = {v["name"] for v in pod["volumes"]}
            mounts = {m["name"] for m in container["volumeMounts"]}
            assert mounts <= volumes, "every mount has a volume"
            print("ok")
            """
        let result = try runProcess("/usr/bin/env", ["python3", "-c", check, manifest])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    @Test(.requires(.tmux))
    func aTerminalShowsProgressThenTheSummary() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("go").path
        // The third dump's worker waits for the test, so the progress line is on screen.
        let worker = try Self.worker(
            """
            case "$2" in *third*) while [ ! -f '\(marker)' ]; do sleep 0.1; done ;; esac
            echo "{\\"version\\":1,\\"file\\":\\"$2\\",\\"signature\\":{\\"text\\":\\"X | m!f\\"}}"
            """, in: directory)
        let dumps = ["first.dmp", "second.dmp", "third.dmp"].map {
            directory.appendingPathComponent($0).path
        }
        let out = directory.appendingPathComponent("out.jsonl").path
        let terminal = try TerminalSession(
            command: ([triage, "-j", "1", "--worker", worker, "-o", out] + dumps).joined(
                separator: " "))
        let progress = try terminal.waitFor { screen in
            screen.contains { $0.contains("2/3") && $0.contains("dumps/s") }
        }
        #expect(progress.satisfied, "\(progress.screen)")
        #expect(progress.screen.contains { $0.hasPrefix("[====================>") })
        #expect(FileManager.default.createFile(atPath: marker, contents: nil))
        let done = try terminal.waitFor { $0.contains("[exit 0]") }
        #expect(done.satisfied, "\(done.screen)")
        #expect(done.screen.contains("3 dumps, 1 signature, 0 errors"))
        // The progress line is gone once the summary is printed.
        #expect(!done.screen.contains { $0.contains("dumps/s") })
    }

    @Test func helpAndVersionAsALinuxUserExpects() throws {
        let help = try runProcess(triage, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage: xcdb-triage"))
        let version = try runProcess(triage, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("xcdb-triage "))
        let bad = try runProcess(triage, ["--frobnicate", "x"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--help"))
    }
}
