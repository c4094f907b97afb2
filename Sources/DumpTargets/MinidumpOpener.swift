import DumpFormat
import Engine

/// Opens user-mode minidumps (`MDMP`): Windows (dbghelp, Breakpad, Crashpad) and Breakpad /
/// Crashpad dumps from Linux and macOS.
public struct MinidumpOpener: TargetOpener {
    public init() {}

    public var formatName: String { "user-mode minidump (MDMP)" }

    public func recognizes(prefix: [UInt8]) -> Bool {
        prefix.starts(with: Array("MDMP".utf8))
    }

    public func open(path: String) throws -> OpenedTarget {
        let dump: Minidump
        do {
            dump = try Minidump(path: path)
        } catch {
            throw CommandError.message("Could not open dump file [\(path)]: \(error.message)")
        }
        let target = try MinidumpTarget(dump: dump, path: path)
        return OpenedTarget(target: target, warnings: dump.warnings)
    }
}

/// Recognises kernel dumps (`PAGEDU64`, `PAGEDUMP`) and says clearly that this build reads
/// only user-mode dumps, instead of "not a dump".
public struct KernelDumpRecognizer: TargetOpener {
    public init() {}

    public var formatName: String { "kernel dump (PAGEDU64/PAGEDUMP), not supported yet" }

    public func recognizes(prefix: [UInt8]) -> Bool {
        prefix.starts(with: Array("PAGEDU64".utf8)) || prefix.starts(with: Array("PAGEDUMP".utf8))
    }

    public func open(path: String) throws -> OpenedTarget {
        throw CommandError.message(
            "Could not open dump file [\(path)]: it is a Windows kernel dump; this version of "
                + "xcdb reads user-mode minidumps only (kernel dumps are planned for xkd).")
    }
}
