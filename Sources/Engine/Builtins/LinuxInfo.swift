extension Builtins {
    /// `!linux [cpuinfo|status|maps|auxv|environ|cmdline|lsb-release|dso]`: the Linux streams
    /// Breakpad and Crashpad record (xcdb's own command; CDB has none).
    static let linuxInfo = Command(
        name: "!linux",
        summary: "show the Linux process information a Breakpad/Crashpad dump records",
        usage: "!linux [cpuinfo | status | maps | auxv | environ | cmdline | lsb-release | dso]",
        details: [
            "Without an argument, lists which of these the dump holds. Also shows Crashpad",
            "annotations with !linux annotations.",
        ],
        requirements: .target,
        argument: .text
    ) { invocation in
        let target = try invocation.requireTarget()
        guard let info = target as? any PlatformProcessInfo else {
            throw CommandError.message("This target records no Linux process information.")
        }
        let sections = info.platformSections
        let wanted = invocation.trimmedArguments.lowercased()
        if wanted.isEmpty {
            guard !sections.isEmpty else {
                invocation.out.line("The dump holds no Linux process information streams.")
                return
            }
            invocation.out.line("Recorded: " + sections.map(\.name).joined(separator: ", "))
            invocation.out.line("Show one with !linux NAME.")
            return
        }
        guard let section = sections.first(where: { $0.name == wanted }) else {
            throw CommandError.message(
                "The dump has no '\(wanted)' information (it has: "
                    + sections.map(\.name).joined(separator: ", ") + ")")
        }
        for line in section.lines {
            try invocation.checkInterrupt()
            invocation.out.line(line)
        }
    }
}

/// A target that records operating-system process details outside the Windows structures:
/// Linux `/proc` files, Crashpad annotations.
public protocol PlatformProcessInfo: Target {
    /// Named sections of text, in a stable order (`cpuinfo`, `maps`, ...).
    var platformSections: [(name: String, lines: [String])] { get }
    /// The process's arguments as the system recorded them (`/proc/PID/cmdline`), or nil.
    var platformArguments: [String]? { get }
}
