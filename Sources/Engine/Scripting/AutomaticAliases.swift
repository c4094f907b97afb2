import FoundationEssentials
import HostSystem

/// The aliases the debugger sets itself (documented in "Using Aliases"): `$ntnsym`, `$ntwsym`,
/// `$ntsym`, `$CurrentDumpFile`, `$CurrentDumpPath`, `$CurrentDumpArchiveFile`,
/// `$CurrentDumpArchivePath`. Computed from the session each time, so they follow `.opendump`.
enum AutomaticAliases {
    static let names = [
        "$ntnsym", "$ntwsym", "$ntsym", "$CurrentDumpFile", "$CurrentDumpPath",
        "$CurrentDumpArchiveFile", "$CurrentDumpArchivePath",
    ]

    /// The value of the automatic alias `name`, or nil when it is not one or has no value.
    static func value(of name: String, state: DebuggerState) -> String? {
        switch name {
        case "$ntnsym", "$ntsym":
            // Native mode only: no target is debugged through WOW64 yet, so `$ntwsym` is unset.
            return state.mode == .kernel ? "nt" : "ntdll"
        case "$CurrentDumpFile":
            return state.dumpFilePath
        case "$CurrentDumpPath":
            return state.dumpFilePath.map { PathText.parent(of: $0) }
        default:
            // No dump archives (CAB files) are read, so their aliases are never set.
            return nil
        }
    }
}
