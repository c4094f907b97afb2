import Synchronization
import TestSupport
import Testing

/// The skip policy itself: a missing peer makes a test fail rather than pass silently once its
/// body would run (which is always, under `XCDB_REQUIRE_PEERS=1`).
@Suite struct PeerPolicyTests {
    @Test func aMissingPeerRecordsAFailureAndTheBodyDoesNotRun() async throws {
        let requirement: PeerRequirement = .requires(Peer("a tool nobody has") { false })
        let test = try #require(Test.current)
        try await withKnownIssue {
            try await requirement.provideScope(for: test, testCase: nil) {
                Issue.record("the body ran")
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("a tool nobody has") }
                && !issue.comments.contains { $0.rawValue == "the body ran" }
        }
    }

    @Test func aPresentPeerRunsTheBody() async throws {
        let requirement: PeerRequirement = .requires(Peer("always here") { true })
        let test = try #require(Test.current)
        let ran = Mutex(false)
        try await requirement.provideScope(for: test, testCase: nil) { ran.withLock { $0 = true } }
        #expect(ran.withLock { $0 })
    }
}
