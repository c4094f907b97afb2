import Dispatch

/// Owns a session's `DebuggerState` (and through it the target). An actor whose executor is
/// the session's serial queue: `Session` enters it with `assumeIsolated` from code it runs on
/// that queue, and the runtime checks that it is there. `DebuggerState` is not `Sendable`, so
/// the compiler refuses to let it, or anything holding it, cross to another thread.
actor SessionCore {
    nonisolated let executor: QueueExecutor
    let state: DebuggerState

    nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    init(queue: DispatchQueue, state: sending DebuggerState) {
        self.executor = QueueExecutor(queue: queue)
        self.state = state
    }
}
