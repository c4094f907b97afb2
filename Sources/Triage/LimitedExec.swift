import Engine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The worker side of the triage: `xcdb-triage --exec-limited CPU MiB PROGRAM ARGS...` sets
/// its own resource limits and replaces itself with PROGRAM, so the limits hold from the
/// worker's first instruction (a spawned process cannot be limited from outside before it
/// runs). Only the triage itself starts this mode.
public enum LimitedExec {
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
