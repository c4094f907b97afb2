import FoundationEssentials
import Glibc
import LineEditor
import Remote

/// However the debugger ends, its shared sessions' socket and registry files go with it: `q`
/// and `qq` shut the sharing service down; `exit` and the signals below remove the files
/// (`ExitCleanup`) and tell the participants before the process dies of the signal.
enum ExitPaths {
    /// SIGTERM and SIGHUP end the process cleanly once it shares a session (the sharing
    /// machinery takes them over then), telling the participants first; SIGINT does whenever no
    /// prompt or command owns Ctrl-C (start-up, `-noio`, after the console's input ended).
    static func install(sharing: SharingService) {
        TerminationSignals.beforeExit { sharing.shutdown() }
        ctrlCEndsTheProcess()
    }

    /// Ctrl-C ends the process, cleanly (the console loops take it over while they read and
    /// hand it back with this).
    static func ctrlCEndsTheProcess() {
        TerminationSignals.unblock([SIGINT])
        try? InterruptHandler.install { TerminationSignals.terminate(by: SIGINT) }
    }
}
