import HostSystem

/// The environment variables session sharing reads, each looked up with `getenv`.
/// `ProcessInfo.environment` would copy the whole environment into a dictionary, which cost
/// about a tenth of a debugger's start-up; sharing only ever wants these names.
public enum SharingEnvironment {
    /// Every variable the sharing code reads (limits, socket directories, passwords).
    static let names = [
        "XCDB_REMOTE_OUTBOX_BYTES", "XCDB_REMOTE_OUTBOX_HARD_BYTES", "XCDB_REMOTE_STALL_MS",
        "XCDB_REMOTE_MAX_CLIENTS", "XCDB_REMOTE_HANDSHAKE_MS", "XCDB_REMOTE_HELLO_MS",
        "XCDB_RUNTIME_DIR", "XDG_RUNTIME_DIR", "XCDB_SHARED_RUNTIME_DIR",
        PasswordSource.environmentVariable, "XREMOTE_PASSWORD",
    ]

    /// Those of `names` that are set, by name.
    public static func current() -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            if let value = HostEnvironment.value(name) { values[name] = value }
        }
        return values
    }
}
