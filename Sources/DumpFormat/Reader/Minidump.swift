import Synchronization

/// A minidump file, read lazily.
///
/// Opening maps the file and reads only the header and the stream directory; each stream is
/// parsed when first asked for (the module list, system info and memory map are then cached).
/// Every offset, size and count is checked against the file and its stream before use, so a
/// damaged file gives an error or a partial result, never a crash.
///
/// Streams are reached through typed accessors (`threads()`, `modules()`, `memory()`, …) that
/// throw `MinidumpError`: `.streamNotFound` when the dump lacks the stream, `.malformed` when it
/// is damaged. Callers that only care whether a stream is usable can treat both alike
/// (`try? dump.modules()`). Problems that do not stop a stream from being used (an unreadable
/// module name, a duplicate stream, memory ranges cut short by a truncated file) are collected in
/// `warnings` for the caller to print.
///
/// A `Minidump` is immutable apart from its caches and may be shared between threads.
public final class Minidump: Sendable {
    /// The file header.
    public let header: MINIDUMP_HEADER
    /// The stream directory entries that fit in the file, in file order (unused entries too).
    public let directory: [MINIDUMP_DIRECTORY]
    /// Size of the file in bytes.
    public var fileSize: Int { bytes.count }

    let bytes: DumpBytes
    /// Stream type → directory indices, first one first (keyed by `Int`: see `readDirectory`).
    private let streamIndex: [Int: [Int]]
    private let openWarnings: [String]
    let cache = Mutex(Cache())

    struct Cache: Sendable {
        var warnings: [String] = []
        var warned: Set<String> = []
        var systemInfo: ReadOutcome<SystemInfo>?
        var modules: ReadOutcome<[MinidumpModule]>?
        var memory: MemoryView?
        var miscInfo: ReadOutcome<MINIDUMP_MISC_INFO>?
    }

    /// Opens and maps a dump file. Reads the header and the directory only.
    public convenience init(path: String) throws(MinidumpError) {
        try self.init(storage: try DumpBytes(mappingFile: path))
    }

    /// Reads a dump held in memory (the bytes are copied once).
    public convenience init<Bytes: Collection>(bytes: Bytes) throws(MinidumpError)
    where Bytes.Element == UInt8 {
        try self.init(storage: DumpBytes(copying: bytes))
    }

    init(storage: DumpBytes) throws(MinidumpError) {
        bytes = storage
        try Self.checkSignature(storage)
        var cursor = try Cursor(
            storage, offset: 0, length: MINIDUMP_HEADER.size, label: "minidump header")
        header = try MINIDUMP_HEADER(from: &cursor)

        var warnings: [String] = []
        if header.version & 0xffff != MINIDUMP_HEADER.versionValue {
            warnings.append(
                "minidump header: version \(hex(header.version & 0xffff)) is not the expected "
                    + "\(hex(MINIDUMP_HEADER.versionValue)); reading it anyway")
        }
        (directory, streamIndex) = Self.readDirectory(storage, header, &warnings)
        openWarnings = warnings
    }

    private static func checkSignature(_ storage: DumpBytes) throws(MinidumpError) {
        guard storage.count >= 4, let signature = storage.load(UInt32.self, at: 0) else {
            throw MinidumpError(
                .notMinidump,
                "not a minidump: the file is \(storage.count) bytes long, "
                    + "too short for a minidump header (32 bytes)")
        }
        if signature == MINIDUMP_HEADER.signatureValue {
            guard storage.count >= MINIDUMP_HEADER.size else {
                throw MinidumpError(
                    .malformed,
                    "minidump header: the file is \(storage.count) bytes long, "
                        + "the header needs 32", offset: 0)
            }
            return
        }
        let magic = storage.copy(offset: 0, length: min(8, storage.count)) ?? []
        let text = String(decoding: magic, as: UTF8.self)
        if text == "PAGEDUMP" || text == "PAGEDU64" {
            throw MinidumpError(
                .kernelDumpUnsupported,
                "this is a Windows kernel dump (\(text)); kernel dumps are not supported by "
                    + "this reader yet, only user-mode minidumps (MDMP)")
        }
        let kind: String
        if magic.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            kind = "an ELF file (a Linux core dump or program?)"
        } else if magic.starts(with: [0x4d, 0x5a]) {
            kind = "a PE executable or DLL (starts with MZ)"
        } else if magic.starts(with: [0x4d, 0x53, 0x43, 0x46]) {
            kind = "a Cabinet archive (extract the .dmp from it first)"
        } else if magic.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
            kind = "a ZIP archive (extract the .dmp from it first)"
        } else {
            kind = "the first bytes are " + magic.map { hex($0) }.joined(separator: " ")
        }
        throw MinidumpError(.notMinidump, "not a minidump (no MDMP signature): \(kind)", offset: 0)
    }

    private static func readDirectory(
        _ storage: DumpBytes, _ header: MINIDUMP_HEADER, _ warnings: inout [String]
    ) -> ([MINIDUMP_DIRECTORY], [Int: [Int]]) {
        let start = Int(header.streamDirectoryRva)
        let declared = Int(header.numberOfStreams)
        let available = max(0, storage.count - start) / MINIDUMP_DIRECTORY.size
        let count = min(declared, available)
        if count < declared {
            warnings.append(
                "stream directory at \(hex(start)): \(declared) entries of 12 bytes need "
                    + "\(declared * 12) bytes, the file has \(max(0, storage.count - start)); "
                    + "reading the \(count) that fit")
        }
        var entries: [MINIDUMP_DIRECTORY] = []
        // Keyed by `Int`, a type the runtime already knows is Hashable: a dictionary keyed by
        // a new type costs it a scan of every protocol conformance on first use.
        var index: [Int: [Int]] = [:]
        guard count > 0,
            var cursor = try? Cursor(
                storage, offset: start, length: count * MINIDUMP_DIRECTORY.size,
                label: "stream directory")
        else { return ([], [:]) }
        entries.reserveCapacity(count)
        // A garbage directory can hold thousands of bad entries; say the first few, count the rest.
        let maximumReported = 16
        var problems: [String] = []
        for position in 0..<count {
            guard let entry = try? MINIDUMP_DIRECTORY(from: &cursor) else { break }
            entries.append(entry)
            let type = entry.streamType
            if type == .unused { continue }
            let location = entry.location
            if !storage.contains(offset: Int(location.rva), length: Int(location.dataSize)) {
                problems.append(
                    "\(type.name) stream at \(hex(location.rva)): \(location.dataSize) bytes "
                        + "extend past the end of the file (\(storage.count) bytes)")
            }
            if let previous = index[Int(type.rawValue)], type != .exception {
                problems.append(
                    "duplicate \(type.name) stream (directory entry \(position)); "
                        + "using the first (entry \(previous[0]))")
            }
            index[Int(type.rawValue), default: []].append(position)
        }
        warnings += problems.prefix(maximumReported)
        if problems.count > maximumReported {
            warnings.append(
                "stream directory: \(problems.count - maximumReported) more damaged or duplicate "
                    + "entries not listed")
        }
        return (entries, index)
    }

    /// Everything the reader noticed that did not stop it: problems found at open time and
    /// by the streams read so far.
    public var warnings: [String] {
        openWarnings + cache.withLock { $0.warnings }
    }

    func warn(_ message: String) {
        cache.withLock { state in
            if state.warned.insert(message).inserted { state.warnings.append(message) }
        }
    }

    /// Whether the directory lists a stream of this type.
    public func hasStream(_ type: MINIDUMP_STREAM_TYPE) -> Bool {
        streamIndex[Int(type.rawValue)] != nil
    }

    /// The directory entries of one type, first one first (several Exception streams can exist).
    public func streams(_ type: MINIDUMP_STREAM_TYPE) -> [MINIDUMP_DIRECTORY] {
        (streamIndex[Int(type.rawValue)] ?? []).map { directory[$0] }
    }

    /// A cursor over the first stream of `type`.
    func stream(_ type: MINIDUMP_STREAM_TYPE) throws(MinidumpError) -> Cursor {
        guard let first = streamIndex[Int(type.rawValue)]?.first else { throw .notFound(type.name) }
        return try cursor(for: directory[first])
    }

    func cursor(for entry: MINIDUMP_DIRECTORY) throws(MinidumpError) -> Cursor {
        let location = entry.location
        return try Cursor(
            bytes, offset: Int(location.rva), length: Int(location.dataSize),
            label: "\(entry.streamType.name) stream at \(hex(location.rva))")
    }

    /// The raw bytes of the first stream of `type` (for streams this reader does not decode).
    public func rawStream(_ type: MINIDUMP_STREAM_TYPE) throws(MinidumpError) -> [UInt8] {
        var c = try stream(type)
        return try c.bytes(c.length)
    }

    /// The bytes a location descriptor points at, checked against the file.
    public func bytes(at location: MINIDUMP_LOCATION_DESCRIPTOR, what: String) throws(MinidumpError)
        -> [UInt8]
    {
        var c = try Cursor(
            bytes, offset: Int(location.rva), length: Int(location.dataSize), label: what)
        return try c.bytes(c.length)
    }
}
