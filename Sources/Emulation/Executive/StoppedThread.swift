/// A thread the debugger must decide about: it is stopped in an exception, or in a call to an
/// import nobody implements.
struct StoppedThread {
    /// Where an exception came from, which decides what "handled" and "not handled" do.
    enum Origin: Equatable {
        /// A CPU fault or trap (or a breakpoint instruction).
        case fault
        /// `NtRaiseException(record, context, FirstChance)`: `context` is where the program
        /// continues when it is handled.
        case raise(firstChance: Bool)
        /// `__fastfail`: not continuable.
        case fastFail
    }

    enum Reason {
        case exception(ExceptionInfo, context: ThreadContext, origin: Origin)
        case unimplementedImport(ImportStubs.Stub)
    }

    let threadID: UInt32
    let reason: Reason
}
