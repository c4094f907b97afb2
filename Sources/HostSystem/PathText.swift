#if canImport(Glibc)
    import Glibc
#endif

/// The path arithmetic `NSString` offers (`appendingPathComponent`, `deletingLastPathComponent`,
/// ...), on plain strings and with the same results. It exists so the debugger's modules need
/// only FoundationEssentials: the full Foundation library (with ICU) costs a dump session more
/// start-up time than everything else together.
public enum PathText {
    /// `path/component`, with one separator between them and no trailing one.
    public static func join(_ path: String, _ component: String) -> String {
        if path.isEmpty { return trimmingTrailingSeparators(component) }
        if component.isEmpty { return trimmingTrailingSeparators(path) }
        let head = trimmingTrailingSeparators(path)
        let tail = component.drop(while: { $0 == "/" })
        let joined = head == "/" ? "/" + tail : head + "/" + tail
        return trimmingTrailingSeparators(collapsingSeparators(joined))
    }

    /// The folder part: `/a/b` gives `/a`, `/a` gives `/`, `a` gives the empty string.
    public static func parent(of path: String) -> String {
        let trimmed = trimmingTrailingSeparators(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return trimmingTrailingSeparators(String(trimmed[..<slash]))
    }

    /// The last component: `/a/b/` gives `b`, `/` gives `/`.
    public static func lastComponent(of path: String) -> String {
        let trimmed = trimmingTrailingSeparators(path)
        guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `~` and `~/x` become the home folder (`HOME`, else the password database); `~user/x`
    /// that user's home. Anything else, or an unknown user, is returned unchanged.
    public static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let afterTilde = path.dropFirst()
        let user = afterTilde.prefix(while: { $0 != "/" })
        let rest = afterTilde.dropFirst(user.count)
        guard let home = user.isEmpty ? homeDirectory() : homeDirectory(of: String(user)) else {
            return path
        }
        return rest.isEmpty ? home : join(home, String(rest))
    }

    /// The current user's home folder.
    public static func homeDirectory() -> String? {
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else {
            return nil
        }
        return String(cString: directory)
    }

    /// Tilde expanded, empty and `.` components dropped, `..` taken back lexically in absolute
    /// paths (never above `/`), no trailing separator.
    public static func standardized(_ path: String) -> String {
        let expanded = expandingTilde(path)
        let absolute = expanded.hasPrefix("/")
        var components: [Substring] = []
        for part in expanded.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", absolute {
                if !components.isEmpty { components.removeLast() }
                continue
            }
            components.append(part)
        }
        let body = components.joined(separator: "/")
        return absolute ? "/" + body : body
    }

    private static func homeDirectory(of user: String) -> String? {
        guard let entry = getpwnam(user), let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory)
    }

    private static func trimmingTrailingSeparators(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    private static func collapsingSeparators(_ path: String) -> String {
        guard path.contains("//") else { return path }
        var result = ""
        var previousWasSlash = false
        for character in path {
            if character == "/", previousWasSlash { continue }
            previousWasSlash = character == "/"
            result.append(character)
        }
        return result
    }
}
