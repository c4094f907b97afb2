#if canImport(Glibc)
    import Glibc
#endif

/// One environment variable, read with `getenv`: `ProcessInfo.environment` copies the whole
/// environment into a dictionary (about a tenth of a dump session's start-up), and the debugger
/// only ever wants a few names.
public enum HostEnvironment {
    /// The value of `name`, nil when it is not set.
    public static func value(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
