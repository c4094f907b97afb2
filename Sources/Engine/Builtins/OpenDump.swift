extension Builtins {
    /// `.opendump DumpFile`.
    static let openDump = Command(
        name: ".opendump",
        summary: "open a crash dump as the target",
        usage: ".opendump DumpFile",
        effect: .changesSession,
        argument: .filePath
    ) { invocation in
        let path = unquoted(invocation.trimmedArguments)
        guard !path.isEmpty else { throw CommandError.syntax() }
        let startUp = invocation.source == .startup
        try TargetLoader.open(
            path: path, state: invocation.state, out: invocation.out, deferBanner: !startUp)
        if !startUp { invocation.out.line("Opened '\(path)'") }
    }
}
