import Foundation
import Synchronization
import TestSupport

/// Builds the small Windows programs and DLLs the emulation tests run, from the C and
/// definition files under `Tests/EmulationPrograms`, with the toolchain's clang-cl and
/// lld-link (no Windows SDK or CRT: the programs make system calls themselves). Each test
/// process builds once, into a temporary folder; a missing tool makes the tests fail.
enum GuestBuild {
    static let tools = ProcessInfo.processInfo.environment["XCDB_LLVM_BIN"] ?? "/opt/swift/usr/bin"
    static let sources = Corpus.projectRoot.appendingPathComponent("Tests/EmulationPrograms")

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Built files by key. The lock is held for a whole build, so concurrent tests asking for
    /// the same file wait for one build instead of racing on the same output.
    private static let built = Mutex<[String: String]>([:])
    private static let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "xcdb-emulation-tests-\(ProcessInfo.processInfo.processIdentifier)"
        ).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Where built files go (one folder per test process).
    static var output: String { folder }

    static func run(_ tool: String, _ arguments: [String]) throws(Failure) {
        let path = tools + "/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(
                description: "\(path) is missing: the emulation tests need the toolchain's \(tool)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            throw Failure(description: "cannot run \(tool): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) failed:\n"
                    + String(decoding: data, as: UTF8.self))
        }
    }

    static func compile(_ source: String) throws(Failure) -> String {
        let object = folder + "/" + (source as NSString).deletingPathExtension + ".obj"
        try run(
            "clang-cl",
            [
                "--target=x86_64-pc-windows-msvc", "/c", "/O1", "/GS-", "/Gs1000000", "/I",
                sources.path, "/Fo" + object, "--", sources.appendingPathComponent(source).path,
            ])
        return object
    }

    /// Builds once per process: `key` names the result; `make` produces it.
    static func once(_ key: String, _ make: () throws(Failure) -> String) throws(Failure) -> String
    {
        try built.withLock { (paths: inout [String: String]) throws(Failure) -> String in
            if let path = paths[key] { return path }
            let path = try make()
            paths[key] = path
            return path
        }
    }

    /// A program from `name.c` (entry `start`), linked with `libraries` (import libraries
    /// built by `dll` or `importLibrary`).
    static func program(_ name: String, libraries: [String] = [], extra: [String] = [])
        throws(Failure) -> String
    {
        try once("exe:" + name + libraries.joined()) { () throws(Failure) -> String in
            let object = try compile(name + ".c")
            let output = folder + "/" + name + ".exe"
            try run(
                "lld-link",
                ["/nodefaultlib", "/subsystem:console", "/entry:start", "/out:" + output, object]
                    + libraries.map { folder + "/" + $0 } + extra)
            return output
        }
    }

    /// A DLL from `name.c` with the exports of `name.def`; its import library is `name.lib`.
    static func dll(
        _ name: String, base: UInt64? = nil, libraries: [String] = [], extra: [String] = []
    )
        throws(Failure) -> String
    {
        try once("dll:" + name) { () throws(Failure) -> String in
            let object = try compile(name + ".c")
            let output = folder + "/" + name + ".dll"
            var arguments = [
                "/nodefaultlib", "/dll", "/noentry",
                "/def:" + sources.appendingPathComponent(name + ".def").path,
                "/out:" + output, object,
            ]
            if let base { arguments.append("/base:0x" + String(base, radix: 16)) }
            try run("lld-link", arguments + libraries.map { folder + "/" + $0 } + extra)
            return output
        }
    }

    /// An import library for a DLL that is never built (`name.def`).
    static func importLibrary(_ name: String) throws(Failure) -> String {
        try once("lib:" + name) { () throws(Failure) -> String in
            let output = folder + "/" + name + ".lib"
            try run(
                "lld-link",
                [
                    "/lib", "/machine:x64",
                    "/def:" + sources.appendingPathComponent(name + ".def").path, "/out:" + output,
                ])
            return output
        }
    }
}

extension GuestBuild {
    /// A program built with Debian's mingw-w64 from `name.c`.
    static func mingw(_ name: String, libraries: [String] = []) throws(Failure) -> String {
        try once("mingw:" + name) { () throws(Failure) -> String in
            let output = folder + "/" + name + "-mingw.exe"
            let compiler = "/usr/bin/x86_64-w64-mingw32-gcc"
            guard FileManager.default.isExecutableFile(atPath: compiler) else {
                throw Failure(description: "\(compiler) is missing: install gcc-mingw-w64-x86-64")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: compiler)
            process.arguments =
                ["-O1", "-o", output, sources.appendingPathComponent(name + ".c").path] + libraries
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do { try process.run() } catch {
                throw Failure(description: "cannot run mingw: \(error)")
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw Failure(
                    description: "mingw failed:\n" + String(decoding: data, as: UTF8.self))
            }
            return output
        }
    }
}
