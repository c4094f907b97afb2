import Foundation
import TestSupport
import Testing

/// Stacks compared with Breakpad's own reference output where the corpus has one.
@Suite(.requires(.corpus)) struct StackwalkReferenceTests {
    struct ReferenceFrame {
        var eip: UInt64
        var esp: UInt64?
        var ebp: UInt64?
        var function: String
    }

    /// Frames of the crashed thread from a `minidump_stackwalk` text output.
    static func referenceFrames(_ text: String) -> [ReferenceFrame] {
        var frames: [ReferenceFrame] = []
        var inCrashed = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Thread ") { inCrashed = line.contains("(crashed)") }
            guard inCrashed else { continue }
            let trimmed = line.drop { $0 == " " }
            if let first = trimmed.split(separator: " ").first, Int(first) != nil,
                let bang = trimmed.firstIndex(of: "!")
            {
                let name = trimmed[trimmed.index(after: bang)...].prefix { $0 != "[" && $0 != "+" }
                frames.append(ReferenceFrame(eip: 0, function: name.trimmingWhitespace()))
            }
            for (key, value) in Self.pairs(trimmed) where !frames.isEmpty {
                switch key {
                case "eip": frames[frames.count - 1].eip = value
                case "esp": frames[frames.count - 1].esp = value
                case "ebp": frames[frames.count - 1].ebp = value
                default: break
                }
            }
        }
        return frames
    }

    static func pairs(_ line: Substring) -> [(String, UInt64)] {
        let words = line.split(separator: " ")
        var result: [(String, UInt64)] = []
        var index = 0
        while index + 2 < words.count {
            if words[index + 1] == "=", let value = oracleNumber(String(words[index + 2])) {
                result.append((String(words[index]), value))
                index += 3
            } else {
                index += 1
            }
        }
        return result
    }

    @Test func x86BreakpadDumpMatchesMinidumpStackwalk() throws {
        let reference = try String(
            contentsOf: Corpus.companions.appendingPathComponent(
                "win-x86-xpsp2-breakpad-minidump2.breakpad-stackwalk.out"), encoding: .utf8)
        let expected = Self.referenceFrames(reference)
        try #require(expected.count >= 4)
        let session = DumpSession("win-x86-xpsp2-breakpad-minidump2.dmp")
        _ = session.run(".ecxr")
        let lines = session.run("k")
        // Rows: `NN ChildEBP RetAddr Call Site`; frame N's RetAddr is frame N+1's eip.
        let rows = lines.dropFirst(2).map { $0.split(separator: " ", maxSplits: 3) }
        try #require(rows.count >= expected.count, "\(lines)")
        for (index, frame) in expected.enumerated() {
            let row = rows[index]
            #expect(UInt64(row[1], radix: 16) == frame.ebp, "frame \(index) ebp")
            #expect(
                row[3].contains(frame.function), "frame \(index): \(row[3]) vs \(frame.function)")
            if index + 1 < expected.count {
                #expect(
                    UInt64(row[2], radix: 16) == expected[index + 1].eip, "frame \(index) return")
            }
        }
    }
}
