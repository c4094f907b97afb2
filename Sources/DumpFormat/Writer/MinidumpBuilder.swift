/// Writes a minidump from Swift values: header, directory, SystemInfo, MiscInfo, ThreadList with
/// contexts, ModuleList with CodeView records, UnloadedModuleList, Exception, MemoryList,
/// Memory64List, MemoryInfoList, HandleData and any raw stream.
///
/// Used by tests to make precise fixtures, by the benchmark to generate large sparse dumps and
/// (later) by `.dump`. `write(to:)` streams Memory64List contents produced by a closure straight
/// to the file, so a dump spanning gigabytes of address space never sits in memory; everything
/// else (the "metadata") is assembled in memory first.
///
/// Layout: header, directory, then each stream's referenced data (strings, contexts, records,
/// MemoryList bytes) followed by the stream itself, and last the Memory64List data.
public struct MinidumpBuilder: Sendable {
    /// Where a memory range's bytes come from.
    public enum Content: Sendable {
        case bytes([UInt8])
        /// Called with (address, count) for pieces of at most 1 MiB, in address order; must
        /// return `count` bytes (shorter results are zero-padded, longer ones cut).
        case generated(size: UInt64, @Sendable (UInt64, Int) -> [UInt8])

        var size: UInt64 {
            switch self {
            case .bytes(let bytes): return UInt64(bytes.count)
            case .generated(let size, _): return size
            }
        }
    }

    public struct Thread: Sendable {
        public var threadId: UInt32
        public var suspendCount: UInt32 = 0
        public var priorityClass: UInt32 = 0x20
        public var priority: UInt32 = 0
        public var teb: UInt64 = 0
        /// Stack memory: its start address and bytes. Also listed in the MemoryList.
        public var stackStart: UInt64 = 0
        public var stack: [UInt8] = []
        /// Encoded context bytes (see `CPUContext.encode`).
        public var context: [UInt8]

        public init(threadId: UInt32, context: [UInt8]) {
            self.threadId = threadId
            self.context = context
        }
    }

    public struct Module: Sendable {
        public var name: String
        public var baseOfImage: UInt64
        public var sizeOfImage: UInt32
        public var checkSum: UInt32 = 0
        public var timeDateStamp: UInt32 = 0
        public var versionInfo = VS_FIXEDFILEINFO()
        public var codeView: CodeViewRecord?
        /// Raw `IMAGE_DEBUG_MISC` bytes, when wanted.
        public var miscRecord: [UInt8]?

        public init(name: String, baseOfImage: UInt64, sizeOfImage: UInt32) {
            self.name = name
            self.baseOfImage = baseOfImage
            self.sizeOfImage = sizeOfImage
        }
    }

    public struct UnloadedModule: Sendable {
        public var name: String
        public var raw: MINIDUMP_UNLOADED_MODULE

        public init(name: String, raw: MINIDUMP_UNLOADED_MODULE) {
            self.name = name
            self.raw = raw
        }
    }

    public struct Exception: Sendable {
        public var threadId: UInt32
        public var record: MINIDUMP_EXCEPTION
        public var context: [UInt8]

        public init(threadId: UInt32, record: MINIDUMP_EXCEPTION, context: [UInt8]) {
            self.threadId = threadId
            self.record = record
            self.context = context
        }
    }

    public struct Handle: Sendable {
        public var raw: MINIDUMP_HANDLE_DESCRIPTOR
        public var typeName: String?
        public var objectName: String?

        public init(
            raw: MINIDUMP_HANDLE_DESCRIPTOR, typeName: String? = nil, objectName: String? = nil
        ) {
            self.raw = raw
            self.typeName = typeName
            self.objectName = objectName
        }
    }

    public var timeDateStamp: UInt32 = 0
    public var flags: UInt64 = 0
    /// The high 16 bits of the header's version field.
    public var implementationVersion: UInt16 = 0
    public var systemInfo: MINIDUMP_SYSTEM_INFO?
    /// The service-pack (CSD) string SystemInfo points at.
    public var csdVersion: String = ""
    public var miscInfo: MINIDUMP_MISC_INFO?
    public var threads: [Thread] = []
    public var modules: [Module] = []
    public var unloadedModules: [UnloadedModule] = []
    /// One Exception stream per entry (usually zero or one).
    public var exceptions: [Exception] = []
    /// MemoryList ranges (besides thread stacks, which are added automatically).
    public var memory: [(address: UInt64, bytes: [UInt8])] = []
    /// Memory64List ranges; their data goes at the end of the file, in this order.
    public var memory64: [(address: UInt64, content: Content)] = []
    public var memoryInfo: [MINIDUMP_MEMORY_INFO] = []
    public var handles: [Handle] = []
    /// Write version-2 handle descriptors (40 bytes) instead of version 1 (32 bytes).
    public var handleDescriptorVersion2 = true
    /// Streams written as given (comments, Breakpad/Linux/Crashpad streams, …).
    public var rawStreams: [(type: MINIDUMP_STREAM_TYPE, bytes: [UInt8])] = []

    public init() {}

    /// A `CommentStreamW` raw stream: the text as UTF-16LE with a terminating NUL.
    public static func comment(_ text: String) -> (type: MINIDUMP_STREAM_TYPE, bytes: [UInt8]) {
        let units = text.utf16.flatMap {
            [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)]
        }
        return (.commentW, units + [0, 0])
    }

    /// The whole file in memory (Memory64List contents are generated here too).
    public func build() -> [UInt8] {
        let layout = makeLayout()
        var bytes = layout.metadata
        bytes.reserveCapacity(bytes.count + Int(clamping: layout.memory64Size))
        forEachMemory64Chunk { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Writes the dump to `path`, streaming Memory64List contents in 1 MiB pieces.
    public func write(to path: String) throws(MinidumpError) {
        let layout = makeLayout()
        let file = try FileWriter(path: path)
        try file.write(layout.metadata)
        var failure: MinidumpError?
        forEachMemory64Chunk { chunk in
            guard failure == nil else { return }
            do throws(MinidumpError) { try file.write(chunk) } catch { failure = error }
        }
        try file.close()
        if let failure { throw failure }
    }

    private static let chunkSize = 1 << 20

    private func forEachMemory64Chunk(_ body: ([UInt8]) -> Void) {
        for (address, content) in memory64 {
            switch content {
            case .bytes(let bytes):
                body(bytes)
            case .generated(let size, let generate):
                var done: UInt64 = 0
                while done < size {
                    let count = Int(min(UInt64(Self.chunkSize), size - done))
                    var piece = generate(address &+ done, count)
                    if piece.count != count {
                        piece =
                            Array(piece.prefix(count))
                            + Array(repeating: 0, count: max(0, count - piece.count))
                    }
                    body(piece)
                    done += UInt64(count)
                }
            }
        }
    }
}
