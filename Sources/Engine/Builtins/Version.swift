import FoundationEssentials

/// The debugger's own version.
public enum XcdbVersion {
    public static let number = "0.1.0"

    /// The banner's first line (`Microsoft (R) Windows Debugger Version ...` in CDB).
    public static func bannerLine(programName: String) -> String {
        #if arch(x86_64)
            let host = "AMD64"
        #elseif arch(arm64)
            let host = "ARM64"
        #else
            let host = "unknown"
        #endif
        return "\(programName) - CDB-compatible debugger for Linux, Version \(number) \(host)"
    }
}

extension Builtins {
    /// `version`: the target's version block (when there is one), then the debugger's.
    static let version = Command(
        name: "version",
        summary: "show debugger and target version",
        usage: "version"
    ) { invocation in
        let state = invocation.state
        let out = invocation.out
        if let target = state.target as? any TargetDescribing {
            out.lines(target.versionLines())
            out.line()
        }
        out.line(XcdbVersion.bannerLine(programName: state.programName))
        let pid = String(ProcessInfo.processInfo.processIdentifier, radix: 16, uppercase: true)
        out.line("command line: '\(state.commandLine)'  Debugger Process 0x\(pid)")
    }
}
