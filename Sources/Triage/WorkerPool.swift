#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one worker process per dump, at most `jobs` at once, each under the limits of
/// `WorkerLimitScript` (set by `/bin/sh`'s `ulimit` before it execs the worker) and a wall-clock
/// deadline after which it is killed. Single-threaded: it
/// polls `waitpid` and the deadlines, so there is nothing to synchronise.
final class WorkerPool {
    struct Limits {
        var timeoutSeconds: Int
        var cpuSeconds: Int
        var memoryMiB: Int
    }

    /// How one worker ended.
    struct Finished {
        var dump: String
        /// Its standard output (the JSON document), at most `maximumDocumentBytes`.
        var output: [UInt8]
        /// The start of its standard error, for error messages.
        var errorText: String
        var status: Int32
        var timedOut: Bool
    }

    /// Documents longer than this are refused (the worker's output is capped anyway).
    static let maximumDocumentBytes = 256 << 20

    private struct Running {
        var dump: String
        var outputPath: String
        var errorPath: String
        var deadline: Double
        var timedOut = false
    }

    private let workerPath: String
    private let workerArguments: [String]
    private let limits: Limits
    private let jobs: Int
    private let scratch: String
    private var running: [pid_t: Running] = [:]
    private var nextID = 0

    init(
        workerPath: String, workerArguments: [String], limits: Limits, jobs: Int
    ) throws(TriageError) {
        self.workerPath = workerPath
        self.workerArguments = workerArguments
        self.limits = limits
        self.jobs = max(1, jobs)
        var template = Array("/tmp/xcdb-triage-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TriageError("cannot make a scratch directory in /tmp: errno \(errno)")
        }
        scratch = String(cString: made)
    }

    deinit {
        rmdir(scratch)
    }

    /// Runs every dump, calling `finished` for each as it ends (in completion order).
    func run(_ dumps: [String], finished: (Finished) -> Void) {
        var pending = dumps[...]
        while !pending.isEmpty || !running.isEmpty {
            while running.count < jobs, let dump = pending.first {
                pending = pending.dropFirst()
                if let failure = start(dump) { finished(failure) }
            }
            if let done = reapOne() {
                finished(done)
                continue
            }
            enforceDeadlines()
            usleep(2_000)
        }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Starts a worker; returns a finished record straight away when it cannot be started.
    private func start(_ dump: String) -> Finished? {
        nextID += 1
        let outputPath = "\(scratch)/\(nextID).json"
        let errorPath = "\(scratch)/\(nextID).err"
        let arguments =
            [
                "/bin/sh", "-c", WorkerLimitScript.shellScript(limits), workerPath, "-z", dump,
                "-json",
            ]
            + workerArguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(
            &actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ)
        guard result == 0 else {
            return Finished(
                dump: dump, output: [], errorText: "cannot start a worker: errno \(result)",
                status: -1, timedOut: false)
        }
        running[pid] = Running(
            dump: dump, outputPath: outputPath, errorPath: errorPath,
            deadline: Self.now() + Double(limits.timeoutSeconds))
        return nil
    }

    private func reapOne() -> Finished? {
        var status: Int32 = 0
        let pid = waitpid(-1, &status, WNOHANG)
        guard pid > 0, let worker = running.removeValue(forKey: pid) else { return nil }
        defer {
            unlink(worker.outputPath)
            unlink(worker.errorPath)
        }
        return Finished(
            dump: worker.dump,
            output: Self.read(worker.outputPath, limit: Self.maximumDocumentBytes),
            errorText: String(
                decoding: Self.read(worker.errorPath, limit: 4096), as: UTF8.self),
            status: status, timedOut: worker.timedOut)
    }

    private func enforceDeadlines() {
        let now = Self.now()
        for (pid, worker) in running where !worker.timedOut && now > worker.deadline {
            kill(pid, SIGKILL)
            running[pid]?.timedOut = true
        }
    }

    /// Up to `limit` bytes of a file.
    private static func read(_ path: String, limit: Int) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes {
                systemRead(descriptor, $0.baseAddress, min($0.count, limit - bytes.count))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return bytes
    }
}

/// A triage failure that stops the run (not a dump's failure, which becomes a line).
public struct TriageError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

#if canImport(Glibc)
    private let systemRead = Glibc.read
#else
    private let systemRead = Darwin.read
#endif
