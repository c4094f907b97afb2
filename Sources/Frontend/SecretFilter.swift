/// Recognises command lines that carry a secret (`.server tcp:port=5,password=x`), which are
/// kept out of the history file.
enum SecretFilter {
    @Sendable static func containsSecret(_ line: String) -> Bool {
        line.lowercased().contains("password=")
    }
}
