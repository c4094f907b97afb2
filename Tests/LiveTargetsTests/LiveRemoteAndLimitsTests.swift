import Engine
import Foundation
import Testing

@testable import Remote

/// A remote participant's interrupt breaks into a running program; the memory cap is the
/// program's failure, never xcdb's.
@Suite(.serialized) struct LiveRemoteAndLimitsTests {
    static let participant = CommandSource(
        .remote(
            RemoteParticipant(id: 3, user: "ana", host: "box", style: .remoteExe, readOnly: false)))

    @Test func aRemoteParticipantsInterruptBreaksIn() async throws {
        let live = try LiveSession(LivePrograms.spinner)
        let input = DebuggerInput(session: live.session, onQuit: {})
        let ended = AsyncStream<Void>.makeStream()
        input.submit("g", from: Self.participant) { _ in ended.continuation.yield() }
        let deadline = Date().addingTimeInterval(60)
        while !live.output.contains("spinning"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(live.output.contains("spinning"))
        input.interrupt()
        var iterator = ended.stream.makeAsyncIterator()
        _ = await iterator.next()
        #expect(
            live.output.contains {
                $0.hasSuffix("Break instruction exception - code 80000003 (first chance)")
            },
            "\(live.output.suffix(8))")
        #expect(live.session.prompt == "0:000> ")
    }

    @Test func theMemoryCapIsTheProgramsOutOfMemory() throws {
        let program = try LivePrograms.mingw(
            "allocate",
            """
            #include <stdio.h>
            #include <stdlib.h>
            int main(void) {
                int megabytes = 0;
                while (megabytes < 4096) {
                    char *block = malloc(1 << 20);
                    if (!block) break;
                    block[0] = 1;
                    megabytes++;
                }
                printf("allocated %d MiB before running out\\n", megabytes);
                return megabytes < 4096 ? 3 : 0;
            }
            """)
        let live = try LiveSession(program) { $0.memoryCap = 64 << 20 }
        let out = live.run("g")
        let line = try #require(out.first { $0.hasPrefix("allocated ") }, "\(out)")
        let megabytes = try #require(Int(line.split(separator: " ")[1]))
        #expect(megabytes > 8 && megabytes < 64, "\(line)")
        #expect(live.run(".lastevent").first?.hasSuffix("code 3") == true)
    }
}
