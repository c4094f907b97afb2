/// One `IMAGE_DEBUG_DIRECTORY` entry.
public struct DebugDirectoryEntry: Sendable, Equatable {
    public var characteristics: UInt32
    public var timeDateStamp: UInt32
    public var majorVersion: UInt16
    public var minorVersion: UInt16
    /// IMAGE_DEBUG_TYPE_* (2 = CodeView, 13 = POGO, 16 = repro...).
    public var type: UInt32
    public var sizeOfData: UInt32
    /// RVA of the data when it is mapped, 0 otherwise.
    public var addressOfRawData: UInt32
    /// File offset of the data.
    public var pointerToRawData: UInt32

    public static let typeCodeView: UInt32 = 2
    public static let size = 28
}

/// A 16-byte GUID as stored in CodeView records (first three fields little-endian).
public struct PEGUID: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    private var fields: (UInt32, UInt16, UInt16) {
        (
            ByteReader.uint32(bytes, 0) ?? 0, ByteReader.uint16(bytes, 4) ?? 0,
            ByteReader.uint16(bytes, 6) ?? 0
        )
    }

    private static func hex<T: FixedWidthInteger>(_ value: T, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `{8-4-4-4-12}` upper-case hex, without braces.
    public var description: String {
        let (a, b, c) = fields
        let tail = bytes.dropFirst(8).map { Self.hex($0, width: 2) }
        guard tail.count == 8 else { return "" }
        return "\(Self.hex(a, width: 8))-\(Self.hex(b, width: 4))-\(Self.hex(c, width: 4))-"
            + tail[0..<2].joined() + "-" + tail[2...].joined()
    }

    /// The 32 hex digits without dashes, as used in symbol-server paths.
    public var compactString: String { String(description.filter { $0 != "-" }) }
}

/// The CodeView record that names the PDB of an image.
public enum CodeViewRecord: Sendable, Equatable {
    /// `RSDS`: PDB 7.0.
    case pdb70(guid: PEGUID, age: UInt32, path: String)
    /// `NB10`: PDB 2.0.
    case pdb20(signature: UInt32, age: UInt32, path: String)

    public var pdbPath: String {
        switch self {
        case .pdb70(_, _, let path), .pdb20(_, _, let path): return path
        }
    }

    public var age: UInt32 {
        switch self {
        case .pdb70(_, let age, _), .pdb20(_, let age, _): return age
        }
    }

    /// The symbol-server identifier: GUID (or signature) in hex followed by the age in hex,
    /// e.g. `5A9832E5287241C1838ED98914E9B7FF1`.
    public var symbolServerIdentifier: String {
        switch self {
        case .pdb70(let guid, let age, _):
            return guid.compactString + String(age, radix: 16, uppercase: true)
        case .pdb20(let signature, let age, _):
            return String(signature, radix: 16, uppercase: true)
                + String(age, radix: 16, uppercase: true)
        }
    }

    /// Decodes an RSDS or NB10 record; nil for other signatures or short data.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 16 else { return nil }
        let signature = String(decoding: bytes[0..<4], as: UTF8.self)
        switch signature {
        case "RSDS":
            guard bytes.count >= 24, let age = ByteReader.uint32(bytes, 20) else { return nil }
            self = .pdb70(
                guid: PEGUID(bytes: Array(bytes[4..<20])), age: age,
                path: ByteReader.cString(bytes, 24))
        case "NB10":
            guard let stamp = ByteReader.uint32(bytes, 8), let age = ByteReader.uint32(bytes, 12)
            else {
                return nil
            }
            self = .pdb20(signature: stamp, age: age, path: ByteReader.cString(bytes, 16))
        default:
            return nil
        }
    }
}

extension PEImage {
    /// At most this many debug directory entries are read.
    static let maximumDebugEntries = 64

    /// The debug directory entries.
    public func debugDirectory() throws(PEError) -> [DebugDirectoryEntry] {
        guard let directory = dataDirectory(.debug) else { throw .missing(what: "debug directory") }
        let count = min(Int(directory.size) / DebugDirectoryEntry.size, Self.maximumDebugEntries)
        guard
            let bytes = read(rva: directory.virtualAddress, count: count * DebugDirectoryEntry.size)
        else {
            throw .truncated(what: "debug directory", offset: UInt64(directory.virtualAddress))
        }
        return (0..<count).map { index in
            let base = index * DebugDirectoryEntry.size
            return DebugDirectoryEntry(
                characteristics: ByteReader.uint32(bytes, base) ?? 0,
                timeDateStamp: ByteReader.uint32(bytes, base + 4) ?? 0,
                majorVersion: ByteReader.uint16(bytes, base + 8) ?? 0,
                minorVersion: ByteReader.uint16(bytes, base + 10) ?? 0,
                type: ByteReader.uint32(bytes, base + 12) ?? 0,
                sizeOfData: ByteReader.uint32(bytes, base + 16) ?? 0,
                addressOfRawData: ByteReader.uint32(bytes, base + 20) ?? 0,
                pointerToRawData: ByteReader.uint32(bytes, base + 24) ?? 0)
        }
    }

    /// The raw data of a debug directory entry (by RVA when mapped, by file offset in a file).
    public func debugData(_ entry: DebugDirectoryEntry) -> [UInt8]? {
        let size = min(Int(entry.sizeOfData), 0x10000)
        if entry.addressOfRawData != 0, let bytes = read(rva: entry.addressOfRawData, count: size) {
            return bytes
        }
        if layout == .file, entry.pointerToRawData != 0 {
            return source.read(at: UInt64(entry.pointerToRawData), count: size)
        }
        return nil
    }

    /// The first CodeView record (RSDS or NB10), or nil when the image has none.
    public func codeView() throws(PEError) -> CodeViewRecord? {
        for entry in try debugDirectory() where entry.type == DebugDirectoryEntry.typeCodeView {
            guard let bytes = debugData(entry) else {
                throw .truncated(what: "CodeView record", offset: UInt64(entry.addressOfRawData))
            }
            if let record = CodeViewRecord(bytes: bytes) { return record }
        }
        return nil
    }
}
