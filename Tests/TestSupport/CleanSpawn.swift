import Foundation
import Glibc
import Synchronization

/// Runs a helper program (tmux, mostly) and returns its standard output.
///
/// Spawned directly, not with Foundation's `Process`, so the child gets an empty signal mask and
/// default dispositions: test threads block most signals, and a tmux server inheriting that mask
/// cannot work. Spawns are serialized: a pipe made for one call must not leak into a tmux server
/// another thread starts at the same moment (the server would hold it open for ever).
public enum CleanSpawn {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `program` (looked up on PATH) with `arguments`; throws unless it exits 0.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String]) throws -> String {
        let (pid, outputFD) = try spawnLock.withLock { _ in try spawn(program, arguments) }
        defer { close(outputFD) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if count > 0 {
                data += chunk[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")) failed")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static let spawnLock = Mutex(())

    /// Starts the program with its standard output on a new pipe; returns its pid and the read
    /// end.
    private static func spawn(_ program: String, _ arguments: [String]) throws -> (pid_t, Int32) {
        var output: [Int32] = [-1, -1]
        guard pipe(&output) == 0 else { throw Failure(description: "pipe failed") }
        _ = fcntl(output[0], F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, output[0])
        posix_spawn_file_actions_addclose(&actions, output[1])

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }
            .map { "\($0.key)=\($0.value)" }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        close(output[1])
        guard spawned == 0 else {
            close(output[0])
            throw Failure(description: "cannot run \(program)")
        }
        return (pid, output[0])
    }
}
