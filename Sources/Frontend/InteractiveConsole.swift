import Engine
import Foundation

/// The interactive console: prompt, read a line, run it, until `q` or Ctrl-D.
struct InteractiveConsole {
    let session: Session
    let programName: String

    func run() -> Int32 {
        let interrupts = InterruptForwarder(session: session)
        defer { interrupts.stop() }
        while true {
            StandardOutputWriter().write(session.prompt)
            guard let line = readLine(strippingNewline: true) else { return 0 }
            if session.execute(line, from: .console, echo: true) == .quit { return 0 }
        }
    }
}
