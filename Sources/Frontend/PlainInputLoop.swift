import Dispatch
import Engine
import Foundation

/// Reads commands from a pipe or file: plain lines, no prompts, no escape codes, so scripts and
/// here-documents work (`printf 'k\nq\n' | xcdb -z a.dmp`).
struct PlainInputLoop {
    let router: ConsoleLineRouter

    func run() -> Int32 {
        let interrupts = InterruptForwarder(session: router.session)
        defer { interrupts.stop() }
        while let line = readLine(strippingNewline: true) {
            if router.run(line) == .quit { return 0 }
        }
        return 0
    }
}

/// Turns SIGINT into the session's interrupt flag, so Ctrl-C stops a long command instead of
/// killing the debugger.
final class InterruptForwarder {
    private let source: any DispatchSourceSignal

    init(session: Session) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { session.interrupt.raise() }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
