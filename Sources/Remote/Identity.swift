import FoundationEssentials
import Glibc
import HostSystem

/// Who is at this end: the local user and computer names shown in notices and `.clients`.
public enum Identity {
    /// The login name of the current user.
    public static var userName: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return sanitized(String(cString: name))
        }
        return sanitized(HostEnvironment.value("USER") ?? "user\(getuid())")
    }

    /// The user name for a user id, or `uid N`.
    public static func userName(uid: uid_t) -> String {
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            return sanitized(String(cString: name))
        }
        return "uid\(uid)"
    }

    /// This computer's name, upper-cased as remote.exe shows it (`BOX17`).
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "LOCALHOST" }
        let name = String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let short = name.split(separator: ".").first.map(String.init) ?? name
        return sanitized(short.isEmpty ? "localhost" : short).uppercased()
    }

    /// Names travel in single words and end up in other people's terminals: keep letters,
    /// digits and `._-@` only, at most 32 characters.
    public static func sanitized(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "_"
                || scalar == "-" || scalar == "@"
        }
        let result = String(String.UnicodeScalarView(kept.prefix(32)))
        return result.isEmpty ? "unknown" : result
    }

    /// True when `server` names this computer: `.`, `localhost`, a loopback address or the
    /// host name (any case, with or without domain).
    public static func isLocal(_ server: String) -> Bool {
        var name = server
        while name.hasPrefix("\\") { name.removeFirst() }
        let lowered = name.lowercased()
        if lowered == "." || lowered == "localhost" || lowered == "127.0.0.1" || lowered == "::1" {
            return true
        }
        let short = lowered.split(separator: ".").first.map(String.init) ?? lowered
        return short == hostName.lowercased()
    }
}
