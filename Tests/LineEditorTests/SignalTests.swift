import Foundation
import Glibc
import Synchronization
import Testing

@testable import LineEditor

/// Signals: Ctrl-C while a command runs, terminal size changes, continuing after a stop.
@Suite("Signals")
struct SignalTests {
    @Test("SIGINT while no line is edited calls the handler and does not kill the process")
    func interruptWhileRunning() throws {
        let calls = Mutex(0)
        try InterruptHandler.install { calls.withLock { $0 += 1 } }
        defer { InterruptHandler.remove() }
        for expected in 1...3 {
            kill(getpid(), SIGINT)
            let deadline = Date().addingTimeInterval(60)
            while calls.withLock({ $0 }) < expected, Date() < deadline { usleep(2_000) }
        }
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("Ctrl-C is a key while a line is edited and raises SIGINT while a command runs")
    func interruptCharacter() throws {
        let harness = try EditorHarness()
        func interruptCharacter() -> cc_t? {
            var modes = termios()
            guard tcgetattr(harness.terminal.fd, &modes) == 0, modes.c_lflag & tcflag_t(ISIG) != 0
            else { return nil }
            return withUnsafeBytes(of: modes.c_cc) { $0[Int(VINTR)] }
        }
        #expect(harness.startReading())
        #expect(interruptCharacter() == 0)  // _POSIX_VDISABLE: Ctrl-C reaches the editor
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line(""))
        #expect(interruptCharacter() == 3)  // Ctrl-C raises SIGINT again
    }

    @Test("a new terminal size is picked up while a line is edited (SIGWINCH)")
    func resize() throws {
        let harness = try EditorHarness(columns: 40)
        #expect(harness.startReading())
        harness.terminal.type("0123456789012345678901234567890123456789")
        #expect(harness.terminal.waitFor { $0.count == 2 }.met)
        harness.terminal.command("resize-window", "-t", "test", "-x", "30")
        // tmux signals the pane's own process group; the editor is in the test process.
        kill(getpid(), SIGWINCH)
        let expected = [
            "0:000> 01234567890123456789012",
            "34567890123456789",
        ]
        let shown = harness.terminal.waitFor { $0.suffix(2) == expected[...] }
        #expect(shown.met, "\(shown.screen)")
        harness.terminal.type("ab")
        #expect(harness.terminal.waitFor { $0.last == "34567890123456789ab" }.met)
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("0123456789012345678901234567890123456789ab"))
    }

    @Test("after a stop and `fg` (SIGCONT) editing mode is set again and the line redrawn")
    func continueAfterStop() throws {
        let harness = try EditorHarness()
        #expect(harness.startReading())
        harness.terminal.type("lm")
        harness.terminal.waitForLastLine("0:000> lm")
        // What a shell does while the process is stopped: back to line mode with echo.
        var modes = termios()
        tcgetattr(harness.terminal.fd, &modes)
        modes.c_lflag |= tcflag_t(ICANON | ECHO)
        tcsetattr(harness.terminal.fd, TCSANOW, &modes)
        kill(getpid(), SIGCONT)
        // The editor puts its editing mode back (no line mode, no echo) on its own thread.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            tcgetattr(harness.terminal.fd, &modes)
            if modes.c_lflag & tcflag_t(ICANON) == 0 { break }
            usleep(2_000)
        }
        #expect(modes.c_lflag & tcflag_t(ICANON) == 0)
        // Keys reach the editor one by one again (in line mode Ctrl-A would wait for Enter).
        harness.terminal.press("C-a")
        harness.terminal.type("x")
        let shown = harness.terminal.waitFor { $0.last == "0:000> xlm" }
        #expect(shown.met, "\(shown.screen)")
        harness.terminal.press("Enter")
        #expect(harness.nextResult() == .line("xlm"))
    }

    @Test("isInteractive: true for a terminal, false for a pipe")
    func interactive() throws {
        let terminal = try TmuxTerminal()
        #expect(LineEditor.isInteractive(input: terminal.fd, output: terminal.fd))
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { fds.forEach { close($0) } }
        #expect(!LineEditor.isInteractive(input: fds[0], output: terminal.fd))
        #expect(!LineEditor.isInteractive(input: terminal.fd, output: fds[1]))
    }
}
