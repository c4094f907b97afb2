import FoundationEssentials

extension Builtins {
    /// `.foreach [/pS N] [/ps N] (Variable { InCommands }) { OutCommands }`, and the `/s`
    /// (string) and `/f` (file) forms.
    static let foreach = Command(
        name: ".foreach",
        summary: "run a block for each token of commands' output, a string or a file",
        usage: ".foreach [/pS N] [/ps N] [/s | /f] (Variable { InCommands } | \"Text\") "
            + "{ OutCommands }",
        effect: controlFlowEffect,
        argument: .text,
        extent: { ForeachSyntax.extent(of: $0) }
    ) { invocation in
        let syntax = try ForeachSyntax(invocation.text)
        let runner = BlockRunner(invocation: invocation)
        let initialSkip = try syntax.initialSkip.map { try invocation.evaluate($0) } ?? 0
        let skip = try syntax.skip.map { try invocation.evaluate($0) } ?? 0
        let tokens = try ForeachCommand.tokens(of: syntax.source, invocation: invocation)
        try runner.asLoop {
            var index = initialSkip < UInt64(tokens.count) ? Int(initialSkip) : tokens.count
            while index < tokens.count {
                try runner.startIteration()
                let step = try invocation.budget.flow.withScope([syntax.variable: tokens[index]]) {
                    try runner.runLoopBody(syntax.body)
                }
                if step == .exit { return }
                let (next, overflow) = index.addingReportingOverflow(1)
                guard !overflow, skip < UInt64(tokens.count) else { return }
                index = next + Int(skip)
            }
        }
    }
}

/// `.foreach` parsed: options, the variable, where tokens come from, and the body.
struct ForeachSyntax {
    enum Source {
        case commands(Substring)
        case string(Substring)
        case file(Substring)
    }

    var initialSkip: Substring?
    var skip: Substring?
    var variable: String
    var source: Source
    var body: Substring
    var end: Substring.Index

    init(_ text: Substring) throws(CommandError) {
        var scanner = BlockSyntax(command: text)
        var kind = "commands"
        var initialSkip: Substring?
        var skip: Substring?
        while true {
            scanner.skipBlanks()
            guard scanner.current == "/" else { break }
            let start = scanner.index
            scanner.advance()
            let option = text[scanner.index...].prefix { $0.isLetter }
            scanner.index = option.endIndex
            switch option {
            case "pS", "ps":
                scanner.skipBlanks()
                let value = text[scanner.index...].prefix { !$0.isWhitespace && $0 != "(" }
                guard !value.isEmpty else { throw CommandError.syntax(at: scanner.index) }
                scanner.index = value.endIndex
                if option == "pS" { initialSkip = value } else { skip = value }
            case "s": kind = "string"
            case "f": kind = "file"
            default: throw CommandError.syntax(at: start)
            }
        }
        self.initialSkip = initialSkip
        self.skip = skip
        scanner.skipBlanks()
        let open = scanner.index
        let header = try scanner.group("(", ")")
        var inner = BlockSyntax(header)
        inner.skipBlanks()
        let name = header[inner.index...].prefix { !$0.isWhitespace && $0 != "{" && $0 != "\"" }
        guard !name.isEmpty else { throw CommandError.syntax(at: open) }
        variable = String(name)
        inner.index = name.endIndex
        inner.skipBlanks()
        switch kind {
        case "commands":
            source = .commands(try inner.group("{", "}"))
        default:
            guard inner.current == "\"" else { throw CommandError.syntax(at: inner.index) }
            let start = header.index(after: inner.index)
            guard let close = header[start...].firstIndex(of: "\"") else {
                throw CommandError.syntax(at: inner.index)
            }
            source =
                kind == "string" ? .string(header[start..<close]) : .file(header[start..<close])
        }
        body = try scanner.block()
        end = scanner.index
    }

    static func extent(of text: Substring) -> Substring.Index {
        (try? ForeachSyntax(text))?.end ?? text.endIndex
    }
}

enum ForeachCommand {
    /// The tokens of the source: blanks, tabs and line breaks separate them.
    static func tokens(of source: ForeachSyntax.Source, invocation: CommandInvocation) throws
        -> [String]
    {
        let text: String
        switch source {
        case .string(let string):
            text = String(string)
        case .file(let path):
            text = try ScriptRunner.readLines(String(path)).joined(separator: "\n")
        case .commands(let commands):
            var succeeded = true
            let lines = try invocation.budget.flow.capturingOutput {
                succeeded = try invocation.runNested(String(commands), echo: false)
            }
            guard succeeded else { throw ErrorAlreadyShown() }
            text = lines.joined(separator: "\n")
        }
        return text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
