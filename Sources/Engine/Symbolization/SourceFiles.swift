import FoundationEssentials
import HostSystem

/// Finds the source files line tables name (often a build machine's Windows path such as
/// `e:\build\app\main.cpp`) on this machine: the path itself when it exists, else below each
/// source-path directory, trying ever shorter tails of the recorded path
/// (`build/app/main.cpp`, `app/main.cpp`, `main.cpp`), each component matched ignoring case.
enum SourceFiles {
    /// The local file for `recorded`, or nil.
    static func locate(_ recorded: String, sourcePath: String) -> String? {
        if recorded.hasPrefix("/"), isFile(recorded) { return recorded }
        let components = recorded.split(whereSeparator: { $0 == "\\" || $0 == "/" })
            .map(String.init)
            .filter { !$0.isEmpty && !$0.hasSuffix(":") && $0 != "." && $0 != ".." }
        guard !components.isEmpty else { return nil }
        for directory in sourcePath.split(separator: ";").map(String.init) where !directory.isEmpty
        {
            for start in components.indices {
                if let found = existing(root: directory, components: Array(components[start...])) {
                    return found
                }
            }
        }
        return nil
    }

    private static func isFile(_ path: String) -> Bool {
        FileKind(path: path).isPresentAndNotAFolder
    }

    private static func existing(root: String, components: [String]) -> String? {
        var current = root
        for component in components {
            let exact = PathText.join(current, component)
            if FileManager.default.fileExists(atPath: exact) {
                current = exact
                continue
            }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: current),
                let match = entries.first(where: { $0.lowercased() == component.lowercased() })
            else { return nil }
            current = PathText.join(current, match)
        }
        return isFile(current) ? current : nil
    }

    /// The lines of a text file (at most 16 MiB read; invalid UTF-8 repaired).
    static func lines(of path: String) -> [String]? {
        guard let data = HostFile(readingAtPath: path)?.read(upTo: 16 << 20) else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacing("\r\n", with: "\n")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
