import Engine
import Foundation
import Synchronization
import TestSupport
import Testing

/// No line can crash or stall the session: nested prefixes and scripts are bounded in depth and
/// in total work, out-of-range numbers give CDB's errors, and Ctrl-C (or the time limit) ends
/// whatever is running. After each, the session goes on.
@Suite struct LineBudgetTests {
    static func busiestDump() throws -> DumpSession {
        let (name, threads) = Corpus.dumpWithMostThreads
        try #require(threads >= 10, "the corpus needs a dump with many threads")
        return DumpSession(name)
    }

    static let countError =
        "Stopped: this line ran 10000 commands, the most one line may run "
        + "(nested ~* prefixes and scripts multiply quickly)."
    static let depthError =
        "Stopped: commands nested more than 32 levels deep "
        + "(~ prefixes and scripts inside each other)."

    @Test func nestedThreadPrefixesStopAtTheCommandCount() throws {
        let dump = try Self.busiestDump()
        // threads^4 echoes would run without the count.
        let lines = dump.run("~* ~* ~* ~* .echo ok")
        #expect(lines.filter { $0 == Self.countError }.count == 1)
        #expect(lines.last == Self.countError)
        #expect(lines.filter { $0 == "ok" }.count < 10_000)
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func nestedStackWalksStopAtTheCommandCount() throws {
        let dump = try Self.busiestDump()
        dump.session.limits.maximumCommands = 300
        let lines = dump.run("~* ~* ~* k")
        #expect(lines.last?.hasPrefix("Stopped: this line ran 300 commands") == true)
        #expect(lines.filter { $0.hasPrefix("Stopped:") }.count == 1)
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func tenThousandPrefixesStopAtTheDepth() throws {
        let dump = try Self.busiestDump()
        let line = String(repeating: "~* ", count: 10_000) + ".echo ok"
        #expect(line.utf8.count < 64 * 1024)
        let lines = dump.run(line)
        #expect(lines.filter { $0 == Self.depthError }.count == 1)
        #expect(!lines.contains("ok"))
        let single = dump.run(String(repeating: "~0 ", count: 10_000) + ".echo ok")
        #expect(single == [Self.depthError])
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func outOfRangeNumbersGiveErrors() throws {
        let dump = try Self.busiestDump()
        let prompt = dump.session.prompt.count
        func caret(_ column: Int) -> String {
            String(repeating: " ", count: prompt + column) + "^ "
        }
        #expect(dump.run(".frame -1") == [caret(0) + "Bad frame number error in '.frame -1'"])
        #expect(dump.run(".frame 10000") == [caret(0) + "Bad frame number error in '.frame 10000'"])
        for command in ["dd", "db", "dps", "dyd", "dq", "da"] {
            #expect(
                dump.run("\(command) 0 ffffffff`ffffffff")
                    == [caret(0) + "Range error in '\(command) 0 ffffffff`ffffffff'"])
        }
        #expect(
            dump.run("s -d 0 ffffffff`ffffffff 0")
                == [caret(5) + "Range error in 's -d 0 ffffffff`ffffffff 0'"])
        // Wrapping past the top or below the bottom of the address space.
        #expect(dump.run("db ffffffff`fffffff0 L20").first?.contains("Range error") == true)
        #expect(dump.run("db 10 L-100").first?.contains("Range error") == true)
        // `L?` runs to the top of the address space and stops there.
        #expect(dump.run("db ffffffff`fffffff0 L?20").count == 1)
        #expect(
            dump.run("~99999999999999999999 k")
                == [caret(0) + "Illegal thread error in '~99999999999999999999 k'"])
        #expect(dump.run("~[ffffffffffffffff]s").first?.contains("Illegal thread error") == true)
        #expect(dump.run("~[-1] k").first?.contains("Illegal thread error") == true)
        #expect(!dump.run("k ffffffff`ffffffff").isEmpty)
        #expect(!dump.run("u 0 L?ffffffff`ffffffff").isEmpty)
        #expect(!dump.run("ub @$ip L?ffffffff`ffffffff").isEmpty)
        #expect(dump.run("r $t20").first?.contains("Bad register error") == true)
        #expect(dump.run(".printf \"%99999999999999999999d\\n\", 1").first?.count == 512)
        #expect(dump.run("n 99999999999999999999").first?.contains("Syntax error") == true)
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func ctrlCStopsAnEndlessDisplayAndNothingPilesUp() throws {
        let dump = try Self.busiestDump()
        let session = dump.session
        // Raises the interrupt after 2,000 lines: lines must arrive while the command runs
        // (nothing is held back until it ends), and stop right after.
        final class Interrupter: OutputSink {
            let session: Session
            let count = Mutex(0)
            init(session: Session) { self.session = session }
            func receive(_ event: OutputEvent) {
                guard event.kind == .output else { return }
                let seen = count.withLock { count in
                    count += 1
                    return count
                }
                if seen == 2_000 { session.interrupt.raise() }
            }
        }
        let interrupter = Interrupter(session: session)
        let id = session.hub.add(interrupter)
        let lines = dump.run("dd 0 L?ffffffffffffffff")
        session.hub.remove(id)
        #expect(lines.count >= 2_000)
        #expect(lines.count <= 2_001)
        #expect(lines.allSatisfy { $0.hasSuffix("???????? ???????? ???????? ????????") })
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func ctrlCFromAnotherThreadEndsANestedLine() throws {
        let dump = try Self.busiestDump()
        let session = dump.session
        final class FirstLine: OutputSink {
            let seen = Mutex(false)
            func receive(_ event: OutputEvent) {
                // A thread's status line of `~*`: the line itself is running. (A raise before
                // the line starts would be cleared by it, as a new line clears Ctrl-C.)
                if event.kind == .output, event.text.contains("Id: ") {
                    seen.withLock { $0 = true }
                }
            }
        }
        let first = FirstLine()
        session.hub.add(first)
        let outcome = Mutex<LineOutcome?>(nil)
        // A day of sleeping per thread, per thread. Queued now, on the session's own queue, so
        // the wait below does not depend on the test's scheduling.
        session.submit("~* ~* .sleep 5265c00", from: .console) { result in
            outcome.withLock { $0 = result }
        }
        let deadline = Date().addingTimeInterval(120)
        while !first.seen.withLock({ $0 }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(first.seen.withLock { $0 }, "the line never started")
        session.interrupt.raise()
        while outcome.withLock({ $0 }) == nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(outcome.withLock { $0 } == .proceed)
        #expect(dump.run(".echo alive") == ["alive"])
    }

    @Test func theTimeLimitEndsALine() throws {
        let dump = try Self.busiestDump()
        dump.session.limits.timeLimit = .milliseconds(100)
        let lines = dump.run("dd 0 L?ffffffffffffffff; .echo not reached")
        #expect(!lines.contains("not reached"))
        dump.session.limits.timeLimit = nil
        #expect(dump.run(".echo alive") == ["alive"])
    }
}
