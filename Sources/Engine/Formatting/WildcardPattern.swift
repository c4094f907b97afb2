/// CDB-style wildcard matching: `*` any run, `?` one character, case-insensitive.
public struct WildcardPattern: Sendable {
    private let pattern: [Character]

    public init(_ pattern: String) {
        self.pattern = Array(pattern.lowercased())
    }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let text = Array(text.lowercased())
        // Iterative matcher with backtracking to the last star: linear in practice, no
        // recursion, so hostile patterns cannot blow the stack.
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
