import Foundation

/// The independent tools tests read dumps with: the `minidump` Python package and lldb-19.
public enum ExternalTools {
    /// What a tool printed (standard output and error together) and how it ended.
    public struct Output: Sendable {
        public let status: Int32
        public let text: String
    }

    public static let pythonMinidumpAvailable =
        run("/usr/bin/env", ["python3", "-c", "import minidump"])?.status == 0
    public static let lldbAvailable = run("/usr/bin/env", ["lldb-19", "--version"])?.status == 0

    /// Where LLVM and other tools are looked for: `XCDB_LLVM_BIN`, the Swift toolchain, LLVM 19,
    /// then `PATH`.
    public static let searchPath: [String] = {
        var directories: [String] = []
        if let override = ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] {
            directories.append(override)
        }
        directories += ["/opt/swift/usr/bin", "/usr/lib/llvm-19/bin", "/usr/bin", "/usr/local/bin"]
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            directories += path.split(separator: ":").map(String.init)
        }
        return directories
    }()

    /// The full path of a tool found on `searchPath`, or nil.
    public static func find(_ name: String) -> String? {
        searchPath.map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a tool to completion; nil when it cannot be started.
    public static func run(_ executable: String, _ arguments: [String]) -> Output? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }
}
