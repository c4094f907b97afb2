import FoundationEssentials
import HostSystem

/// Opens a file as a target with whichever registered opener recognises it.
public enum TargetLoader {
    /// How many leading bytes openers get to recognise a format.
    static let sniffLength = 64

    /// Opens `path` and makes it the session's target, writing what CDB writes while loading.
    /// - Parameter deferBanner: `.opendump` stops after the dump-type lines; `g` prints the
    ///   rest of the banner. Start-up (`-z`) prints it all at once.
    public static func open(
        path: String, state: DebuggerState, out: OutputWriter, deferBanner: Bool = false
    ) throws {
        guard !state.openers.isEmpty else {
            throw CommandError.message(
                "Opening dump files is not supported yet in this build of \(state.programName).")
        }
        let expanded = PathText.expandingTilde(path)
        if FileKind(path: expanded).isPresentButNotAFile {
            throw CommandError.message("Could not open dump file [\(path)]: not a regular file")
        }
        guard let file = HostFile(readingAtPath: expanded) else {
            throw CommandError.message(
                "Could not open dump file [\(path)]: \(describeOpenFailure(expanded))")
        }
        let prefix = file.read(upTo: sniffLength) ?? []
        file.close()
        guard let opener = state.openers.first(where: { $0.recognizes(prefix: prefix) }) else {
            let known = state.openers.map(\.formatName).joined(separator: ", ")
            throw CommandError.message(
                "Could not open dump file [\(path)]: not a format \(state.programName) reads "
                    + "(\(known))")
        }
        out.line()
        out.line("Loading Dump File [\(path)]")
        let opened = try opener.open(path: expanded)
        state.target = opened.target
        state.dumpFilePath = path
        state.loadWarnings = opened.warnings
        state.targetChanged()
        state.currentThread = 0
        // A WOW64 process whose last event ran in 32-bit code opens as an x86 process.
        state.setGuestMode(state.guestMode?.lastEventInGuest ?? false)
        out.lines(opened.target.loadingLines)
        for warning in opened.warnings { out.line("WARNING: \(warning)") }
        if deferBanner {
            state.bannerPending = true
        } else {
            LoadBanner.show(state: state, out: out)
        }
    }

    /// Finishes loading after `.opendump` (what `g` does then): the rest of the banner.
    /// Returns false when nothing was pending.
    public static func finishPendingLoad(state: DebuggerState, out: OutputWriter) -> Bool {
        guard state.bannerPending else { return false }
        state.bannerPending = false
        LoadBanner.show(state: state, out: out)
        return true
    }

    private static func describeOpenFailure(_ path: String) -> String {
        switch FileKind(path: path) {
        case .missing: return "no such file"
        case .directory: return "it is a directory"
        case .regularFile, .special: return "permission denied"
        }
    }
}
