/// An x64 `RUNTIME_FUNCTION` (`.pdata` entry): a function's code range and its UNWIND_INFO, all
/// as RVAs from the image base.
public struct X64RuntimeFunction: Sendable, Equatable, Hashable {
    public var beginAddress: UInt32
    /// One past the last byte of the function.
    public var endAddress: UInt32
    /// RVA of the UNWIND_INFO. When bit 0 is set the entry is indirect: the RVA (with the bit
    /// cleared) names another RUNTIME_FUNCTION that holds the real unwind data.
    public var unwindInfoAddress: UInt32

    public static let size = 12

    public init(beginAddress: UInt32, endAddress: UInt32, unwindInfoAddress: UInt32) {
        self.beginAddress = beginAddress
        self.endAddress = endAddress
        self.unwindInfoAddress = unwindInfoAddress
    }

    /// True when `rva` is inside [begin, end).
    public func contains(rva: UInt32) -> Bool { rva >= beginAddress && rva < endAddress }

    /// True when UnwindData points at another RUNTIME_FUNCTION instead of an UNWIND_INFO.
    public var isIndirect: Bool { unwindInfoAddress & 1 != 0 }

    /// Decodes 12 little-endian bytes.
    public init?(bytes: [UInt8], at offset: Int = 0) {
        guard let begin = ByteReader.uint32(bytes, offset),
            let end = ByteReader.uint32(bytes, offset + 4),
            let unwind = ByteReader.uint32(bytes, offset + 8)
        else { return nil }
        self.init(beginAddress: begin, endAddress: end, unwindInfoAddress: unwind)
    }
}

/// A table of x64 RUNTIME_FUNCTION entries, sorted by begin address as the format requires, read
/// lazily: a lookup costs O(log n) 12-byte reads. The table can come from an image's exception
/// directory or from raw bytes (a minidump's FunctionTable stream).
public struct X64FunctionTable: Sendable {
    private let source: any ByteSource
    private let offset: UInt64
    /// Number of entries.
    public let count: Int

    /// A table of `count` entries starting at `offset` in `source`.
    public init(source: any ByteSource, offset: UInt64, count: Int) {
        self.source = source
        self.offset = offset
        self.count = max(0, count)
    }

    /// A table held in memory: `bytes.count / 12` entries.
    public init(bytes: [UInt8]) {
        self.init(
            source: ArrayByteSource(bytes), offset: 0, count: bytes.count / X64RuntimeFunction.size)
    }

    /// A table of already-decoded entries (sorted here).
    public init(entries: [X64RuntimeFunction]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * X64RuntimeFunction.size)
        for entry in entries.sorted(by: { $0.beginAddress < $1.beginAddress }) {
            for value in [entry.beginAddress, entry.endAddress, entry.unwindInfoAddress] {
                withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
            }
        }
        self.init(bytes: bytes)
    }

    /// The entry at `index`, or nil when out of range or unreadable.
    public func entry(at index: Int) -> X64RuntimeFunction? {
        guard index >= 0, index < count else { return nil }
        let position = offset + UInt64(index) * UInt64(X64RuntimeFunction.size)
        guard let bytes = source.read(at: position, count: X64RuntimeFunction.size) else {
            return nil
        }
        return X64RuntimeFunction(bytes: bytes)
    }

    /// The entry whose range contains `rva` (binary search), or nil. Indirect entries are
    /// returned as they are; `resolve(_:)` follows them.
    public func lookup(rva: UInt32) -> X64RuntimeFunction? {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            guard let entry = entry(at: middle) else { return nil }
            if rva < entry.beginAddress {
                high = middle
            } else if rva >= entry.endAddress {
                low = middle + 1
            } else {
                return entry
            }
        }
        return nil
    }

    /// Every readable entry, sorted by begin address.
    public func allEntries() -> [X64RuntimeFunction] {
        var result: [X64RuntimeFunction] = []
        let chunk = 4096
        var start = 0
        while start < count {
            let entries = min(chunk, count - start)
            let position = offset + UInt64(start) * UInt64(X64RuntimeFunction.size)
            guard let bytes = source.read(at: position, count: entries * X64RuntimeFunction.size)
            else {
                // A missing page: fall back to entry-by-entry so the rest still reads.
                for index in start..<start + entries {
                    if let entry = entry(at: index) { result.append(entry) }
                }
                start += entries
                continue
            }
            for index in 0..<entries {
                if let entry = X64RuntimeFunction(bytes: bytes, at: index * X64RuntimeFunction.size)
                {
                    result.append(entry)
                }
            }
            start += entries
        }
        return result.sorted { $0.beginAddress < $1.beginAddress }
    }
}

extension PEImage {
    /// The exception directory of an x64 image as a RUNTIME_FUNCTION table.
    public func x64FunctionTable() throws(PEError) -> X64FunctionTable {
        guard machine == .amd64 else {
            throw .wrongMachine(what: "x64 exception directory", machine: machine)
        }
        guard let directory = dataDirectory(.exception) else {
            throw .missing(what: "exception directory (.pdata)")
        }
        try checkFits(
            what: "exception directory", rva: directory.virtualAddress, size: UInt64(directory.size)
        )
        return X64FunctionTable(
            source: rvaSource, offset: UInt64(directory.virtualAddress),
            count: Int(directory.size) / X64RuntimeFunction.size)
    }
}
