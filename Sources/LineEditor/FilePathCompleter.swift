import Glibc

/// Completes file paths, for commands that take a file (`$<`, `.logopen`, `.opendump`).
/// A completer calls it for the argument that is a path:
///
/// ```swift
/// let paths = FilePathCompleter()
/// let completer: Completer = { line, cursor in
///     line.hasPrefix(".opendump ") ? paths.complete(line: line, cursor: cursor) : ...
/// }
/// ```
///
/// Relative paths, absolute paths and `~/` (the home directory) complete; `~user` does not.
/// A directory's candidate ends with "/", a file's with a space. Hidden entries are offered
/// only when the typed name starts with ".". Names are inserted as they are (no quoting).
public struct FilePathCompleter: Sendable {
    /// What `~` stands for.
    public var homeDirectory: String
    /// What relative paths are relative to; nil for the process's current directory.
    public var currentDirectory: String?
    /// Most candidates returned for one directory, so a huge directory costs bounded memory.
    public var maximumCandidates = 10_000

    public init(homeDirectory: String? = nil, currentDirectory: String? = nil) {
        self.homeDirectory = homeDirectory ?? FilePathCompleter.defaultHomeDirectory()
        self.currentDirectory = currentDirectory
    }

    /// Completes the path that starts at `pathStart` (default: the start of the word before the
    /// cursor) and ends at the cursor. Offsets as in `Completion`.
    public func complete(line: String, cursor: Int, pathStart: Int? = nil) -> Completion {
        let word = Completion.wordRange(in: line, endingAt: cursor)
        let start = min(max(pathStart ?? word.lowerBound, 0), word.upperBound)
        let scalars = Array(line.unicodeScalars)[start..<word.upperBound]
        let partial = String(String.UnicodeScalarView(scalars))
        return Completion(replacing: start..<word.upperBound, candidates: candidates(for: partial))
    }

    /// The candidates for a partly typed path, sorted by name; each candidate's text replaces
    /// all of `partialPath`.
    public func candidates(for partialPath: String) -> [Completion.Candidate] {
        if partialPath == "~" { return [Completion.Candidate("~/")] }
        let (typedDirectory, namePrefix) = split(partialPath)
        guard let directory = resolve(typedDirectory) else { return [] }
        var found: [(name: String, isDirectory: Bool)] = []
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        while found.count < maximumCandidates, let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", name.hasPrefix(namePrefix) else { continue }
            if name.hasPrefix("."), !namePrefix.hasPrefix(".") { continue }
            found.append((name, isDirectory(entry.pointee, name: name, in: directory)))
        }
        return found.sorted { $0.name < $1.name }.map { item in
            item.isDirectory
                ? Completion.Candidate(typedDirectory + item.name + "/", display: item.name + "/")
                : Completion.Candidate(typedDirectory + item.name + " ", display: item.name)
        }
    }

    /// "dir/sub/na" -> ("dir/sub/", "na"); "na" -> ("", "na").
    private func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let afterSlash = path.index(after: slash)
        return (String(path[..<afterSlash]), String(path[afterSlash...]))
    }

    /// The directory to list for the typed directory part, or nil when it cannot be expanded.
    private func resolve(_ typedDirectory: String) -> String? {
        var directory = typedDirectory
        if directory.hasPrefix("~/") {
            directory = homeDirectory + "/" + directory.dropFirst(2)
        } else if directory.hasPrefix("~") {
            return nil  // ~user is not supported
        }
        if directory.hasPrefix("/") { return directory }
        let base = currentDirectory ?? FilePathCompleter.processDirectory()
        return directory.isEmpty ? base : base + "/" + directory
    }

    private func isDirectory(_ entry: dirent, name: String, in directory: String) -> Bool {
        switch Int32(entry.d_type) {
        case Int32(DT_DIR): return true
        case Int32(DT_REG): return false
        default:
            // Symbolic links (and file systems that do not fill d_type): ask stat.
            var info = stat()
            return stat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
    }

    private static func processDirectory() -> String {
        guard let path = getcwd(nil, 0) else { return "." }
        defer { free(path) }
        return String(cString: path)
    }

    private static func defaultHomeDirectory() -> String {
        if let home = getenv("HOME") { return String(cString: home) }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            return String(cString: directory)
        }
        return "/"
    }
}
