/// A thread of the target as `~` lists it.
public struct TargetThread: Sendable, Equatable {
    /// The operating system's thread id (`Id: pid.tid`).
    public var systemID: UInt32
    /// Thread environment block address (0 when unknown).
    public var teb: UInt64
    public var suspendCount: UInt32
    public var isFrozen: Bool
    /// From a ThreadNames stream, when present.
    public var name: String?
    public var priorityClass: UInt32?
    public var priority: Int32?
    /// The stack memory recorded for the thread, when known.
    public var stack: Range<UInt64>?
    /// A live target's thread that has ended: it keeps its number (numbers are never reused)
    /// but `~` no longer lists it.
    public var hasExited: Bool
    /// CPU and wall time (`!runaway`), when the target knows them.
    public var times: ThreadTimes?

    public init(
        systemID: UInt32, teb: UInt64 = 0, suspendCount: UInt32 = 0, isFrozen: Bool = false,
        name: String? = nil, priorityClass: UInt32? = nil, priority: Int32? = nil,
        stack: Range<UInt64>? = nil, hasExited: Bool = false, times: ThreadTimes? = nil
    ) {
        self.times = times
        self.stack = stack
        self.hasExited = hasExited
        self.systemID = systemID
        self.teb = teb
        self.suspendCount = suspendCount
        self.isFrozen = isFrozen
        self.name = name
        self.priorityClass = priorityClass
        self.priority = priority
    }
}

/// Time a thread consumed, in 100-ns units (FILETIME's unit).
public struct ThreadTimes: Sendable, Equatable {
    public var user: UInt64
    public var kernel: UInt64
    /// Since the thread was created, up to the dump's time or the thread's exit; nil when
    /// unknown.
    public var elapsed: UInt64?

    public init(user: UInt64, kernel: UInt64, elapsed: UInt64?) {
        self.user = user
        self.kernel = kernel
        self.elapsed = elapsed
    }
}

/// Fixed file information from a module's version resource (VS_FIXEDFILEINFO).
public struct ModuleVersion: Sendable, Equatable {
    public var fileVersion: (UInt16, UInt16, UInt16, UInt16)
    public var productVersion: (UInt16, UInt16, UInt16, UInt16)
    public var fileFlagsMask: UInt32
    public var fileFlags: UInt32
    public var fileOS: UInt32
    public var fileType: UInt32
    public var fileSubtype: UInt32
    public var fileDate: UInt64

    public init(
        fileVersion: (UInt16, UInt16, UInt16, UInt16),
        productVersion: (UInt16, UInt16, UInt16, UInt16), fileFlagsMask: UInt32 = 0,
        fileFlags: UInt32 = 0,
        fileOS: UInt32 = 0, fileType: UInt32 = 0, fileSubtype: UInt32 = 0, fileDate: UInt64 = 0
    ) {
        self.fileVersion = fileVersion
        self.productVersion = productVersion
        self.fileFlagsMask = fileFlagsMask
        self.fileFlags = fileFlags
        self.fileOS = fileOS
        self.fileType = fileType
        self.fileSubtype = fileSubtype
        self.fileDate = fileDate
    }

    public static func == (lhs: ModuleVersion, rhs: ModuleVersion) -> Bool {
        lhs.fileVersion == rhs.fileVersion && lhs.productVersion == rhs.productVersion
            && lhs.fileFlags == rhs.fileFlags && lhs.fileOS == rhs.fileOS
            && lhs.fileFlagsMask == rhs.fileFlagsMask
            && lhs.fileType == rhs.fileType && lhs.fileSubtype == rhs.fileSubtype
            && lhs.fileDate == rhs.fileDate
    }
}

/// The debug record that ties a module to its symbols.
public enum ModuleDebugRecord: Sendable, Equatable {
    /// CodeView RSDS: PDB 7.0 file name, GUID (16 bytes as stored) and age.
    case pdb70(pdbName: String, guid: [UInt8], age: UInt32)
    /// CodeView NB10: PDB 2.0 file name, signature (a timestamp) and age.
    case pdb20(pdbName: String, signature: UInt32, age: UInt32)
    /// An ELF build id (Breakpad/Crashpad `BpEL` record).
    case elfBuildID([UInt8])
}

/// A module (image) loaded in the target, as `lm` lists it.
public struct TargetModule: Sendable, Equatable {
    public var base: UInt64
    public var size: UInt64
    /// The image path as the dump recorded it (`C:\Windows\System32\ntdll.dll`,
    /// `/usr/lib/libc.so.6`).
    public var path: String
    public var timestamp: UInt32?
    public var checksum: UInt32?
    public var version: ModuleVersion?
    public var debugRecord: ModuleDebugRecord?
    /// Its place in the order the process loaded its modules (a dump's module list order),
    /// when the target knows it. When two modules share a name the later one gets its base
    /// appended (`ModuleNaming`); without it, the order of the module list decides.
    public var loadOrder: Int?

    public init(
        base: UInt64, size: UInt64, path: String, timestamp: UInt32? = nil,
        checksum: UInt32? = nil, version: ModuleVersion? = nil,
        debugRecord: ModuleDebugRecord? = nil, loadOrder: Int? = nil
    ) {
        self.loadOrder = loadOrder
        self.base = base
        self.size = size
        self.path = path
        self.timestamp = timestamp
        self.checksum = checksum
        self.version = version
        self.debugRecord = debugRecord
    }

    /// One past the last byte.
    public var end: UInt64 { base &+ size }

    public func contains(_ address: UInt64) -> Bool {
        address >= base && address - base < size
    }

    /// The image file name (`ntdll.dll`), whichever separator the path uses.
    public var imageName: String {
        // By UTF-8 bytes (both separators are ASCII): splitting the path into Characters was a
        // tenth of a dump session's start-up, since every module's name is asked for.
        let bytes = path.utf8
        func isSeparator(_ byte: UInt8) -> Bool { byte == 0x5C || byte == 0x2F }
        guard let last = bytes.lastIndex(where: { !isSeparator($0) }) else { return path }
        let end = bytes.index(after: last)
        let start = bytes[..<end].lastIndex(where: isSeparator).map(bytes.index(after:))
        return String(path[(start ?? bytes.startIndex)..<end])
    }

    /// The module name CDB uses: the file name without its extension (`ntdll`), for ELF
    /// libraries the part before `.so` (`libc.so.6` → `libc`, `libpthread-2.19.so` →
    /// `libpthread_2_19`), with characters that cannot appear in a symbol name replaced by `_`.
    public var moduleName: String {
        let bytes = Array(imageName.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return Self.moduleName(of: imageName) }
        // ASCII names (nearly all) by bytes: Character-wise string work was a twentieth of a
        // dump session's start-up.
        var end = bytes.count
        let dot = UInt8(ascii: ".")
        if let so = Self.firstSharedObjectSuffix(in: bytes) {
            end = so
        } else if let last = bytes.lastIndex(of: dot), last != 0 {
            let ext = String(decoding: bytes[(last + 1)...], as: UTF8.self).lowercased()
            if Self.strippedExtensions.contains(ext) { end = last }
        }
        let mapped = bytes[..<end].map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                byte
            default: UInt8(ascii: "_")
            }
        }
        return mapped.isEmpty ? "image" : String(decoding: mapped, as: UTF8.self)
    }

    private static let strippedExtensions: Set<String> = [
        "dll", "exe", "sys", "drv", "ocx", "cpl", "efi", "dylib", "bundle",
    ]

    /// Where the first `.so` that ends the name or is followed by `.` starts.
    private static func firstSharedObjectSuffix(in bytes: [UInt8]) -> Int? {
        let dot = UInt8(ascii: "."), s = UInt8(ascii: "s"), o = UInt8(ascii: "o")
        var index = 0
        while index + 3 <= bytes.count {
            if bytes[index] == dot, bytes[index + 1] == s, bytes[index + 2] == o {
                // The first `.so` decides, as a substring search would.
                return index + 3 == bytes.count || bytes[index + 3] == dot ? index : nil
            }
            index += 1
        }
        return nil
    }

    /// The same rules by characters, for names with non-ASCII letters (kept as they are).
    private static func moduleName(of imageName: String) -> String {
        var name = imageName
        if let so = name.firstRange(of: ".so"),
            so.upperBound == name.endIndex || name[so.upperBound] == "."
        {
            name = String(name[..<so.lowerBound])
        } else if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = name[name.index(after: dot)...].lowercased()
            if strippedExtensions.contains(ext) {
                name = String(name[..<dot])
            }
        }
        let mapped = name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" }
        return mapped.isEmpty ? "image" : String(mapped)
    }
}

/// A module that was loaded and is gone (`lm`'s `Unloaded modules:`).
public struct UnloadedModule: Sendable, Equatable {
    public var base: UInt64
    public var size: UInt64
    public var name: String
    public var timestamp: UInt32?
    public var checksum: UInt32?

    public init(
        base: UInt64, size: UInt64, name: String, timestamp: UInt32? = nil, checksum: UInt32? = nil
    ) {
        self.base = base
        self.size = size
        self.name = name
        self.timestamp = timestamp
        self.checksum = checksum
    }
}

/// An exception record (EXCEPTION_RECORD) as `.exr` shows it.
public struct ExceptionRecord: Sendable, Equatable {
    public var code: UInt32
    public var flags: UInt32
    /// Address of a chained record in the target (0 when none).
    public var nestedRecord: UInt64
    public var address: UInt64
    public var parameters: [UInt64]

    public init(
        code: UInt32, flags: UInt32 = 0, nestedRecord: UInt64 = 0, address: UInt64,
        parameters: [UInt64] = []
    ) {
        self.code = code
        self.flags = flags
        self.nestedRecord = nestedRecord
        self.address = address
        self.parameters = parameters
    }
}

/// What stopped the target (`.lastevent`).
public struct TargetEvent: Sendable, Equatable {
    public var processID: UInt32
    public var threadID: UInt32
    /// Index into the thread list of the thread the event happened on.
    public var threadIndex: Int?
    public var exception: ExceptionRecord
    /// The register context stored with the exception (`.ecxr`), when present.
    public var context: RegisterSet?
    /// First or second chance; nil when the dump does not say (`first/second chance not
    /// available`).
    public var firstChance: Bool?

    public init(
        processID: UInt32, threadID: UInt32, threadIndex: Int?, exception: ExceptionRecord,
        context: RegisterSet? = nil, firstChance: Bool? = nil
    ) {
        self.processID = processID
        self.threadID = threadID
        self.threadIndex = threadIndex
        self.exception = exception
        self.context = context
        self.firstChance = firstChance
    }
}

/// A region of the address space (MEMORY_BASIC_INFORMATION) for `!address`.
public struct MemoryRegion: Sendable, Equatable {
    public var base: UInt64
    public var allocationBase: UInt64
    public var allocationProtect: UInt32
    public var size: UInt64
    public var state: UInt32
    public var protect: UInt32
    public var type: UInt32

    public init(
        base: UInt64, allocationBase: UInt64, allocationProtect: UInt32, size: UInt64,
        state: UInt32, protect: UInt32, type: UInt32
    ) {
        self.base = base
        self.allocationBase = allocationBase
        self.allocationProtect = allocationProtect
        self.size = size
        self.state = state
        self.protect = protect
        self.type = type
    }

    public var end: UInt64 { base &+ size }
}

/// A handle (`!handle`), from a dump's HandleData stream.
public struct TargetHandle: Sendable, Equatable {
    public var handle: UInt64
    public var typeName: String?
    public var objectName: String?
    public var attributes: UInt32
    public var grantedAccess: UInt32
    public var handleCount: UInt32
    public var pointerCount: UInt32

    public init(
        handle: UInt64, typeName: String?, objectName: String?, attributes: UInt32,
        grantedAccess: UInt32, handleCount: UInt32, pointerCount: UInt32
    ) {
        self.handle = handle
        self.typeName = typeName
        self.objectName = objectName
        self.attributes = attributes
        self.grantedAccess = grantedAccess
        self.handleCount = handleCount
        self.pointerCount = pointerCount
    }
}
