extension Builtins {
    /// `j Expression Command1 ; Command2` and `j Expression 'Command1' ; 'Command2'`.
    static let conditionalJump = Command(
        name: "j",
        summary: "run one command or another depending on an expression",
        usage: "j Expression ['Command1'] ; ['Command2']",
        details: [
            "Quote a branch with ' to give it several commands; the line ends with j."
        ],
        effect: controlFlowEffect,
        argument: .expression,
        takesRestOfLine: true
    ) { invocation in
        let (value, rest) = try invocation.evaluatePrefix(invocation.arguments)
        var branches = JumpBranches(rest)
        let first = try branches.next()
        let second = try branches.next()
        let chosen = value != 0 ? first : second
        guard !chosen.trimmingWhitespace().isEmpty else { return }
        try BlockRunner(invocation: invocation).run(chosen)
    }
}

/// The two command strings after `j`'s expression: each quoted with `'` (and then may hold
/// `;`) or running to the next `;`. A `;` separates them; anything after the second is
/// ignored, as the page says.
struct JumpBranches {
    private let text: Substring
    private var index: Substring.Index

    init(_ text: Substring) {
        self.text = text
        index = text.startIndex
    }

    mutating func next() throws(CommandError) -> Substring {
        while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
        guard index < text.endIndex else { return text[index..<index] }
        let branch: Substring
        if text[index] == "'" {
            let start = text.index(after: index)
            guard let close = text[start...].firstIndex(of: "'") else {
                throw CommandError.syntax(at: index)
            }
            branch = text[start..<close]
            index = text.index(after: close)
            while index < text.endIndex, text[index].isWhitespace {
                index = text.index(after: index)
            }
        } else {
            let end = CommandLineSplitter.endOfCommand(text, from: index)
            branch = text[index..<end]
            index = end
        }
        if index < text.endIndex, text[index] == ";" { index = text.index(after: index) }
        return branch
    }
}
