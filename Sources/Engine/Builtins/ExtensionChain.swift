extension Builtins {
    /// `.chain`: the extensions in use. xcdb loads no extension DLLs; its `!` commands are
    /// built in, and `.chain` says so and lists them.
    static let extensionChain = Command(
        name: ".chain",
        summary: "list debugger extensions (xcdb's are built in; no DLLs load)",
        usage: ".chain",
        argument: .text
    ) { invocation in
        let text = invocation.trimmedArguments
        guard text.isEmpty || text.lowercased() == "/d" else { throw CommandError.syntax() }
        let bangs = invocation.table.commands.filter { $0.kind == .bang }.map(\.name).sorted()
        let out = invocation.out
        out.line("Extension DLL search Path:")
        out.line("    <none: \(invocation.state.programName) loads no extension DLLs>")
        out.line("Extension DLL chain:")
        out.line("    \(invocation.state.programName): built in")
        var line = "        "
        for name in bangs {
            if line.count + name.count > 90 {
                out.line(line)
                line = "        "
            }
            line += name + " "
        }
        if line.trimmingWhitespace() != "" { out.line(String(line.dropLast())) }
    }

    /// `||`: the systems being debugged; a session has one.
    static let systemStatus = Command(
        name: "||",
        summary: "show the system being debugged",
        usage: "||[System]",
        requirements: [.target],
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        let rest = invocation.trimmedArguments
        guard ["", ".", "#", "*", "0", "0s", "s"].contains(rest) else {
            throw CommandError.syntax(at: invocation.arguments.startIndex)
        }
        // Inferred (----system-status-.md shows no output): CDB's line for a dump.
        let kind: String
        if target.capabilities.contains(.isDump) {
            kind = target.capabilities.contains(.isKernel) ? "Kernel dump" : "User mini dump"
        } else {
            kind = target.capabilities.contains(.isKernel) ? "Kernel" : "User"
        }
        let what = invocation.state.dumpFilePath ?? target.displayName
        invocation.out.line(".  0 \(kind): \(what)")
    }
}
