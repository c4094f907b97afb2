import Engine
import Foundation

/// The interactive console: prompt, read a line, run it, until `q` or Ctrl-D.
struct InteractiveConsole {
    let router: ConsoleLineRouter
    let programName: String

    private var session: Session { router.session }

    func run() -> Int32 {
        let interrupts = InterruptForwarder(session: session)
        defer { interrupts.stop() }
        while true {
            StandardOutputWriter().write(session.prompt)
            guard let line = readLine(strippingNewline: true) else { return 0 }
            if router.run(line) == .quit { return 0 }
        }
    }
}
