import Foundation

/// What the two independent readers (the `minidump` Python package and lldb-19) say about a
/// corpus dump, parsed from `shared/corpus/oracle/`. See that folder's README for their quirks.
public struct Oracle {
    public let dumpName: String
    /// The `minidump` section of the JSON (nil for kernel dumps or when the package failed).
    public let python: [String: Any]?
    public let json: [String: Any]
    public let lldb: LLDBTranscript?

    public init?(dumpName: String) {
        guard let json = Corpus.oracleJSON(for: dumpName) else { return nil }
        self.dumpName = dumpName
        self.json = json
        let section = json["minidump"] as? [String: Any]
        python = section?["error"] == nil ? section : nil
        lldb = Corpus.oracleLLDB(for: dumpName).map(LLDBTranscript.init)
    }

    /// The dumps that have an oracle JSON file.
    public static var dumpNames: [String] {
        Corpus.allDumps().filter { Corpus.oracleJSON(for: $0) != nil }
    }

    public var magic: String { json["magic"] as? String ?? "" }

    /// Python's list of dicts under `key`, or nil when absent / an error.
    public func pythonList(_ key: String) -> [[String: Any]]? { python?[key] as? [[String: Any]] }
    public func pythonDict(_ key: String) -> [String: Any]? {
        guard let dict = python?[key] as? [String: Any], dict["error"] == nil else { return nil }
        return dict
    }
}

/// Numbers in the oracle: `"0x…"` strings or JSON integers.
public func oracleNumber(_ value: Any?) -> UInt64? {
    if let string = value as? String {
        if string.hasPrefix("0x") { return UInt64(string.dropFirst(2), radix: 16) }
        return UInt64(string)
    }
    if let number = value as? NSNumber { return number.uint64Value }
    return nil
}

/// The parts of an lldb batch transcript the tests use.
public struct LLDBTranscript {
    public struct Image {
        /// Hex digits of the UUID without dashes, upper case ("" when lldb printed none).
        public let uuid: String
        public let base: UInt64
        public let path: String
    }

    public let text: String
    /// False when lldb could not load the core file.
    public let loaded: Bool
    public let images: [Image]
    /// Thread ids in `thread list` order.
    public let threadIds: [UInt64]
    /// Register name → value from `register read` (the selected thread).
    public let registers: [String: UInt64]
    /// From `stop reason = Exception 0x… encountered at address 0x…` (Windows dumps only).
    public let exceptionCode: UInt64?
    public let exceptionAddress: UInt64?

    public init(_ text: String) {
        self.text = text
        loaded = text.contains("was loaded.")
        var images: [Image] = []
        var threads: [UInt64] = []
        var registers: [String: UInt64] = [:]
        var code: UInt64?
        var address: UInt64?
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("(lldb) ") {
                section = String(line.dropFirst(7))
                continue
            }
            switch section {
            case "image list":
                if let image = Self.parseImage(line) { images.append(image) }
            case "thread list":
                if let range = line.range(of: "tid = ") {
                    let rest = line[range.upperBound...].prefix { $0 != "," }
                    if let tid = oracleNumber(String(rest)) { threads.append(tid) }
                }
            case "register read":
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 3, parts[1] == "=", let value = oracleNumber(String(parts[2])) {
                    registers[String(parts[0])] = value
                }
            case "process status":
                if line.contains("stop reason = Exception "), code == nil {
                    let words = line.split(separator: " ")
                    if let index = words.firstIndex(of: "Exception"), index + 1 < words.count {
                        code = oracleNumber(String(words[index + 1]))
                    }
                    if let last = words.last { address = oracleNumber(String(last)) }
                }
            default:
                break
            }
        }
        self.images = images
        self.threadIds = threads
        self.registers = registers
        self.exceptionCode = code
        self.exceptionAddress = address
    }

    /// `[  0] F9577C77-9525-…-CED53C21 0x0000000000400000 /path/name `
    private static func parseImage(_ line: Substring) -> Image? {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
        let rest = line[line.index(after: close)...]
        guard let baseRange = rest.range(of: " 0x") else { return nil }
        let uuid = rest[..<baseRange.lowerBound].filter { $0 != " " && $0 != "-" }
        let afterBase = rest[baseRange.upperBound...]
        let hexDigits = afterBase.prefix { $0.isHexDigit }
        guard let base = UInt64(hexDigits, radix: 16) else { return nil }
        var path = afterBase.dropFirst(hexDigits.count)
        while path.first == " " { path = path.dropFirst() }
        while path.last == " " { path = path.dropLast() }
        return Image(uuid: String(uuid).uppercased(), base: base, path: String(path))
    }
}
