/// What a Tab press completes: which part of the line is replaced, and the candidates for it.
///
/// Offsets count Unicode scalars of the line (`line.unicodeScalars`), the same unit as the
/// cursor handed to the completer. For ASCII command lines that is simply the character index.
public struct Completion: Sendable, Equatable {
    /// One possible completion.
    public struct Candidate: Sendable, Equatable, ExpressibleByStringLiteral {
        /// The exact text that replaces the range when this candidate is chosen, including any
        /// trailing space (for a finished word) or "/" (for a directory).
        public var text: String
        /// What the list of candidates shows (after a second Tab).
        public var display: String

        public init(_ text: String, display: String? = nil) {
            self.text = text
            self.display = display ?? Candidate.trimmingTrailingSpaces(text)
        }

        public init(stringLiteral value: String) {
            self.init(value)
        }

        private static func trimmingTrailingSpaces(_ text: String) -> String {
            var result = Substring(text)
            while result.last == " " { result.removeLast() }
            return String(result)
        }
    }

    /// The part of the line the chosen text replaces (usually the word before the cursor).
    public var replacing: Range<Int>
    /// The possibilities, in the order they are listed.
    public var candidates: [Candidate]

    public init(replacing: Range<Int>, candidates: [Candidate]) {
        self.replacing = replacing
        self.candidates = candidates
    }

    /// Nothing to complete (Tab beeps).
    public static let none = Completion(replacing: 0..<0, candidates: [])

    /// The range of the word that ends at `cursor`: back from the cursor to the nearest
    /// whitespace or the start of the line. A convenient `replacing` for most completers.
    public static func wordRange(in line: String, endingAt cursor: Int) -> Range<Int> {
        let scalars = Array(line.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        var start = end
        while start > 0, !scalars[start - 1].properties.isWhitespace {
            start -= 1
        }
        return start..<end
    }

    /// The longest text every candidate starts with, compared by characters (graphemes).
    static func commonPrefix(of candidates: [Candidate]) -> String {
        guard var prefix = candidates.first.map({ Substring($0.text) }) else { return "" }
        for candidate in candidates.dropFirst() {
            var shared = prefix.startIndex
            var other = candidate.text.startIndex
            while shared < prefix.endIndex, other < candidate.text.endIndex,
                prefix[shared] == candidate.text[other]
            {
                shared = prefix.index(after: shared)
                other = candidate.text.index(after: other)
            }
            prefix = prefix[..<shared]
        }
        return String(prefix)
    }
}

/// A completer: given the line and the cursor (both as in `Completion`), what Tab offers.
/// Called on the thread that runs `readLine`.
public typealias Completer = @Sendable (_ line: String, _ cursor: Int) -> Completion
