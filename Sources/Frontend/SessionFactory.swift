import DumpTargets
import Engine

/// Builds sessions with every command and target format this build has.
public enum SessionFactory {
    /// The full command table.
    public static func commandTable() -> CommandTable {
        Builtins.table
    }

    /// Target formats `-z` and `.opendump` can open.
    public static func openers() -> [any TargetOpener] {
        [MinidumpOpener(), KernelDumpRecognizer()]
    }

    public static func makeSession(mode: DebuggerMode, programName: String) -> Session {
        Session(
            mode: mode, programName: programName, table: commandTable(), openers: openers())
    }

    static func postNoTargetBanner(_ session: Session, programName: String) {
        session.post(
            .output,
            "No target is open. Open a crash dump with .opendump FILE "
                + "(or start \(programName) -z FILE).")
        session.post(.output, "Type .help for meta-commands, ? for commands, q to quit.")
    }
}
