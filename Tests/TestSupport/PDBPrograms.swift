import Foundation

/// The PDB test program (`Examples/pdb/pdbdemo.cpp`) built with clang-cl and lld-link, once per
/// test process, into a fresh temporary directory: x64 without optimization, x64 optimized,
/// x86. Tests fail (they never skip) when the toolchain is missing.
public enum PDBPrograms {
    public enum Variant: String, CaseIterable, Sendable {
        case x64 = "pdbdemo"
        case optimized = "pdbdemo-opt"
        case x86 = "pdbdemo-x86"
    }

    public struct Build: Sendable {
        public let directory: URL

        public func executable(_ variant: Variant) -> String {
            directory.appendingPathComponent(variant.rawValue + ".exe").path
        }

        public func pdb(_ variant: Variant) -> String {
            directory.appendingPathComponent(variant.rawValue + ".pdb").path
        }
    }

    public struct BuildError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Where clang-cl and lld-link are (`XCDB_LLVM_BIN` overrides the Swift toolchain's).
    public static let toolDirectory =
        ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] ?? "/opt/swift/usr/bin"

    public static let source = Corpus.projectRoot.appendingPathComponent("Examples/pdb/pdbdemo.cpp")

    /// llvm-pdbutil from Debian's llvm-19: the independent reader the tests compare with.
    public static let llvmPDBUtil = "/usr/lib/llvm-19/bin/llvm-pdbutil"
    public static let llvmUndname = "/usr/lib/llvm-19/bin/llvm-undname"

    private static let built = Result { () throws(BuildError) -> Build in try buildAll() }

    /// The built programs, or the reason they could not be built.
    public static func require() throws -> Build { try built.get() }

    private static func buildAll() throws(BuildError) -> Build {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-pdbdemo-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: source, to: directory.appendingPathComponent("pdbdemo.cpp"))
        } catch {
            throw BuildError(description: "cannot prepare \(directory.path): \(error)")
        }
        let common = [
            "/c", "/Z7", "/GS-", "/GR-", "/Gs1000000", "/clang:-mno-stack-arg-probe",
            "/clang:-fdebug-compilation-dir=.",
        ]
        let builds: [(Variant, String, [String], [String])] = [
            (.x64, "x86_64-pc-windows-msvc", ["/Od"], []),
            (.optimized, "x86_64-pc-windows-msvc", ["/O2"], []),
            (.x86, "i686-pc-windows-msvc", ["/Od"], ["/machine:x86"]),
        ]
        for (variant, triple, flags, linkFlags) in builds {
            let name = variant.rawValue
            try run(
                "clang-cl",
                ["--target=\(triple)"] + common + flags + ["/Fo\(name).obj", "--", "pdbdemo.cpp"],
                in: directory)
            try run(
                "lld-link",
                linkFlags + [
                    "/nodefaultlib", "/subsystem:console", "/entry:mainCRTStartup", "/debug",
                    "/pdb:\(name).pdb", "/pdbaltpath:\(name).pdb", "/out:\(name).exe",
                    "\(name).obj",
                ], in: directory)
        }
        // The source is gone after the build, so source commands must find it on .srcpath.
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("pdbdemo.cpp"))
        return Build(directory: directory)
    }

    private static func run(_ tool: String, _ arguments: [String], in directory: URL)
        throws(BuildError)
    {
        let path = (toolDirectory as NSString).appendingPathComponent(tool)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BuildError(
                description: "\(path) is missing: the PDB tests build their program with it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw BuildError(description: "cannot run \(path): \(error)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BuildError(
                description: "\(tool) \(arguments.joined(separator: " ")) failed:\n"
                    + String(decoding: output, as: UTF8.self))
        }
    }

    /// Runs llvm-pdbutil; fails when it is missing or fails.
    public static func pdbutil(_ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: llvmPDBUtil) else {
            throw BuildError(description: "\(llvmPDBUtil) is missing (apt-get install llvm-19)")
        }
        guard let output = ExternalTools.run(llvmPDBUtil, arguments), output.status == 0 else {
            throw BuildError(description: "llvm-pdbutil \(arguments.joined(separator: " ")) failed")
        }
        return output.text
    }
}
