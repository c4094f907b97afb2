import Foundation
import TestSupport

@testable import Symbols

/// An independent, deliberately naive reading of a `.sym` file (what `grep -c` and `awk`
/// would give), to check the real parser against.
struct SymFileScan {
    struct Function {
        var rva: UInt64
        var size: UInt64
        var name: String
    }

    struct ScanError: Error {
        var path: String
    }

    var counts: [String: Int] = [:]
    var functions: [Function] = []
    var publics: [(rva: UInt64, name: String)] = []

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            let key: String
            switch first {
            case "STACK" where fields.count > 2 && fields[1] == "CFI" && fields[2] == "INIT":
                key = "STACK CFI INIT"
            case "STACK" where fields.count > 1:
                key = "STACK \(fields[1])"
            case "FUNC", "PUBLIC", "FILE", "MODULE", "INFO", "INLINE", "INLINE_ORIGIN":
                key = String(first)
            default:
                key = "line"
            }
            counts[key, default: 0] += 1
            if first == "FUNC" {
                let rest = fields[1] == "m" ? fields.dropFirst(2) : fields.dropFirst(1)
                let values = Array(rest)
                guard values.count >= 4, let rva = UInt64(values[0], radix: 16),
                    let size = UInt64(values[1], radix: 16)
                else { continue }
                functions.append(
                    Function(rva: rva, size: size, name: values[3...].joined(separator: " ")))
            } else if first == "PUBLIC" {
                let rest = Array(fields[1] == "m" ? fields.dropFirst(2) : fields.dropFirst(1))
                guard rest.count >= 3, let rva = UInt64(rest[0], radix: 16) else { continue }
                publics.append((rva, rest[2...].joined(separator: " ")))
            }
        }
    }

    func count(_ key: String) -> Int { counts[key] ?? 0 }

    /// Every `.sym`/`.syms` file of the corpus.
    static func corpusFiles() -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        if let walker = manager.enumerator(atPath: Corpus.symbols.path) {
            for case let relative as String in walker where relative.hasSuffix(".sym") {
                files.append(Corpus.symbols.appendingPathComponent(relative).path)
            }
        }
        let companions = (try? manager.contentsOfDirectory(atPath: Corpus.companions.path)) ?? []
        for name in companions where name.hasSuffix(".sym") || name.hasSuffix(".syms") {
            files.append(Corpus.companions.appendingPathComponent(name).path)
        }
        return files.sorted()
    }
}

/// Corpus symbol files shared between tests, so each is scanned and parsed once per run.
enum CorpusSymbols {
    static let scans: [String: SymFileScan] = {
        var scans: [String: SymFileScan] = [:]
        for path in SymFileScan.corpusFiles() { scans[path] = try? SymFileScan(path: path) }
        return scans
    }()

    static let sources: [String: BreakpadSymbolSource] = Dictionary(
        uniqueKeysWithValues: SymFileScan.corpusFiles().map { ($0, BreakpadSymbolSource(path: $0)) }
    )

    static func scan(_ path: String) throws -> SymFileScan {
        guard let scan = scans[path] else { throw SymFileScan.ScanError(path: path) }
        return scan
    }

    static func source(_ path: String) -> BreakpadSymbolSource {
        sources[path] ?? BreakpadSymbolSource(path: path)
    }
}
