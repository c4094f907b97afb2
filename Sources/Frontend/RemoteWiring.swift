import Engine
import FoundationEssentials
import Glibc
import Remote
import Synchronization

/// Connects a debugger session to the network sharing machinery (`.remote`, `.server`,
/// `-server`) and cleans up its sockets when the debugger exits.
enum RemoteWiring {
    /// Puts a `SharingService` into the session. A participant's `qq` ends the process.
    static func install(in session: Session, programName: String) -> SharingService {
        let holder = ServiceHolder()
        let service = SharingService(session: session, programName: programName) {
            holder.service?.shutdown()
            StandardStream.output("quit:\n")
            exit(0)
        }
        holder.service = service
        session.withState { $0.sharing = service }
        return service
    }

    /// `-server TRANSPORT`: starts the server as the session's first act. False (after the
    /// error was shown) when it cannot start.
    static func startServer(_ transport: String, in session: Session) -> Bool {
        let before = session.withState { $0.sharing?.serverListing().count ?? 0 }
        session.execute(".server \(transport)", from: .startup, echo: false)
        return session.withState { $0.sharing?.serverListing().count ?? 0 } > before
    }
}

/// Lets the quit closure reach the service it belongs to.
private final class ServiceHolder: @unchecked Sendable {
    // Written once before any participant can connect.
    var service: SharingService?
}

/// The console's input goes through here: remote.exe's `@` session commands go to the sharing
/// service, everything else to the session.
struct ConsoleLineRouter {
    let session: Session
    let sharing: SharingService?
    let writer: any ConsoleWriter

    private let quit = QuitFlag()

    /// Runs one console line; returns what the session says about continuing.
    func run(_ line: String) -> LineOutcome {
        if let sharing, let lines = sharing.consoleSessionCommand(line) {
            for text in lines { writer.write(text + "\n") }
            return .proceed
        }
        let outcome = session.execute(line, from: .console, echo: true)
        if outcome == .quit { quit.set() }
        return outcome
    }

    /// True once a console command quit (as opposed to the console input ending).
    var quitRequested: Bool { quit.isSet }
}

/// Remembers that `q` was typed.
private final class QuitFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
