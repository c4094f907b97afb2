import FoundationEssentials
import HostSystem

/// Where PE bytes (and, for the unwinder, process memory) come from.
///
/// The same protocol serves a file on disk (offsets are file offsets), an image mapped in a
/// process (offsets are RVAs, through `OffsetByteSource`) and a whole address space (offsets are
/// virtual addresses). A read either returns exactly `count` bytes or `nil`: a missing page, the
/// end of a file, or a count the source refuses are all "unavailable", and callers degrade.
public protocol ByteSource: Sendable {
    /// Exactly `count` bytes starting at `offset`, or `nil` when any of them is unavailable.
    func read(at offset: UInt64, count: Int) -> [UInt8]?
}

extension ByteSource {
    /// A little-endian 16-bit value at `offset`, or nil.
    public func readUInt16(at offset: UInt64) -> UInt16? {
        guard let bytes = read(at: offset, count: 2), bytes.count == 2 else { return nil }
        return UInt16(bytes[0]) | UInt16(bytes[1]) << 8
    }

    /// A little-endian 32-bit value at `offset`, or nil.
    public func readUInt32(at offset: UInt64) -> UInt32? {
        guard let bytes = read(at: offset, count: 4), bytes.count == 4 else { return nil }
        return ByteReader.uint32(bytes, 0)
    }

    /// A little-endian 64-bit value at `offset`, or nil.
    public func readUInt64(at offset: UInt64) -> UInt64? {
        guard let bytes = read(at: offset, count: 8), bytes.count == 8 else { return nil }
        return ByteReader.uint64(bytes, 0)
    }

    /// A little-endian pointer of `size` bytes (4 or 8) at `offset`, widened to 64 bits.
    public func readPointer(at offset: UInt64, size: Int) -> UInt64? {
        size == 4 ? readUInt32(at: offset).map(UInt64.init) : readUInt64(at: offset)
    }
}

/// Bytes held in memory: a test fixture, a stream copied out of a dump, a small file.
public struct ArrayByteSource: ByteSource {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= UInt64(bytes.count),
            UInt64(count) <= UInt64(bytes.count) - offset
        else { return nil }
        let start = Int(offset)
        return Array(bytes[start..<start + count])
    }
}

/// Bytes of a `Data`, typically a file mapped with `mmap` (`DataByteSource(mappingFile:)`), so
/// only the pages actually read are brought in.
public struct DataByteSource: ByteSource {
    public let data: Data

    public init(_ data: Data) { self.data = data }

    /// Maps the file at `path` read-only.
    public init(mappingFile path: String) throws(PEError) {
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw PEError.unreadableFile(path: path, reason: ErrorText.describe(error))
        }
    }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset <= UInt64(data.count),
            UInt64(count) <= UInt64(data.count) - offset
        else { return nil }
        let start = data.startIndex + Int(offset)
        return [UInt8](data[start..<start + count])
    }
}

/// A window onto another source: offset `o` here is offset `base + o` there. An image mapped in a
/// process at `base` becomes an RVA-addressed source this way.
public struct OffsetByteSource: ByteSource {
    public let base: UInt64
    public let underlying: any ByteSource

    public init(base: UInt64, underlying: any ByteSource) {
        self.base = base
        self.underlying = underlying
    }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        let (address, overflow) = base.addingReportingOverflow(offset)
        guard !overflow else { return nil }
        return underlying.read(at: address, count: count)
    }
}

/// A source backed by a closure, for adapting an existing memory reader without a new type.
public struct ClosureByteSource: ByteSource {
    private let reader: @Sendable (UInt64, Int) -> [UInt8]?

    public init(_ reader: @escaping @Sendable (UInt64, Int) -> [UInt8]?) { self.reader = reader }

    public func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard let bytes = reader(offset, count), bytes.count == count else { return nil }
        return bytes
    }
}
