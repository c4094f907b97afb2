extension Builtins {
    /// The execution commands. No target in this version can run, so on a dump they give CDB's
    /// `No runnable debuggees` error; `g` right after `.opendump` finishes loading the dump.
    static var execution: [Command] {
        let entries: [(String, String, String)] = [
            ("g", "go: resume the target", "g [= StartAddress] [BreakAddress ...]"),
            ("gu", "go up: run until the current function returns", "gu"),
            ("p", "step over", "p [= StartAddress] [Count]"),
            ("t", "trace into", "t [= StartAddress] [Count]"),
            ("pc", "step to the next call", "pc [Count]"),
            ("pt", "step to the next return", "pt [Count]"),
            ("bp", "set a breakpoint", "bp[ID] [Address [Passes]] [\"Commands\"]"),
            ("bu", "set an unresolved breakpoint", "bu[ID] [Address [Passes]] [\"Commands\"]"),
            ("bm", "set breakpoints on matching symbols", "bm SymbolPattern"),
            ("ba", "break on access", "ba Access Size Address"),
            ("bc", "clear breakpoints", "bc IDs"),
            ("bd", "disable breakpoints", "bd IDs"),
            ("be", "enable breakpoints", "be IDs"),
        ]
        return entries.map { name, summary, usage in
            Command(
                name: name, summary: summary, usage: usage,
                requirements: name == "g" ? [] : .liveTarget,
                effect: .changesTarget,
                repeatBehavior: ["p", "t", "pc", "pt"].contains(name) ? .sameLine : .never,
                argument: .expression
            ) { invocation in
                if name == "g",
                    TargetLoader.finishPendingLoad(state: invocation.state, out: invocation.out)
                {
                    return
                }
                throw CommandError.noRunnableDebuggees
            }
        } + [breakpointList]
    }

    /// `bl`: on targets that cannot run there are no breakpoints to list.
    static let breakpointList = Command(
        name: "bl",
        summary: "list breakpoints",
        usage: "bl [IDs]",
        argument: .text
    ) { _ in }

    /// `e*`: edit memory.
    static var editMemory: [Command] {
        ["e", "eb", "ew", "ed", "eq", "ep", "ea", "eu", "eza", "ezu"].map { name in
            Command(
                name: name, summary: "enter values into memory", usage: "\(name) Address Values",
                requirements: .target, effect: .changesTarget, argument: .expression
            ) { invocation in
                let target = try invocation.requireTarget()
                guard target.capabilities.contains(.canWriteMemory) else {
                    throw CommandError.message("Memory cannot be changed on this target (a dump).")
                }
                throw CommandError.message("Editing memory is not available on this target.")
            }
        }
    }
}
