import Dispatch
import FoundationEssentials
import Glibc
import HostSystem
import Synchronization

/// SIGTERM and SIGHUP (and, where nothing else handles it, SIGINT) end a sharing process the
/// way `q` does: the socket and registry files go first, then participants are told the
/// session is over, then the process dies of the signal as it would have without handlers
/// (so a shell still sees "Terminated").
///
/// A process takes SIGTERM and SIGHUP over only once it shares a session (`sharingStarted()`,
/// called for every new listener): one that never does keeps the default actions and pays
/// nothing at start-up.
public enum TerminationSignals {
    private final class Registry: Sendable {
        struct State {
            var sources: [Int32: any DispatchSourceSignal] = [:]
            var hooks: [@Sendable () -> Void] = []
        }
        let state = Mutex(State())
        let terminating = Atomic<Bool>(false)
    }

    private static let registry = Registry()

    /// `hook` joins the work done before dying of a termination signal (best effort: all
    /// hooks together get two seconds).
    public static func beforeExit(_ hook: @escaping @Sendable () -> Void) {
        registry.state.withLock { $0.hooks.append(hook) }
    }

    /// The process has started sharing a session: SIGTERM and SIGHUP end it cleanly from now on.
    static func sharingStarted() {
        install([SIGTERM, SIGHUP])
    }

    /// Handles `signals` from now on (again for a signal already handled: no change).
    public static func install(_ signals: [Int32]) {
        // A parent may have started us with signals blocked (threads made later inherit it).
        unblock(signals)
        var started: [Int32] = []
        registry.state.withLock { state in
            for signalNumber in signals where state.sources[signalNumber] == nil {
                let source = DispatchSource.makeSignalSource(
                    signal: signalNumber, queue: .global())
                source.setEventHandler { terminate(by: signalNumber) }
                #if !os(Linux)
                    // kqueue reports signals alongside their normal action, which would kill us.
                    signal(signalNumber, SIG_IGN)
                #endif
                source.resume()
                state.sources[signalNumber] = source
                started.append(signalNumber)
            }
        }
        #if os(Linux)
            // libdispatch installs its handler on its own thread; until then the default
            // action would end the process without cleaning up. Wait (briefly) for it.
            for signalNumber in started { waitForHandler(signalNumber) }
        #endif
    }

    /// Cleans up and dies of `signalNumber` (also for callers that caught it themselves, such
    /// as the console's SIGINT handler when no command or prompt owns Ctrl-C).
    public static func terminate(by signalNumber: Int32) -> Never {
        if !registry.terminating.exchange(true, ordering: .acquiringAndReleasing) {
            ExitCleanup.removeFiles()
            let hooks = registry.state.withLock { $0.hooks }
            let done = DispatchSemaphore(value: 0)
            DetachedThread.start(name: "xcdb exit hooks") {
                for hook in hooks { hook() }
                done.signal()
            }
            _ = done.wait(timeout: .now() + 2)
            ExitCleanup.removeFiles()
        }
        signal(signalNumber, SIG_DFL)
        unblock([signalNumber])
        kill(getpid(), signalNumber)
        // Still here (the signal is blocked on every thread): leave as a shell would report it.
        usleep(500_000)
        _exit(128 + signalNumber)
    }

    /// When a termination signal is being handled, waits for it to end the process (so a
    /// thread that finished its own work meanwhile does not exit with a different status).
    public static func waitIfTerminating() {
        guard registry.terminating.load(ordering: .acquiring) else { return }
        while true { pause() }
    }

    /// Unblocks `signals` for the calling thread.
    public static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in signals { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    #if os(Linux)
        private static func waitForHandler(_ signalNumber: Int32) {
            let defaultAction = unsafeBitCast(SIG_DFL, to: Int.self)
            let ignoreAction = unsafeBitCast(SIG_IGN, to: Int.self)
            for _ in 0..<2000 {
                var action = sigaction()
                guard sigaction(signalNumber, nil, &action) == 0 else { return }
                let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
                if handler != defaultAction && handler != ignoreAction { return }
                usleep(500)
            }
        }
    #endif
}
