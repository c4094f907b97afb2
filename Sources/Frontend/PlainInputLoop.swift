import Engine
import FoundationEssentials
import LineEditor

/// Reads commands from a pipe or file: plain lines, no prompts, no escape codes, so scripts and
/// here-documents work (`printf 'k\nq\n' | xcdb -z a.dmp`). Ctrl-C stops the running command
/// instead of killing the debugger.
struct PlainInputLoop {
    let router: ConsoleLineRouter

    func run() -> Int32 {
        let session = router.session
        try? InterruptHandler.install { session.interrupt.raise() }
        defer { ExitPaths.ctrlCEndsTheProcess() }
        while let line = readLine(strippingNewline: true) {
            if router.run(line) == .quit { return 0 }
        }
        return 0
    }
}
