import DumpTargets
import Engine
import ExampleDump
import Foundation
import PEFormat
import Synchronization
import TestSupport

/// The committed example program, its symbols, and one shared run of it.
enum Example {
    static let executable = Corpus.projectRoot.appendingPathComponent(
        "Examples/bin/crashdemo.exe"
    ).path
    static let symbolStore = Corpus.projectRoot.appendingPathComponent("Examples/bin/symbols").path

    /// The emulator the example runs under, as a test requirement (see `Peers`).
    static let unicorn = Peer("libunicorn (apt-get install libunicorn-dev)") {
        ExampleCrash.emulatorAvailable
    }

    /// The call chain the program's source makes, outermost last (as `k` lists it).
    static let expectedChain = [
        "reserve_stock", "apply_order", "process_orders", "main", "mainCRTStartup",
    ]

    /// One run, shared: the emulation is deterministic (a test checks it).
    static let run = Result { () throws(ExampleError) in
        try ExampleCrash.record(executable: executable)
    }

    static func crash() throws -> ExampleCrash { try run.get() }

    static func image() throws -> PEImage { try PEImage(contentsOfFile: executable) }

    /// Writes the run's dump to a fresh temporary file for `body`, then removes it.
    static func withDumpFile<R>(_ body: (String) throws -> R) throws -> R {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-example-\(UUID().uuidString).dmp").path
        try crash().minidump().write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// `00000001`40001174`, as CDB prints 64-bit addresses.
    static func split64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        return padded.prefix(8) + "`" + padded.dropFirst(8)
    }

    /// A hex number as CDB prints it, backticks allowed.
    static func number(_ text: Substring) -> UInt64? {
        UInt64(text.filter { $0 != "`" }, radix: 16)
    }
}

/// The committed Breakpad symbol file of the example, parsed just enough to name addresses.
struct ExampleSymbols {
    struct Function: Equatable {
        var rva: UInt32
        var size: UInt32
        var name: String
    }

    let path: String
    let text: String
    let lines: [Substring]
    let functions: [Function]

    init() throws {
        let image = try Example.image()
        guard let codeView = try image.codeView() else { throw Failure("no CodeView record") }
        let debugFile = codeView.pdbPath
        path =
            "\(Example.symbolStore)/\(debugFile)/\(codeView.symbolServerIdentifier)/"
            + "\(debugFile.dropLast(4)).sym"
        text = try String(contentsOfFile: path, encoding: .utf8)
        lines = text.split(separator: "\n")
        functions = lines.filter { $0.hasPrefix("FUNC ") }.compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 4)
            guard fields.count == 5, let rva = UInt32(fields[1], radix: 16),
                let size = UInt32(fields[2], radix: 16)
            else { return nil }
            return Function(rva: rva, size: size, name: String(fields[4]))
        }
    }

    /// The function holding `address` of the image loaded at `base`, and the offset into it.
    func function(at address: UInt64, base: UInt64) -> (name: String, offset: UInt64)? {
        guard address >= base else { return nil }
        let rva = address - base
        guard
            let function = functions.first(where: {
                rva >= UInt64($0.rva) && rva < UInt64($0.rva) + UInt64($0.size)
            })
        else { return nil }
        return (function.name, rva - UInt64(function.rva))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The example's sessions: the shared `DumpSession`, with the example's symbols by default.
typealias ExampleSession = DumpSession

extension DumpSession {
    convenience init(dump path: String, symbolPath: String? = Example.symbolStore) {
        self.init(path: path, symbolPath: symbolPath)
    }
}
