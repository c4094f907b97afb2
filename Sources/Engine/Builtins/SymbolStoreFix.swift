import FoundationEssentials
import HostSystem

extension Builtins {
    /// `.symfix[+] [LocalSymbolCache]`: the Microsoft symbol store on the symbol path, with a
    /// local cache. xcdb never contacts a server, so only the cache is searched.
    static let symbolStoreFix = Command(
        name: ".symfix",
        aliases: [".symfix+"],
        summary: "put the Microsoft symbol store (searched in its local cache only) on the path",
        usage: ".symfix[+] [LocalSymbolCache]",
        details: ["Symbol servers are never contacted: only the local cache is searched."],
        effect: .changesSession,
        argument: .filePath
    ) { invocation in
        let state = invocation.state
        var cache = unquoted(invocation.trimmedArguments)
        if cache.isEmpty {
            // CDB uses the sym directory beside the debugger; xcdb uses a per-user cache.
            cache = PathText.join(PathText.homeDirectory() ?? "/", ".cache/xcdb/sym")
        }
        let entry = "srv*\(cache)*\(SymbolStoreFix.microsoftStore)"
        let appending = invocation.typedName.hasSuffix("+")
        state.symbolPath =
            appending && !state.symbolPath.isEmpty ? state.symbolPath + ";" + entry : entry
        state.symbols.reset()
    }

    /// `.exepath[+] [Directory[;...]]`: where module images are looked for.
    static let executablePath = Command(
        name: ".exepath",
        aliases: [".exepath+"],
        summary: "show or set the executable image search path",
        usage: ".exepath[+] [Directory[;...]]",
        effect: CommandEffect(
            forms: [
                CommandEffect.Form(".exepath", .none),
                CommandEffect.Form(".exepath[+] Directory[;...]", .changesSession),
            ]
        ) { match in CommandEffect.hasArguments(match.arguments) ? .changesSession : .none },
        argument: .filePath,
        // Directories are separated by `;`.
        takesRestOfLine: true
    ) { invocation in
        let state = invocation.state
        let text = unquoted(invocation.trimmedArguments)
        if !text.isEmpty {
            let appending = invocation.typedName.hasSuffix("+") && !state.imagePath.isEmpty
            state.imagePath = appending ? state.imagePath + ";" + text : text
        }
        let shown = state.imagePath.isEmpty ? "<empty>" : state.imagePath
        // The form of .sympath's display (-exepath--set-executable-path-.md shows none).
        invocation.out.line("Executable image search path is: \(shown)")
        invocation.out.line("Expanded Executable image search path is: \(shown.lowercased())")
    }
}

enum SymbolStoreFix {
    static let microsoftStore = "https://msdl.microsoft.com/download/symbols"
}
