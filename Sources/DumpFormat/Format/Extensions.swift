// Streams added by Breakpad ("Gg", 0x4767…), Crashpad ("CP", 0x4350…) and Mozilla
// ("Mz", 0x4d7a…). Layouts follow Breakpad's minidump_format.h, Crashpad's
// minidump_extensions.h and rust-minidump's format.rs.

/// Breakpad's info stream (12 bytes): which thread wrote the dump and which asked for it.
public struct MINIDUMP_BREAKPAD_INFO: Sendable, Equatable {
    public static let size = 12
    /// Bit 0: `dumpThreadId` valid; bit 1: `requestingThreadId` valid.
    public var validity: UInt32 = 0
    public var dumpThreadId: UInt32 = 0
    public var requestingThreadId: UInt32 = 0

    /// The handler thread, when valid.
    public var dumpThread: UInt32? { validity & 1 != 0 ? dumpThreadId : nil }
    /// The thread that asked for the dump (usually the crashed one), when valid.
    public var requestingThread: UInt32? { validity & 2 != 0 ? requestingThreadId : nil }

    init(from c: inout Cursor) throws(MinidumpError) {
        validity = try c.u32()
        dumpThreadId = try c.u32()
        requestingThreadId = try c.u32()
    }
}

/// Breakpad's assertion stream (776 bytes): an assertion or invalid-parameter report.
public struct MINIDUMP_ASSERTION_INFO: Sendable, Equatable {
    public static let size = 776
    public var expression: String = ""
    public var function: String = ""
    public var file: String = ""
    public var line: UInt32 = 0
    /// 0 unknown, 1 invalid parameter, 2 pure virtual call.
    public var type: UInt32 = 0

    init(from c: inout Cursor) throws(MinidumpError) {
        expression = fixedUTF16String(try c.u16Array(128))
        function = fixedUTF16String(try c.u16Array(128))
        file = fixedUTF16String(try c.u16Array(128))
        line = try c.u32()
        type = try c.u32()
    }
}

/// Linux `r_debug` information from the LinuxDsoDebug stream (`DSO_DEBUG_32`/`DSO_DEBUG_64`),
/// with the `link_map` entries it points at.
public struct DSO_DEBUG: Sendable, Equatable {
    public var version: UInt32 = 0
    /// RVA of the `LINK_MAP` array.
    public var map: RVA = 0
    public var dsoCount: UInt32 = 0
    public var brk: UInt64 = 0
    public var ldbase: UInt64 = 0
    public var dynamic: UInt64 = 0
    public var linkMaps: [LINK_MAP] = []
}

/// One loaded object from the dynamic linker's list (`LINK_MAP_32`/`LINK_MAP_64`).
public struct LINK_MAP: Sendable, Equatable {
    public var addr: UInt64 = 0
    /// The object's path (read from the name RVA).
    public var name: String = ""
    public var ld: UInt64 = 0
}

/// One line of `/proc/PID/maps` from the LinuxMaps stream.
public struct LinuxMapsEntry: Sendable, Equatable {
    public var start: UInt64
    public var end: UInt64
    /// `rwxp`-style permissions.
    public var permissions: String
    public var offset: UInt64
    public var device: String
    public var inode: UInt64
    /// The mapped file or `[stack]`-style name; empty for anonymous mappings.
    public var pathname: String

    /// Parses one maps line; nil when it does not have the expected shape.
    public init?(line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let range = fields[0].split(separator: "-")
        guard range.count == 2, let start = UInt64(range[0], radix: 16),
            let end = UInt64(range[1], radix: 16), let offset = UInt64(fields[2], radix: 16),
            let inode = UInt64(fields[4])
        else { return nil }
        self.start = start
        self.end = end
        self.permissions = String(fields[1])
        self.offset = offset
        self.device = String(fields[3])
        self.inode = inode
        self.pathname = fields.count > 5 ? fields[5].trimmingSpaces() : ""
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" || s.last == "\n" { s.removeLast() }
        return String(s)
    }
}

/// Crashpad's info stream (`MINIDUMP_CRASHPAD_INFO`, 52 bytes), with its annotations resolved.
public struct MINIDUMP_CRASHPAD_INFO: Sendable, Equatable {
    public var version: UInt32 = 0
    public var reportId = GUID()
    public var clientId = GUID()
    /// Process-wide key/value annotations.
    public var simpleAnnotations: [(key: String, value: String)] = []
    /// Per-module Crashpad information.
    public var moduleList: [MINIDUMP_MODULE_CRASHPAD_INFO] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.version == b.version && a.reportId == b.reportId && a.clientId == b.clientId
            && a.simpleAnnotations.elementsEqual(b.simpleAnnotations, by: { $0 == $1 })
            && a.moduleList == b.moduleList
    }
}

/// Crashpad's annotations for one module (`MINIDUMP_MODULE_CRASHPAD_INFO`).
public struct MINIDUMP_MODULE_CRASHPAD_INFO: Sendable, Equatable {
    /// Index into the ModuleList.
    public var moduleIndex: UInt32 = 0
    public var version: UInt32 = 0
    public var listAnnotations: [String] = []
    public var simpleAnnotations: [(key: String, value: String)] = []
    public var annotationObjects: [MINIDUMP_ANNOTATION] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.moduleIndex == b.moduleIndex && a.version == b.version
            && a.listAnnotations == b.listAnnotations
            && a.simpleAnnotations.elementsEqual(b.simpleAnnotations, by: { $0 == $1 })
            && a.annotationObjects == b.annotationObjects
    }
}

/// A typed Crashpad annotation object (`MINIDUMP_ANNOTATION`).
public struct MINIDUMP_ANNOTATION: Sendable, Equatable {
    public static let TYPE_INVALID: UInt16 = 0
    public static let TYPE_STRING: UInt16 = 1
    public static let TYPE_USER_DEFINED: UInt16 = 0x8000
    public var name: String = ""
    public var type: UInt16 = 0
    /// The value's bytes (`MinidumpByteArray`); a string for `TYPE_STRING`.
    public var value: [UInt8] = []

    /// The value as text for string annotations.
    public var stringValue: String? {
        type == Self.TYPE_STRING ? String(decoding: value, as: UTF8.self) : nil
    }
}

/// macOS `__DATA,__crash_info` records from the MozMacosCrashInfo stream.
public struct MINIDUMP_MAC_CRASH_INFO_RECORD: Sendable, Equatable {
    public var streamType: UInt64 = 0
    public var version: UInt64 = 0
    /// Version 4 and later.
    public var thread: UInt64?
    public var dialogMode: UInt64?
    /// Version 5 and later.
    public var abortCause: UInt64?
    public var modulePath: String = ""
    public var message: String = ""
    public var signatureString: String = ""
    public var backtrace: String = ""
    public var message2: String = ""
}
