import Symbols

extension Builtins {
    /// `!sym noisy | quiet`.
    static let symbolNoise = Command(
        name: "!sym",
        summary: "symbol loading messages: noisy (say where every file was looked for) or quiet",
        usage: "!sym [noisy | quiet]",
        effect: .displaysUnlessArguments(
            display: "!sym", change: "!sym noisy | quiet", kind: .changesSession),
        argument: .text
    ) { invocation in
        let symbols = invocation.state.symbols
        switch invocation.trimmedArguments.lowercased() {
        case "noisy":
            symbols.noisy = true
        case "quiet":
            symbols.noisy = false
        case "":
            break
        default:
            throw CommandError.syntax(at: invocation.arguments.firstIndex { $0 != " " })
        }
        invocation.out.line(
            symbols.noisy ? "noisy mode - symbol prompts on" : "quiet mode - symbol prompts on")
    }

    /// `ld Module`.
    static let loadSymbols = Command(
        name: "ld",
        summary: "load a module's symbols now (ld * for every module)",
        usage: "ld ModuleName | *",
        requirements: .target,
        effect: .changesSession,
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        let state = invocation.state
        var words = ArgumentWords(invocation.arguments)
        guard let word = words.next() else { throw CommandError.syntax() }
        let pattern = WildcardPattern(unquoted(word))
        let names = state.moduleMap.names
        var matched = false
        for (index, module) in target.modules.enumerated()
        where pattern.matches(names[index]) || pattern.matches(module.imageName) {
            try invocation.checkInterrupt()
            matched = true
            state.symbols.reset(module)
            let source = state.symbols.source(for: module, in: state)
            if source == nil || source?.kind == SymbolKind.none {
                invocation.out.line("Symbols could not be loaded for \(names[index])")
            } else {
                invocation.out.line("Symbols loaded for \(names[index])")
            }
        }
        guard matched else {
            throw CommandError.message("Couldn't find module '\(unquoted(word))'")
        }
    }

    /// `.srcpath [Path]`.
    static let sourcePath = Command(
        name: ".srcpath",
        summary: "show or set the source search path",
        usage: ".srcpath [Directory[;...]]",
        effect: .displaysUnlessArguments(
            display: ".srcpath", change: ".srcpath Directory[;...]", kind: .changesSession),
        argument: .filePath,
        // Directories are separated by `;`: the path is the rest of the line.
        takesRestOfLine: true
    ) { invocation in
        let text = invocation.trimmedArguments
        if !text.isEmpty {
            invocation.state.symbols.sourcePath = unquoted(text)
        }
        SourcePathDisplay.show(invocation)
    }

    /// `.srcpath+ Path`.
    static let sourcePathAppend = Command(
        name: ".srcpath+",
        summary: "add to the source search path",
        usage: ".srcpath+ Directory[;...]",
        effect: .changesSession,
        argument: .filePath,
        // Directories are separated by `;`: the path is the rest of the line.
        takesRestOfLine: true
    ) { invocation in
        let text = unquoted(invocation.trimmedArguments)
        guard !text.isEmpty else { throw CommandError.syntax() }
        let symbols = invocation.state.symbols
        symbols.sourcePath = symbols.sourcePath.isEmpty ? text : symbols.sourcePath + ";" + text
        SourcePathDisplay.show(invocation)
    }
}

enum SourcePathDisplay {
    static func show(_ invocation: CommandInvocation) {
        let text = invocation.state.symbols.sourcePath
        invocation.out.line("Source search path is: \(text.isEmpty ? "<empty>" : text)")
    }
}
