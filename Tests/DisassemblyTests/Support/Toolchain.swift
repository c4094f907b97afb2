import Foundation
import TestSupport

/// The LLVM tools the cross-checks use: clang to build test code, llvm-objcopy to extract its
/// `.text`, llvm-objdump as the independent decoder. Swift toolchains ship all three.
enum Toolchain {
    static let searchPath: [String] = {
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

    static func find(_ name: String) -> String? {
        searchPath.map { $0 + "/" + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static let clang = find("clang")
    static let objdump = find("llvm-objdump")
    static let objcopy = find("llvm-objcopy")

    /// True when every tool is present.
    static var available: Bool { clang != nil && objdump != nil && objcopy != nil }

    /// The tools as a test requirement (see `Peers`).
    static let peer = Peer("clang, llvm-objdump and llvm-objcopy") { available }

    /// Runs a tool; its standard output, or an error with its standard error.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolError(
                "\(tool) \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct ToolError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// Code built by clang for a test, with llvm-objdump's reading of it.
struct CompiledCode: Sendable {
    /// What was built (for messages).
    let name: String
    /// The `.text` bytes.
    let text: [UInt8]
    /// Address the code is shown at (objdump's `--adjust-vma`).
    let base: UInt64
    /// objdump's instructions, in order.
    let objdump: [ObjdumpInstruction]
    /// Function symbols: name and offset into `text`.
    let functions: [(name: String, offset: Int)]

    /// Compiles `source` (C or, with `.s`, assembly) for `triple` and reads it back.
    static func build(
        name: String, source: String, fileExtension: String, triple: String, flags: [String],
        base: UInt64
    ) throws -> CompiledCode {
        guard let clang = Toolchain.clang, let objdump = Toolchain.objdump,
            let objcopy = Toolchain.objcopy
        else { throw Toolchain.ToolError("LLVM tools not found") }
        let (text, listing) = try cached(
            key: [
                source, fileExtension, triple, flags.joined(separator: " "), String(base), clang,
                objdump,
            ]
        ) { directory in
            let sourceFile = directory.appendingPathComponent("code." + fileExtension).path
            let objectFile = directory.appendingPathComponent("code.o").path
            let textFile = directory.appendingPathComponent("text.bin").path
            try source.write(toFile: sourceFile, atomically: true, encoding: .utf8)
            _ = try Toolchain.run(
                clang,
                [
                    "-c", "-target", triple, "-ffreestanding", "-nostdinc",
                    "-fno-asynchronous-unwind-tables",
                ] + flags + ["-o", objectFile, sourceFile])
            _ = try Toolchain.run(
                objcopy, ["-O", "binary", "--only-section=.text", objectFile, textFile])
            let listing = try Toolchain.run(
                objdump,
                [
                    "-d", "--x86-asm-syntax=intel", "--adjust-vma=0x" + String(base, radix: 16),
                    objectFile,
                ])
            try listing.write(
                to: directory.appendingPathComponent("listing.txt"), atomically: true,
                encoding: .utf8)
        }
        let parsed = ObjdumpInstruction.parse(listing)
        return CompiledCode(
            name: name, text: text, base: base, objdump: parsed.instructions,
            functions: parsed.functions.map { (name: $0.name, offset: Int($0.address - base)) })
    }

    /// Builds into a directory named by a hash of everything that determines the output
    /// (source, flags, tool paths), reusing it on later runs: compiling is most of the test
    /// suite's time otherwise.
    static func cached(
        key: [String], build: (URL) throws -> Void
    ) throws -> (text: [UInt8], listing: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.joined(separator: "\u{1}").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let cacheRoot = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-disasm-samples")
        let directory = cacheRoot.appendingPathComponent(String(hash, radix: 16))
        let textURL = directory.appendingPathComponent("text.bin")
        let listingURL = directory.appendingPathComponent("listing.txt")
        if let text = try? Data(contentsOf: textURL),
            let listing = try? String(contentsOf: listingURL, encoding: .utf8)
        {
            return ([UInt8](text), listing)
        }
        let scratch = cacheRoot.appendingPathComponent("build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try build(scratch)
        let text = try Data(contentsOf: scratch.appendingPathComponent("text.bin"))
        let listing = try String(
            contentsOf: scratch.appendingPathComponent("listing.txt"), encoding: .utf8)
        // Publish complete results only: a rename is atomic, and losing a race is harmless.
        try? FileManager.default.moveItem(at: scratch, to: directory)
        return ([UInt8](text), listing)
    }
}
