import Engine

/// What the summary needs from one JSON line: the dump, and its signature or error.
struct ResultLine: Equatable {
    enum Outcome: Equatable {
        case signature(String)
        /// Analysed, but the dump records no exception.
        case noException
        case error(String)
    }

    var file: String
    var outcome: Outcome

    init(file: String, outcome: Outcome) {
        self.file = file
        self.outcome = outcome
    }

    /// Reads a line written by `xcdb -json` or by the triage itself.
    init(line: String, fallbackFile: String) {
        self.init(document: try? JSONParser.parse(line), fallbackFile: fallbackFile)
    }

    /// From a line already parsed (nil: it was not JSON).
    init(document: JSONValue?, fallbackFile: String) {
        guard let document, document.objectMembers != nil else {
            file = fallbackFile
            outcome = .error("not a JSON analysis line")
            return
        }
        file = document["file"]?.stringValue ?? fallbackFile
        if let error = document["error"]?.stringValue {
            outcome = .error(error)
        } else if let signature = document["signature"]?["text"]?.stringValue {
            outcome = .signature(signature)
        } else if document["version"] != nil {
            outcome = .noException
        } else {
            outcome = .error("not a JSON analysis line")
        }
    }

    /// The summary row this line counts in.
    var group: String {
        switch outcome {
        case .signature(let text): text
        case .noException: "(no exception recorded)"
        case .error: "(error: the dump could not be analysed)"
        }
    }

    var isError: Bool {
        if case .error = outcome { return true }
        return false
    }
}
