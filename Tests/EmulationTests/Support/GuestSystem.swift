import Foundation
import Synchronization
import TestSupport

/// The system DLLs the project builds (`Guest/bin`) and the guest programs (`Guest/programs`),
/// for the tests that run real Windows programs. `XCDB_GUEST_ROOT` (the `Guest` folder) and
/// `XCDB_GUEST_BIN` override where they are; missing DLLs or compilers fail the tests.
enum GuestSystem {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static var root: String {
        ProcessInfo.processInfo.environment["XCDB_GUEST_ROOT"]
            ?? Corpus.projectRoot.appendingPathComponent("Guest").path
    }

    static var bin: String {
        ProcessInfo.processInfo.environment["XCDB_GUEST_BIN"] ?? root + "/bin"
    }

    /// The DLL folder, checked.
    static func dlls() throws(Missing) -> String {
        for name in ["ntdll.dll", "kernel32.dll", "msvcrt.dll"] {
            guard FileManager.default.fileExists(atPath: bin + "/" + name) else {
                throw Missing(
                    description: "\(bin)/\(name) is missing: build Guest/build.sh, or point "
                        + "XCDB_GUEST_BIN at the system DLLs")
            }
        }
        return bin
    }

    /// The built test programs of `Guest/programs` (once per test process, for every suite).
    static func programs() throws -> String {
        _ = try dlls()
        return try GuestPrograms.folder()
    }

    /// Runs a native program in a fresh folder: its standard output and exit status (128 +
    /// signal when killed).
    static func runNative(_ path: String) throws -> (output: String, status: Int32) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-native-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        return (String(decoding: data, as: UTF8.self), status)
    }
}
