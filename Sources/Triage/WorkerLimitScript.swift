/// The limits a worker runs under. The triage starts each worker through `/bin/sh -c SCRIPT`,
/// where SCRIPT sets them with `ulimit` and then execs the worker, so they hold from the
/// worker's first instruction (a spawned process cannot be limited from outside before it
/// runs) at the cost of a shell's start (about a millisecond).
enum WorkerLimitScript {
    /// The `/bin/sh -c` script: `$0` is the worker, `"$@"` its arguments. The soft CPU limit
    /// sends SIGXCPU, the hard one a second later SIGKILL (the soft one is set first: a hard
    /// limit below the current soft one is refused); `-v` is KiB, `-f` 512-byte blocks.
    static func shellScript(_ limits: WorkerPool.Limits) -> String {
        let blocks = maximumOutputBytes / 512
        return "ulimit -c 0 && ulimit -f \(blocks) && ulimit -v \(limits.memoryMiB * 1024)"
            + " && ulimit -S -t \(limits.cpuSeconds) && ulimit -H -t \(limits.cpuSeconds + 1)"
            + " || exit 126; exec \"$0\" \"$@\""
    }

    /// Largest output a worker may write (RLIMIT_FSIZE): a hostile dump cannot fill the disk.
    static let maximumOutputBytes: UInt64 = 1 << 30
}
