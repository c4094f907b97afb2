import Dispatch

/// A serial executor that runs an actor's jobs on a dispatch queue, so code already on that queue
/// (a `DispatchQueue.async` block, a nested `sync`) can enter the actor with `assumeIsolated`
/// and the runtime checks it really is on the queue.
final class QueueExecutor: SerialExecutor {
    let queue: DispatchQueue

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Called by `assumeIsolated` when the runtime does not know the current executor (plain
    /// dispatch code): being on the queue is being on this executor.
    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
