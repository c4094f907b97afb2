import Symbols

extension Builtins {
    /// `lsa Address [, First] [, Count]`.
    static let listSourceAt = Command(
        name: "lsa",
        summary: "show the source lines around an address",
        usage: "lsa Address [, First] [, Count]",
        requirements: .target,
        repeatBehavior: .never,
        argument: .expression
    ) { invocation in
        try SourceDisplayCommand.listAt(invocation)
    }

    /// `ls [First] [, Count]`.
    static let listSource = Command(
        name: "ls",
        summary: "show source lines (continues where the last ls/lsa stopped)",
        usage: "ls [.][First] [, Count]",
        requirements: .target,
        repeatBehavior: .continuation,
        argument: .expression
    ) { invocation in
        try SourceDisplayCommand.list(invocation)
    }
}

/// Where `ls` continues: the file and the next line to show.
final class SourceCursor {
    var file: String
    var path: String
    var nextLine: Int
    var current: Int?

    init(file: String, path: String, nextLine: Int, current: Int?) {
        self.file = file
        self.path = path
        self.nextLine = nextLine
        self.current = current
    }
}

enum SourceDisplayCommand {
    static let defaultCount = 10

    static func listAt(_ invocation: CommandInvocation) throws {
        let state = invocation.state
        let parts = invocation.arguments.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.trimmingWhitespace().isEmpty else {
            throw CommandError.syntax()
        }
        let address = try invocation.evaluate(first)
        guard let line = state.symbols.sourceLine(at: address, in: state) else {
            throw CommandError.message(
                "No line information for \(Hex.pointer(address, size: state.pointerSize))")
        }
        var start = line.line - 5
        var count = defaultCount
        if parts.count > 1, !parts[1].trimmingWhitespace().isEmpty {
            let offset = Int(Int64(bitPattern: try invocation.evaluate(parts[1])))
            start = line.line + offset
        }
        if parts.count > 2 { count = Int(clamping: try invocation.evaluate(parts[2])) }
        try show(invocation, file: line.file, from: start, count: count, current: line.line)
    }

    static func list(_ invocation: CommandInvocation) throws {
        let state = invocation.state
        guard let cursor = state.symbols.sourceCursor else {
            throw CommandError.message("No source file is current; use lsa Address first.")
        }
        var start = cursor.nextLine
        var count = defaultCount
        let parts = invocation.arguments.split(separator: ",", omittingEmptySubsequences: false)
        if let first = parts.first, !first.trimmingWhitespace().isEmpty {
            var text = Substring(first.trimmingWhitespace())
            if text.hasPrefix(".") { text = text.dropFirst() }
            if !text.isEmpty {
                // Line numbers are decimal in source commands.
                guard let value = Int(text) else { throw CommandError.syntax(at: first.startIndex) }
                start = value
            }
        }
        if parts.count > 1 { count = Int(clamping: try invocation.evaluate(parts[1])) }
        try show(invocation, file: cursor.file, from: start, count: count, current: cursor.current)
    }

    static func show(
        _ invocation: CommandInvocation, file: String, from start: Int, count: Int, current: Int?
    ) throws {
        let symbols = invocation.state.symbols
        guard let path = SourceFiles.locate(file, sourcePath: symbols.sourcePath) else {
            throw CommandError.message(
                "Couldn't find source file '\(file)' (source search path: "
                    + "\(symbols.sourcePath.isEmpty ? "<empty>" : symbols.sourcePath); set it with .srcpath)"
            )
        }
        guard let lines = SourceFiles.lines(of: path) else {
            throw CommandError.message("Couldn't read source file '\(path)'")
        }
        let first = max(1, start)
        let last = min(lines.count, first + max(0, min(count, 100_000)) - 1)
        if first <= last {
            for number in first...last {
                let marker = number == current ? ">" : " "
                invocation.out.line(
                    "\(marker)\(String(number).leftPadded(to: 5)): \(lines[number - 1])")
            }
        }
        symbols.sourceCursor = SourceCursor(
            file: file, path: path, nextLine: max(first, last + 1), current: current)
    }
}
