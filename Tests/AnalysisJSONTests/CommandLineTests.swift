import Engine
import Foundation
import TestSupport
import Testing

/// `process.command_line` of Linux dumps: the arguments Breakpad and Crashpad record from
/// `/proc/PID/cmdline` (stream 0x47670006), read here by a few lines that share no code with
/// xcdb's reader.
@Suite(.requires(.corpus)) struct CommandLineTests {
    static let linuxCommandLineStream: UInt32 = 0x4767_0006

    /// The NUL-separated arguments of the stream, or nil when the dump has none.
    static func recordedArguments(_ path: String) throws -> [String]? {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16
                | Int(bytes[at + 3]) << 24
        }
        guard bytes.count >= 32, bytes.starts(with: Array("MDMP".utf8)) else { return nil }
        let count = u32(8)
        let directory = u32(12)
        for index in 0..<count {
            let entry = directory + 12 * index
            guard entry + 12 <= bytes.count else { return nil }
            guard UInt32(u32(entry)) == linuxCommandLineStream else { continue }
            let size = u32(entry + 4)
            let offset = u32(entry + 8)
            guard offset + size <= bytes.count else { return nil }
            let arguments = bytes[offset..<offset + size].split(
                separator: 0, omittingEmptySubsequences: true
            ).map { String(decoding: $0, as: UTF8.self) }
            return arguments
        }
        return nil
    }

    @Test(arguments: Corpus.allDumps().filter { $0.hasPrefix("linux-") })
    func linuxDumpsGiveTheRecordedCommandLine(name: String) throws {
        let path = Corpus.dump(name)
        let expected = try Self.recordedArguments(path)?.joined(separator: " ")
        let analysed = try AnalysisDocuments.analyse(path)
        let commandLine = analysed.document["process"]?["command_line"]
        if let expected {
            #expect(commandLine == .string(expected))
        } else {
            #expect(commandLine == .null)
        }
    }

    @Test func theCorpusHasLinuxCommandLines() throws {
        // The test above must not pass on dumps that record nothing.
        let recorded = try Corpus.allDumps().filter { $0.hasPrefix("linux-") }.compactMap {
            try Self.recordedArguments(Corpus.dump($0))
        }
        #expect(recorded.count >= 5)
        #expect(recorded.contains(["./null_read_av"]))
    }
}
