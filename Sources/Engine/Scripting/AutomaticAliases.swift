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
        case "$ntnsym":
            return nativeNTModule(state)
        case "$ntwsym":
            return wow64NTModule(state)
        case "$ntsym":
            // The module matching the current machine mode: the 32-bit one in x86 mode.
            return state.inGuestMode
                ? wow64NTModule(state) ?? nativeNTModule(state) : nativeNTModule(state)
        case "$CurrentDumpFile":
            return state.dumpFilePath
        case "$CurrentDumpPath":
            return state.dumpFilePath.map { PathText.parent(of: $0) }
        default:
            // No dump archives (CAB files) are read, so their aliases are never set.
            return nil
        }
    }

    private static func nativeNTModule(_ state: DebuggerState) -> String {
        state.mode == .kernel ? "nt" : "ntdll"
    }

    /// The 32-bit `ntdll` of a WOW64 process under the name the debugger gives it (the second
    /// `ntdll` loaded gets its base appended: `ntdll_77bf0000`); unset for other targets.
    private static func wow64NTModule(_ state: DebuggerState) -> String? {
        guard state.guestMode != nil else { return nil }
        let map = state.moduleMap
        let candidates = map.modules.indices.filter {
            map.modules[$0].moduleName.lowercased() == "ntdll"
        }
        let index =
            candidates.first { Wow64Paths.isGuestSystemImage(map.modules[$0].path) }
            ?? candidates.first { map.names[$0].lowercased() != "ntdll" }
        return index.map { map.names[$0] }
    }
}
