import Engine
import Foundation
import LiveTargets
import Synchronization
import TestSupport

import struct Emulation.ProcessOptions

/// The guest test programs the live-target tests run (`GuestPrograms`: native oracle,
/// mingw-w64 and clang-cl builds, once per test process). A missing compiler makes the tests
/// fail.
enum LivePrograms {
    static let guest = Corpus.projectRoot.appendingPathComponent("Guest")
    static let systemFolder = guest.appendingPathComponent("bin").path
    static let symbols = guest.appendingPathComponent("bin/symbols").path

    /// Where the small inline programs (`mingw(_:_:)`) are built, and which ones are.
    private static let built = Mutex<Set<String>>([])
    static let folder: String = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-live-programs-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }()

    struct BuildFailure: Error, CustomStringConvertible { var description: String }

    /// The folder holding the built programs (built once per test process, for every suite).
    static func build(_ name: String) throws -> String {
        try GuestPrograms.folder()
    }

    /// A built program's path: `flavour` is `mingw`, `mingw-posix` or `clang`.
    static func path(_ name: String, _ flavour: String) throws -> String {
        try build(name) + "/\(name)-\(flavour).exe"
    }

    /// The portable programs compared with their native builds (`p_fault` faults, `p_scanf`
    /// reads input: both have tests of their own).
    static var portable: [String] {
        let folder = guest.appendingPathComponent("programs").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("p_") && $0.hasSuffix(".c") }
            .map { String($0.dropLast(2)) }
            .filter { $0 != "p_fault" && $0 != "p_scanf" }.sorted()
    }
}

/// An in-process session on a live target, collecting its output.
final class LiveSession {
    let session: Session
    private let sink = CollectingSink()

    init(
        _ program: String, arguments: [String] = [],
        configure: (inout ProcessOptions) -> Void = { _ in }
    )
        throws
    {
        var options = ProcessOptions()
        options.systemFolder = LivePrograms.systemFolder
        configure(&options)
        session = Session(mode: .user, programName: "xcdb", table: Builtins.table)
        session.hub.add(sink)
        session.withState { $0.symbolPath = "srv*" + LivePrograms.symbols }
        let target = try LiveProcessTarget(
            program: program, arguments: arguments, options: options)
        guard session.startLive(target) else {
            throw LivePrograms.BuildFailure(description: "start failed: \(sink.text)")
        }
    }

    /// Runs a command line and returns what it printed.
    @discardableResult
    func run(_ line: String) -> [String] {
        let before = sink.count
        session.execute(line, from: .console, echo: false)
        return sink.lines(from: before)
    }

    /// The process id of the target (it belongs to the session's queue, like all target state).
    var processID: UInt32? { session.withState { $0.target?.processID } }

    /// Everything printed so far.
    var output: [String] { sink.lines(from: 0) }
}

final class CollectingSink: OutputSink, Sendable {
    private let events = Mutex<[OutputEvent]>([])

    func receive(_ event: OutputEvent) {
        events.withLock { $0.append(event) }
    }

    var count: Int { events.withLock { $0.count } }

    func lines(from index: Int) -> [String] {
        events.withLock {
            Array($0.dropFirst(index)).filter { $0.kind != .commandEcho }.map(\.text)
        }
    }

    var text: String { lines(from: 0).joined(separator: "\n") }
}

extension LivePrograms {
    /// A small program from C text, built once with mingw-w64 (for behaviours the shared
    /// guest programs do not have, such as spinning forever).
    static func mingw(_ name: String, _ source: String) throws -> String {
        let output = folder + "/\(name)-inline.exe"
        return try built.withLock { (names: inout Set<String>) throws -> String in
            if names.contains("inline:" + name) { return output }
            let sourcePath = folder + "/\(name)-inline.c"
            try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
            let result = try runProcess(
                "/usr/bin/env", ["x86_64-w64-mingw32-gcc-win32", "-O1", "-o", output, sourcePath],
                timeout: 300)
            guard result.status == 0 else {
                throw BuildFailure(description: "mingw-w64 failed on \(name):\n\(result.stderr)")
            }
            names.insert("inline:" + name)
            return output
        }
    }

    static var spinner: String {
        get throws {
            try mingw(
                "spin",
                """
                #include <stdio.h>
                volatile unsigned long long counter;
                int main(void) {
                    printf("spinning\\n");
                    fflush(stdout);
                    for (;;) counter++;
                }
                """)
        }
    }
}
