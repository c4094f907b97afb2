import Foundation
import TestSupport

/// llvm-pdbutil's `dump` output, read into records: each starts with `ID | KIND [size = N]`
/// (and a name in backquotes) and goes on with indented lines.
struct PDBUtilDump {
    struct Record {
        var id: String
        var kind: String
        var name: String?
        var body: String
        /// The `Mod NNNN` the record was listed under (symbols and lines dumps).
        var module: Int?

        /// The first capture of `pattern` in the body.
        func field(_ pattern: String) -> String? {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                let match = regex.firstMatch(
                    in: body, range: NSRange(body.startIndex..., in: body)),
                match.numberOfRanges > 1, let range = Range(match.range(at: 1), in: body)
            else { return nil }
            return String(body[range])
        }

        func hex(_ pattern: String) -> UInt32? {
            field(pattern).flatMap {
                UInt32($0.replacingOccurrences(of: "0x", with: ""), radix: 16)
            }
        }

        func number(_ pattern: String) -> Int? { field(pattern).flatMap { Int($0) } }

        /// `SSSS:OOOO` (section and decimal offset) after `addr = ` or `range start = `.
        func address(_ label: String = "addr") -> (UInt16, UInt32)? {
            guard let text = field(label + #" = (\d{4}:\d+)"#) else { return nil }
            let parts = text.split(separator: ":")
            guard parts.count == 2, let section = UInt16(parts[0]), let offset = UInt32(parts[1])
            else {
                return nil
            }
            return (section, offset)
        }
    }

    let records: [Record]

    init(_ arguments: [String]) throws {
        let text = try PDBPrograms.pdbutil(arguments)
        let header = try NSRegularExpression(
            pattern: #"^\s*(0x[0-9A-F]+|\d+) \| (\w+) \[size = \d+\](?: `(.*)`)?"#)
        let moduleHeader = try NSRegularExpression(pattern: #"^\s*Mod (\d{4}) \|"#)
        var records: [Record] = []
        var module: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let range = NSRange(line.startIndex..., in: line)
            if let match = moduleHeader.firstMatch(in: line, range: range),
                let number = Range(match.range(at: 1), in: line)
            {
                module = Int(line[number])
                continue
            }
            if let match = header.firstMatch(in: line, range: range) {
                func group(_ index: Int) -> String? {
                    Range(match.range(at: index), in: line).map { String(line[$0]) }
                }
                records.append(
                    Record(
                        id: group(1) ?? "", kind: group(2) ?? "", name: group(3), body: "",
                        module: module))
            } else if !records.isEmpty {
                records[records.count - 1].body += line + "\n"
            }
        }
        self.records = records
    }

    func records(_ kinds: String...) -> [Record] {
        records.filter { kinds.contains($0.kind) }
    }
}

/// `dump -section-headers`: the virtual address of each section, in order.
func sectionAddresses(_ pdb: String) throws -> [UInt32] {
    let text = try PDBPrograms.pdbutil(["dump", "-section-headers", pdb])
    return text.split(separator: "\n").compactMap { line in
        let words = line.split(separator: " ")
        guard words.count == 3, words[1] == "virtual", words[2] == "address" else { return nil }
        return UInt32(words[0], radix: 16)
    }
}

/// `dump -l`: every (section, offset, line, file) entry of the line tables.
func lineEntries(_ pdb: String) throws -> [(
    section: UInt16, offset: UInt32, line: Int, file: String, module: Int
)] {
    let text = try PDBPrograms.pdbutil(["dump", "-l", pdb])
    var result: [(UInt16, UInt32, Int, String, Int)] = []
    var file = ""
    var section: UInt16 = 0
    var module = -1
    let block = try NSRegularExpression(
        pattern: #"^\s+([0-9A-F]{4}):([0-9A-F]{8})-[0-9A-F]{8}, line/addr entries"#)
    for line in text.split(separator: "\n").map(String.init) {
        let range = NSRange(line.startIndex..., in: line)
        if line.hasPrefix("Mod "), let number = Int(line.dropFirst(4).prefix(4)) {
            module = number
            continue
        }
        if line.contains("(MD5:") || line.contains("(SHA1:") || line.contains("(SHA256:")
            || line.hasSuffix("(None)")
        {
            file = String(
                line[..<(line.range(of: " (", options: .backwards)?.lowerBound ?? line.endIndex)])
            continue
        }
        if let match = block.firstMatch(in: line, range: range),
            let sectionText = Range(match.range(at: 1), in: line)
        {
            section = UInt16(line[sectionText], radix: 16) ?? 0
            continue
        }
        // `!` marks a statement boundary after an entry.
        let words = line.split(separator: " ").filter { $0 != "!" }
        guard words.count >= 2, words.count % 2 == 0,
            words.allSatisfy({ $0.allSatisfy(\.isHexDigit) })
        else { continue }
        for pair in stride(from: 0, to: words.count, by: 2) {
            guard let number = Int(words[pair]), let offset = UInt32(words[pair + 1], radix: 16)
            else {
                continue
            }
            result.append((section, offset, number, file, module))
        }
    }
    return result
}
