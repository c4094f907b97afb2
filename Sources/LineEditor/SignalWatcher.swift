import CLibEdit
import FoundationEssentials
import Glibc
import HostSystem
import Synchronization

/// Turns signals into ordinary Swift calls. The C handler (in the CLibEdit shim) only writes
/// the signal number to a pipe; a private watcher thread reads the pipe and acts:
///
/// * SIGINT: calls the handler given to `InterruptHandler.install(_:)`;
/// * SIGWINCH: asks every live editor to pick up the new terminal size;
/// * SIGCONT: asks every live editor to set its editing mode again after a stop (`fg`).
///
/// Signal handlers are process-wide, so there is one watcher per process. All uses of the
/// shim's signal functions are in this file (see the note in shim.h).
final class SignalWatcher: Sendable {
    private struct State {
        var interruptHandler: (@Sendable () -> Void)?
        var previousInterruptAction: sigaction?
        var mailboxes: [ObjectIdentifier: EditorMailbox] = [:]
        var terminalSignalsInstalled = false
    }

    private let readFD: Int32
    private let state = Mutex(State())

    private static let instance = Mutex<SignalWatcher?>(nil)

    /// The process's watcher, started on first use.
    static func shared() throws(LineEditorError) -> SignalWatcher {
        try instance.withLock { (instance) throws(LineEditorError) -> SignalWatcher in
            if let instance { return instance }
            let watcher = try SignalWatcher()
            instance = watcher
            return watcher
        }
    }

    private init() throws(LineEditorError) {
        let pipe = try FileDescriptorIO.makePipe()
        readFD = pipe.read
        xcdb_set_signal_pipe(pipe.write)
        DetachedThread.start(name: "xcdb-signals") { [self] in run() }
    }

    // The watcher lives for the rest of the process; its pipe is never closed.

    /// Editors register so they hear about SIGWINCH and SIGCONT.
    func register(_ mailbox: EditorMailbox) throws(LineEditorError) {
        try state.withLock { (state) throws(LineEditorError) in
            if !state.terminalSignalsInstalled {
                for signal in [SIGWINCH, SIGCONT]
                where xcdb_install_signal_handler(signal, nil) != 0 {
                    throw .system("cannot install a handler for signal \(signal)")
                }
                state.terminalSignalsInstalled = true
            }
            state.mailboxes[ObjectIdentifier(mailbox)] = mailbox
        }
    }

    func unregister(_ mailbox: EditorMailbox) {
        _ = state.withLock { $0.mailboxes.removeValue(forKey: ObjectIdentifier(mailbox)) }
    }

    /// Routes SIGINT to `handler` (nil: restore the disposition from before).
    func setInterruptHandler(_ handler: (@Sendable () -> Void)?) throws(LineEditorError) {
        try state.withLock { (state) throws(LineEditorError) in
            if let handler {
                if state.previousInterruptAction == nil {
                    var previous = sigaction()
                    guard xcdb_install_signal_handler(SIGINT, &previous) == 0 else {
                        throw .system("cannot install a handler for SIGINT")
                    }
                    state.previousInterruptAction = previous
                }
                state.interruptHandler = handler
            } else {
                if var previous = state.previousInterruptAction {
                    _ = xcdb_restore_signal_handler(SIGINT, &previous)
                    state.previousInterruptAction = nil
                }
                state.interruptHandler = nil
            }
        }
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            var descriptor = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, -1) >= 0 || errno == EINTR else { return }
            let count = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            for signal in buffer[0..<count] {
                deliver(Int32(signal))
            }
        }
    }

    private func deliver(_ signal: Int32) {
        switch signal {
        case SIGINT:
            let handler = state.withLock { $0.interruptHandler }
            handler?()
        case SIGWINCH, SIGCONT:
            let mailboxes = state.withLock { Array($0.mailboxes.values) }
            for mailbox in mailboxes {
                mailbox.post(signal == SIGWINCH ? .resize : .resetTerminal)
            }
        default:
            break
        }
    }
}
