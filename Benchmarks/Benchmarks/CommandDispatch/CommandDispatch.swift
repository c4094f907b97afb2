// Command dispatch through a real session: table lookup, line splitting, argument parsing,
// handler, output stream; and the commands people run on a dump (`lm`, `k`, `dd`) on a corpus
// minidump when ../../shared is present.

import Benchmark
import DumpTargets
import Engine
import Foundation

/// Discards output (the terminal is not what is measured).
final class NullSink: OutputSink {
    func receive(_ event: OutputEvent) {}
}

func makeSession() -> Session {
    let session = Session(
        mode: .user, programName: "xcdb", table: Builtins.table,
        openers: [MinidumpOpener()])
    session.hub.add(NullSink())
    return session
}

/// A corpus dump beside the project, if the shared folder is there.
let corpusDump: String? = {
    let here = URL(fileURLWithPath: #filePath)
    let root = here.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let path = root.deletingLastPathComponent().appendingPathComponent(
        "shared/corpus/dumps/win-x86-xpsp2-breakpad-minidump2.dmp"
    ).path
    return FileManager.default.fileExists(atPath: path) ? path : nil
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo, maxDuration: .seconds(3))

    let table = Builtins.table
    Benchmark("Dispatch: table lookup of 'lmvm'", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(table.lookup("lmvm ntdll"[...]))
        }
    }

    let session = makeSession()
    Benchmark("Dispatch: .echo through the session", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(session.execute(".echo hello", from: .console))
        }
    }

    Benchmark("Dispatch: '? @$t0 + 0n10; r $t1 = 5'", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(session.execute("? @$t0 + 0n10; r $t1 = 5", from: .console))
        }
    }

    guard let dump = corpusDump else { return }
    let onDump = makeSession()
    onDump.execute(".opendump \(dump)", from: .startup, echo: false)
    onDump.execute(".ecxr", from: .console)
    let once = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    Benchmark("Dump: lm", configuration: once) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(onDump.execute("lm", from: .console)) }
    }
    Benchmark("Dump: kb (x86, Breakpad-less)", configuration: once) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(onDump.execute("kb", from: .console)) }
    }
    Benchmark("Dump: dd @esp L40", configuration: once) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(onDump.execute("dd @esp L40", from: .console))
        }
    }
}
