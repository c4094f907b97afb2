/// One handle from the HandleData stream: `MINIDUMP_HANDLE_DESCRIPTOR` (32 bytes) or
/// `MINIDUMP_HANDLE_DESCRIPTOR_2` (40 bytes, adds `objectInfoRva`). `!handle` prints these.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_handle_descriptor_2>
public struct MINIDUMP_HANDLE_DESCRIPTOR: Sendable, Equatable {
    public static let size = 32
    public static let size2 = 40
    public var handle: UInt64 = 0
    /// RVA of the type name (`MINIDUMP_STRING`: "Event", "File", …), 0 when absent.
    public var typeNameRva: RVA = 0
    /// RVA of the object name, 0 when absent.
    public var objectNameRva: RVA = 0
    public var attributes: UInt32 = 0
    public var grantedAccess: UInt32 = 0
    public var handleCount: UInt32 = 0
    public var pointerCount: UInt32 = 0
    /// Version 2 only: RVA of a `MINIDUMP_HANDLE_OBJECT_INFORMATION` chain, 0 when absent.
    public var objectInfoRva: RVA?

    public init() {}

    init(from c: inout Cursor, version2: Bool) throws(MinidumpError) {
        handle = try c.u64()
        typeNameRva = try c.u32()
        objectNameRva = try c.u32()
        attributes = try c.u32()
        grantedAccess = try c.u32()
        handleCount = try c.u32()
        pointerCount = try c.u32()
        if version2 {
            objectInfoRva = try c.u32()
            _ = try c.u32()  // Reserved0
        }
    }

    func encode(into w: inout ByteWriter, version2: Bool) {
        w.u64(handle)
        w.u32(typeNameRva)
        w.u32(objectNameRva)
        w.u32(attributes)
        w.u32(grantedAccess)
        w.u32(handleCount)
        w.u32(pointerCount)
        if version2 {
            w.u32(objectInfoRva ?? 0)
            w.u32(0)
        }
    }
}

/// The header of the FunctionTable stream (24 bytes): sizes of the pieces that follow.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_function_table_stream>
public struct MINIDUMP_FUNCTION_TABLE_STREAM: Sendable, Equatable {
    public var sizeOfHeader: UInt32 = 24
    /// Size of each `MINIDUMP_FUNCTION_TABLE_DESCRIPTOR`.
    public var sizeOfDescriptor: UInt32 = 32
    /// Size of the native table descriptor (`DYNAMIC_FUNCTION_TABLE` on amd64) after each one.
    public var sizeOfNativeDescriptor: UInt32 = 0
    /// Size of one function entry (`RUNTIME_FUNCTION`, 12 bytes on amd64).
    public var sizeOfFunctionEntry: UInt32 = 12
    public var numberOfDescriptors: UInt32 = 0
    /// Padding after the header.
    public var sizeOfAlignPad: UInt32 = 0

    init(from c: inout Cursor) throws(MinidumpError) {
        sizeOfHeader = try c.u32()
        sizeOfDescriptor = try c.u32()
        sizeOfNativeDescriptor = try c.u32()
        sizeOfFunctionEntry = try c.u32()
        numberOfDescriptors = try c.u32()
        sizeOfAlignPad = try c.u32()
    }
}

/// One dynamic function table registered with `RtlAddFunctionTable` & co. (32 bytes), with
/// what follows it in the stream: the native descriptor and the raw function entries.
public struct MINIDUMP_FUNCTION_TABLE_DESCRIPTOR: Sendable, Equatable {
    public var minimumAddress: UInt64 = 0
    public var maximumAddress: UInt64 = 0
    /// The base the entries' RVAs are relative to.
    public var baseAddress: UInt64 = 0
    public var entryCount: UInt32 = 0
    public var sizeOfAlignPad: UInt32 = 0
    /// The native (OS-defined) table descriptor, raw.
    public var nativeDescriptor: [UInt8] = []
    /// The `entryCount` function entries, raw, each `sizeOfFunctionEntry` bytes.
    public var rawEntries: [UInt8] = []
    public var entrySize: Int = 12

    /// The entries as amd64 `RUNTIME_FUNCTION`s (when entries are 12 bytes or larger).
    public var runtimeFunctions: [RUNTIME_FUNCTION] {
        guard entrySize >= RUNTIME_FUNCTION.size else { return [] }
        var result: [RUNTIME_FUNCTION] = []
        result.reserveCapacity(rawEntries.count / entrySize)
        var offset = 0
        while offset + RUNTIME_FUNCTION.size <= rawEntries.count {
            func u32(_ at: Int) -> UInt32 {
                UInt32(rawEntries[at]) | UInt32(rawEntries[at + 1]) << 8
                    | UInt32(rawEntries[at + 2]) << 16 | UInt32(rawEntries[at + 3]) << 24
            }
            result.append(
                RUNTIME_FUNCTION(
                    beginAddress: u32(offset), endAddress: u32(offset + 4),
                    unwindData: u32(offset + 8)))
            offset += entrySize
        }
        return result
    }
}

/// An amd64 `.pdata` entry (12 bytes): function start and end and the unwind information, all
/// RVAs relative to a base (the image base, or a function table's `baseAddress`).
public struct RUNTIME_FUNCTION: Sendable, Equatable {
    public static let size = 12
    public var beginAddress: UInt32
    public var endAddress: UInt32
    /// RVA of `UNWIND_INFO` (or, with the low bit set, of a chained `RUNTIME_FUNCTION`).
    public var unwindData: UInt32

    public init(beginAddress: UInt32, endAddress: UInt32, unwindData: UInt32) {
        self.beginAddress = beginAddress
        self.endAddress = endAddress
        self.unwindData = unwindData
    }
}

/// One security token from the Token stream: its header and the raw token bytes.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_token_info_header>
public struct MINIDUMP_TOKEN_INFO: Sendable, Equatable {
    /// Size of the entry, header included.
    public var tokenSize: UInt32 = 0
    public var tokenId: UInt32 = 0
    public var tokenHandle: UInt64 = 0
    /// The token data after the 16-byte header.
    public var data: [UInt8] = []
}
