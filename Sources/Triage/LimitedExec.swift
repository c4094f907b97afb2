import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The limits a worker runs under. The triage starts each worker through `/bin/sh -c SCRIPT`,
/// where SCRIPT sets them with `ulimit` and then execs the worker, so they hold from the
/// worker's first instruction (a spawned process cannot be limited from outside before it
/// runs) at the cost of a shell's start (about a millisecond). `xcdb-triage --exec-limited`
/// does the same from Swift for systems without a POSIX shell.
public enum LimitedExec {
    /// The `/bin/sh -c` script: `$0` is the worker, `"$@"` its arguments. The soft CPU limit
    /// sends SIGXCPU, the hard one a second later SIGKILL (the soft one is set first: a hard
    /// limit below the current soft one is refused); `-v` is KiB, `-f` 512-byte blocks.
    static func shellScript(_ limits: WorkerPool.Limits) -> String {
        let blocks = maximumOutputBytes / 512
        return "ulimit -c 0 && ulimit -f \(blocks) && ulimit -v \(limits.memoryMiB * 1024)"
            + " && ulimit -S -t \(limits.cpuSeconds) && ulimit -H -t \(limits.cpuSeconds + 1)"
            + " || exit 126; exec \"$0\" \"$@\""
    }

    /// The hidden option that selects this mode.
    public static let option = "--exec-limited"

    /// Largest output a worker may write (RLIMIT_FSIZE): a hostile dump cannot fill the disk.
    static let maximumOutputBytes: UInt64 = 1 << 30

    /// Applies the limits and execs; returns only on failure, with the exit status to use.
    public static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 3, let cpuSeconds = UInt64(arguments[0]),
            let memoryMiB = UInt64(arguments[1]), memoryMiB < 1 << 40
        else {
            StandardStream.errorLine("xcdb-triage: \(option) CPU-SECONDS MiB PROGRAM [ARGS...]")
            return 127
        }
        // The soft CPU limit sends SIGXCPU; the hard one a second later SIGKILL.
        guard limit(RLIMIT_CPU, soft: cpuSeconds, hard: cpuSeconds + 1),
            limit(RLIMIT_AS, soft: memoryMiB << 20, hard: memoryMiB << 20),
            limit(RLIMIT_FSIZE, soft: maximumOutputBytes, hard: maximumOutputBytes),
            limit(RLIMIT_CORE, soft: 0, hard: 0)
        else {
            StandardStream.errorLine("xcdb-triage: cannot set the worker's limits: errno \(errno)")
            return 127
        }
        let program = arguments[2]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments[2...].map { strdup($0) }
        argv.append(nil)
        if program.contains("/") {
            execv(program, argv)
        } else {
            execvp(program, argv)
        }
        StandardStream.errorLine("xcdb-triage: cannot run \(program): errno \(errno)")
        return 127
    }

    #if canImport(Glibc)
        private static func limit(_ resource: __rlimit_resource, soft: UInt64, hard: UInt64)
            -> Bool
        {
            var value = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
            return setrlimit(__rlimit_resource_t(resource.rawValue), &value) == 0
        }
    #else
        private static func limit(_ resource: Int32, soft: UInt64, hard: UInt64) -> Bool {
            var value = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
            return setrlimit(resource, &value) == 0
        }
    #endif
}

extension StandardStream {
    static func errorLine(_ text: String) {
        error(text + "\n")
    }
}
