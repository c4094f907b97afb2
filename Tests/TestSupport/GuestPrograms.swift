import Foundation
import Synchronization

/// The test programs of `Guest/programs` (native oracles, mingw-w64 and clang-cl builds),
/// built once per test process by `Guest/programs/build.sh` for every suite that runs them
/// (the guest DLLs' own tests, the machine's, the live target's).
public enum GuestPrograms {
    public struct BuildFailure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let built = Mutex<String?>(nil)

    /// The folder holding every built program; builds them on first use.
    public static func folder() throws -> String {
        try built.withLock { (folder: inout String?) throws -> String in
            if let folder { return folder }
            let output = FileManager.default.temporaryDirectory.appendingPathComponent(
                "xcdb-guest-programs-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(
                at: output, withIntermediateDirectories: true)
            let script = Corpus.projectRoot.appendingPathComponent("Guest/programs/build.sh")
            let result = try runProcess("/bin/sh", [script.path, output.path], timeout: 900)
            guard result.status == 0, !result.timedOut else {
                throw BuildFailure(
                    description: "Guest/programs/build.sh failed:\n\(result.stderr)\(result.stdout)"
                )
            }
            folder = output.path
            return output.path
        }
    }
}
