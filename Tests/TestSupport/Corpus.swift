import Foundation

/// Paths to the shared test corpus (`../shared/corpus` beside the project root).
/// Tests read dumps from there; dumps are never copied into the project.
/// `XCDB_SHARED` overrides the location of `shared/`.
public enum Corpus {
    /// The project root: the directory holding `Package.swift`.
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(
                atPath: url.appendingPathComponent("Package.swift").path)
            {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` relative to the project root.
    public static let shared: URL = {
        if let override = ProcessInfo.processInfo.environment["XCDB_SHARED"] {
            return URL(fileURLWithPath: override)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static let dumps = shared.appendingPathComponent("corpus/dumps")
    public static let oracle = shared.appendingPathComponent("corpus/oracle")
    public static let symbols = dumps.appendingPathComponent("symbols")
    public static let companions = dumps.appendingPathComponent("companions")

    /// Full path of a corpus dump by file name.
    public static func dump(_ name: String) -> String {
        dumps.appendingPathComponent(name).path
    }

    /// Every `.dmp` file in the corpus, sorted by name.
    public static func allDumps() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dumps.path)) ?? []
        return names.filter { $0.hasSuffix(".dmp") }.sorted()
    }

    /// The oracle JSON for a dump, parsed, or nil when there is none.
    public static func oracleJSON(for dumpName: String) -> [String: Any]? {
        let base = (dumpName as NSString).deletingPathExtension
        let url = oracle.appendingPathComponent(base + ".json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The lldb transcript for a dump, or nil.
    public static func oracleLLDB(for dumpName: String) -> String? {
        let base = (dumpName as NSString).deletingPathExtension
        let url = oracle.appendingPathComponent(base + ".lldb.txt")
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
