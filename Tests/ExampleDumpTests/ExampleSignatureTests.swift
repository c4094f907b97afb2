import Engine
import Foundation
import TestSupport
import Testing

/// The same crash at different load addresses (the example program moved as ASLR would, by
/// `xcdb-example dump --load-base`) has one crash signature, with symbols and without.
@Suite(.requires(Example.unicorn))
struct ExampleSignatureTests {
    let generator = Products.path("xcdb-example")
    let xcdb = Products.path("xcdb")

    /// The JSON analysis of the example's dump made at `base` (nil: the preferred base).
    func analysis(loadBase base: String?, symbols: Bool, in directory: URL) throws -> JSONValue {
        let dump = directory.appendingPathComponent("crash-\(base ?? "preferred").dmp").path
        if !FileManager.default.fileExists(atPath: dump) {
            let made = try runProcess(
                generator,
                ["dump", Example.executable, dump] + (base.map { ["--load-base", $0] } ?? []))
            #expect(made.status == 0, "\(made.stderr)")
        }
        let result = try runProcess(
            xcdb, ["-z", dump, "-json"] + (symbols ? ["-y", Example.symbolStore] : []),
            timeout: 120)
        #expect(result.status == 0, "\(result.stdout)")
        return try JSONParser.parse(result.stdout)
    }

    @Test(arguments: [true, false])
    func signatureIsTheSameAtEveryLoadBase(symbols: Bool) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("xcdb-signature-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let documents = try [nil, "0x7ff6a1230000", "0x2a0000"].map {
            try analysis(loadBase: $0, symbols: symbols, in: directory)
        }
        // The dumps really differ: the module and the faulting instruction moved.
        let bases = documents.map { $0["modules"]?.arrayValue?.first?["base"] }
        #expect(Set(bases.compactMap { $0?.stringValue }).count == 3)
        let addresses = documents.map { $0["exception"]?["address"]?.stringValue }
        #expect(Set(addresses.compactMap { $0 }).count == 3)
        // The signature does not.
        let signatures = documents.map { $0["signature"] }
        #expect(signatures[0] != nil && signatures[0] != .null)
        #expect(signatures.allSatisfy { $0 == signatures[0] }, "\(signatures)")
        let frames = signatures[0]?["frames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if symbols {
            #expect(frames == Example.expectedChain.map { "crashdemo!\($0)" })
        } else {
            #expect(frames.count == Example.expectedChain.count)
            #expect(frames.allSatisfy { $0.hasPrefix("crashdemo+0x") })
        }
        #expect(signatures[0]?["exception"] == .string("c0000005 NULL_POINTER_WRITE"))
    }

    @Test func badLoadBasesAreRefused() throws {
        for base in ["0x12345", "nonsense", "0xffffffffffff0000"] {
            let result = try runProcess(
                generator,
                ["dump", Example.executable, "/nonexistent/out.dmp", "--load-base", base])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("xcdb-example: "), "\(result.stderr)")
        }
    }
}
