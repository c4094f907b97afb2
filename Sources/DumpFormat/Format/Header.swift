// The minidump file header, the stream directory and the small location structs every other
// structure uses. Layouts follow Microsoft's minidumpapiset.h; names follow Microsoft's
// (and rust-minidump's minidump-common/src/format.rs).

/// An offset from the start of the file (Microsoft's `RVA`).
public typealias RVA = UInt32
/// A 64-bit offset from the start of the file (`RVA64`).
public typealias RVA64 = UInt64

/// The file header: signature, version, stream count and directory location (32 bytes).
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_header>
public struct MINIDUMP_HEADER: Sendable, Equatable {
    /// `MDMP` read as a little-endian `UInt32`.
    public static let signatureValue: UInt32 = 0x504d_444d
    /// `MINIDUMP_VERSION`, the low 16 bits of `version`.
    public static let versionValue: UInt32 = 0xa793
    public static let size = 32

    public var signature: UInt32 = signatureValue
    /// Low 16 bits `MINIDUMP_VERSION` (42899); high 16 bits implementation specific.
    public var version: UInt32 = versionValue
    public var numberOfStreams: UInt32 = 0
    public var streamDirectoryRva: RVA = 0
    public var checkSum: UInt32 = 0
    /// Seconds since 1970-01-01 UTC when the dump was written.
    public var timeDateStamp: UInt32 = 0
    /// `MINIDUMP_TYPE` flags the dump was written with.
    public var flags: UInt64 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        signature = try c.u32()
        version = try c.u32()
        numberOfStreams = try c.u32()
        streamDirectoryRva = try c.u32()
        checkSum = try c.u32()
        timeDateStamp = try c.u32()
        flags = try c.u64()
    }

    func encode(into w: inout ByteWriter) {
        w.u32(signature)
        w.u32(version)
        w.u32(numberOfStreams)
        w.u32(streamDirectoryRva)
        w.u32(checkSum)
        w.u32(timeDateStamp)
        w.u64(flags)
    }
}

/// Size and file offset of a piece of data (8 bytes).
public struct MINIDUMP_LOCATION_DESCRIPTOR: Sendable, Equatable {
    public static let size = 8
    public var dataSize: UInt32 = 0
    public var rva: RVA = 0

    public init(dataSize: UInt32 = 0, rva: RVA = 0) {
        self.dataSize = dataSize
        self.rva = rva
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        dataSize = try c.u32()
        rva = try c.u32()
    }

    func encode(into w: inout ByteWriter) {
        w.u32(dataSize)
        w.u32(rva)
    }
}

/// Size and file offset of a piece of data, 64-bit (16 bytes).
public struct MINIDUMP_LOCATION_DESCRIPTOR64: Sendable, Equatable {
    public var dataSize: UInt64 = 0
    public var rva: RVA64 = 0
    public init(dataSize: UInt64 = 0, rva: RVA64 = 0) {
        self.dataSize = dataSize
        self.rva = rva
    }
}

/// A range of process memory saved in the file (16 bytes): used by MemoryList and thread stacks.
public struct MINIDUMP_MEMORY_DESCRIPTOR: Sendable, Equatable {
    public static let size = 16
    public var startOfMemoryRange: UInt64 = 0
    public var memory = MINIDUMP_LOCATION_DESCRIPTOR()

    public init(startOfMemoryRange: UInt64 = 0, memory: MINIDUMP_LOCATION_DESCRIPTOR = .init()) {
        self.startOfMemoryRange = startOfMemoryRange
        self.memory = memory
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        startOfMemoryRange = try c.u64()
        memory = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
    }

    func encode(into w: inout ByteWriter) {
        w.u64(startOfMemoryRange)
        memory.encode(into: &w)
    }
}

/// A range of process memory in a Memory64List (16 bytes). Its data follows the previous
/// range's data, starting at the list's `BaseRva`.
public struct MINIDUMP_MEMORY_DESCRIPTOR64: Sendable, Equatable {
    public static let size = 16
    public var startOfMemoryRange: UInt64 = 0
    public var dataSize: UInt64 = 0

    public init(startOfMemoryRange: UInt64 = 0, dataSize: UInt64 = 0) {
        self.startOfMemoryRange = startOfMemoryRange
        self.dataSize = dataSize
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        startOfMemoryRange = try c.u64()
        dataSize = try c.u64()
    }

    func encode(into w: inout ByteWriter) {
        w.u64(startOfMemoryRange)
        w.u64(dataSize)
    }
}

/// One entry of the stream directory (12 bytes).
public struct MINIDUMP_DIRECTORY: Sendable, Equatable {
    public static let size = 12
    public var streamType: MINIDUMP_STREAM_TYPE
    public var location: MINIDUMP_LOCATION_DESCRIPTOR

    public init(streamType: MINIDUMP_STREAM_TYPE, location: MINIDUMP_LOCATION_DESCRIPTOR) {
        self.streamType = streamType
        self.location = location
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        streamType = MINIDUMP_STREAM_TYPE(rawValue: try c.u32())
        location = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
    }

    func encode(into w: inout ByteWriter) {
        w.u32(streamType.rawValue)
        location.encode(into: &w)
    }
}

/// A 128-bit GUID as laid out in the file: `Data1` u32, `Data2` u16, `Data3` u16, `Data4[8]`.
public struct GUID: Sendable, Hashable, CustomStringConvertible {
    public var data1: UInt32
    public var data2: UInt16
    public var data3: UInt16
    public var data4: [UInt8]

    public init(
        data1: UInt32 = 0, data2: UInt16 = 0, data3: UInt16 = 0,
        data4: [UInt8] = .init(repeating: 0, count: 8)
    ) {
        self.data1 = data1
        self.data2 = data2
        self.data3 = data3
        self.data4 =
            data4.count == 8 ? data4 : Array((data4 + Array(repeating: 0, count: 8)).prefix(8))
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        data1 = try c.u32()
        data2 = try c.u16()
        data3 = try c.u16()
        data4 = try c.bytes(8)
    }

    func encode(into w: inout ByteWriter) {
        w.u32(data1)
        w.u16(data2)
        w.u16(data3)
        w.append(data4)
    }

    /// The 16 bytes as they are stored in the file.
    public var bytes: [UInt8] {
        var w = ByteWriter()
        encode(into: &w)
        return w.bytes
    }

    /// `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, upper case, as debuggers print GUIDs.
    public var description: String {
        func h<T: BinaryInteger>(_ v: T, _ width: Int) -> String {
            let s = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let tail = data4.map { h($0, 2) }
        return "\(h(data1, 8))-\(h(data2, 4))-\(h(data3, 4))-\(tail[0..<2].joined())-"
            + tail[2...].joined()
    }
}
