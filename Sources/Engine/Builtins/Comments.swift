extension Builtins {
    /// `* text`: a comment to the end of the line.
    static let commentLine = Command(
        name: "*",
        summary: "comment line: the rest of the line is ignored",
        usage: "* [any text]",
        argument: .text,
        takesRestOfLine: true
    ) { _ in }

    /// `$$ text`: a comment up to the next `;`.
    static let commentToSemicolon = Command(
        name: "$$",
        summary: "comment: ignored up to the next ';'",
        usage: "$$ [any text]",
        argument: .text
    ) { _ in }
}
