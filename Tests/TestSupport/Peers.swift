import Foundation
import Testing

/// The one skip policy of every suite. A test that needs something from outside the project
/// (a tool such as lldb-19, tmux, socat or llvm-readobj, the Python `minidump` package, the
/// Unicorn library, the shared corpus, root) says so with `.requires(...)`:
///
/// * normally, when it is missing, the test is skipped and the reason shown;
/// * with `XCDB_REQUIRE_PEERS=1` (CI and `scripts/test` set it) the test fails instead, saying
///   what is missing, so a run can never pass by skipping.
public enum Peers {
    /// True when a missing peer must fail the run.
    public static var areRequired: Bool {
        ProcessInfo.processInfo.environment["XCDB_REQUIRE_PEERS"] == "1"
    }
}

/// Something a test needs from outside the project, and how to tell whether it is there.
public struct Peer: Sendable {
    /// What to install, as a person would search for it.
    public let name: String
    private let check: @Sendable () -> Bool

    public init(_ name: String, isPresent: @escaping @Sendable () -> Bool) {
        self.name = name
        self.check = isPresent
    }

    public var isPresent: Bool { check() }

    public static let lldb = Peer("lldb-19") { ExternalTools.lldbAvailable }
    public static let pythonMinidump = Peer("the python3 `minidump` package") {
        ExternalTools.pythonMinidumpAvailable
    }
    public static let tmux = Peer("tmux") { TerminalSession.isAvailable }
    public static let socat = Peer("socat") { ExternalTools.find("socat") != nil }
    public static let llvmReadobj = Peer("llvm-readobj (llvm-19)") {
        ExternalTools.find("llvm-readobj") != nil
    }
    public static let llvmObjdump = Peer("llvm-objdump") {
        ExternalTools.find("llvm-objdump") != nil
    }
    /// The shared corpus of dumps, with its oracle readings.
    public static let corpus = Peer("the shared corpus at \(Corpus.dumps.path)") {
        !Corpus.allDumps().isEmpty
    }
    /// GNU parallel, for the documented multi-machine triage recipe (run locally).
    public static let gnuParallel = Peer("GNU parallel (apt-get install parallel)") {
        ExternalTools.find("parallel") != nil
    }
    /// Python's YAML reader, to check the Kubernetes example as YAML.
    public static let pythonYAML = Peer("python3-yaml") {
        ExternalTools.run("/usr/bin/env", ["python3", "-c", "import yaml"])?.status == 0
    }
    /// Root, to act as another user (socket permission tests).
    public static let root = Peer("running as root") { getuid() == 0 }
}

/// The trait behind `.requires(_:)`.
public struct PeerRequirement: TestTrait, SuiteTrait, TestScoping {
    public let peers: [Peer]

    public var isRecursive: Bool { true }

    var missing: [String] { peers.filter { !$0.isPresent }.map(\.name) }

    public func prepare(for test: Test) async throws {
        guard !Peers.areRequired else { return }
        let missing = self.missing
        try await ConditionTrait.enabled(
            if: missing.isEmpty,
            Comment(rawValue: "needs \(missing.joined(separator: ", ")), which is not available")
        ).prepare(for: test)
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let missing = self.missing
        guard missing.isEmpty else {
            Issue.record(
                Comment(
                    rawValue: "needs \(missing.joined(separator: ", ")), which is not available, "
                        + "and XCDB_REQUIRE_PEERS=1 forbids skipping "
                        + "(scripts/install-system-packages --for-tests installs the tools)"))
            return
        }
        try await function()
    }
}

extension Trait where Self == PeerRequirement {
    /// Skips the test when a peer is missing, or fails it under `XCDB_REQUIRE_PEERS=1`.
    public static func requires(_ peers: Peer...) -> Self {
        PeerRequirement(peers: peers)
    }
}
