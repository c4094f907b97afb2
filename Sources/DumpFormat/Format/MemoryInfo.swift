/// One region of the process's address space from the MemoryInfoList stream (48 bytes): what
/// `!address` prints. It describes the region whether or not its bytes are in the dump.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_memory_info>
public struct MINIDUMP_MEMORY_INFO: Sendable, Equatable {
    public static let size = 48
    public var baseAddress: UInt64 = 0
    public var allocationBase: UInt64 = 0
    /// `PAGE_*` protection the region was allocated with.
    public var allocationProtect: UInt32 = 0
    public var regionSize: UInt64 = 0
    /// `MEM_COMMIT` (0x1000), `MEM_RESERVE` (0x2000) or `MEM_FREE` (0x10000).
    public var state: UInt32 = 0
    /// Current `PAGE_*` protection.
    public var protect: UInt32 = 0
    /// `MEM_PRIVATE` (0x20000), `MEM_MAPPED` (0x40000) or `MEM_IMAGE` (0x1000000).
    public var type: UInt32 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        baseAddress = try c.u64()
        allocationBase = try c.u64()
        allocationProtect = try c.u32()
        _ = try c.u32()  // __alignment1
        regionSize = try c.u64()
        state = try c.u32()
        protect = try c.u32()
        type = try c.u32()
        _ = try c.u32()  // __alignment2
    }

    func encode(into w: inout ByteWriter) {
        w.u64(baseAddress)
        w.u64(allocationBase)
        w.u32(allocationProtect)
        w.u32(0)
        w.u64(regionSize)
        w.u32(state)
        w.u32(protect)
        w.u32(type)
        w.u32(0)
    }

    public static let MEM_COMMIT: UInt32 = 0x1000
    public static let MEM_RESERVE: UInt32 = 0x2000
    public static let MEM_FREE: UInt32 = 0x10000
    public static let MEM_PRIVATE: UInt32 = 0x20000
    public static let MEM_MAPPED: UInt32 = 0x40000
    public static let MEM_IMAGE: UInt32 = 0x100_0000
}

/// The exception stream (168 bytes): the thread that faulted, its exception record and the
/// location of the CPU context at the fault.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_exception_stream>
public struct MINIDUMP_EXCEPTION_STREAM: Sendable, Equatable {
    public static let size = 168
    public var threadId: UInt32 = 0
    public var exceptionRecord = MINIDUMP_EXCEPTION()
    /// The context at the time of the exception (usually what a debugger shows for `.ecxr`).
    public var threadContext = MINIDUMP_LOCATION_DESCRIPTOR()

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        threadId = try c.u32()
        _ = try c.u32()  // __alignment
        exceptionRecord = try MINIDUMP_EXCEPTION(from: &c)
        threadContext = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
    }

    func encode(into w: inout ByteWriter) {
        w.u32(threadId)
        w.u32(0)
        exceptionRecord.encode(into: &w)
        threadContext.encode(into: &w)
    }
}

/// An exception record (152 bytes): code, flags, address, parameters, and the address of a
/// nested record in the process's memory.
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_exception>
public struct MINIDUMP_EXCEPTION: Sendable, Equatable {
    public static let maximumParameters = 15
    public var exceptionCode: UInt32 = 0
    public var exceptionFlags: UInt32 = 0
    /// Address (in the process) of a chained `EXCEPTION_RECORD`, or 0.
    public var exceptionRecord: UInt64 = 0
    public var exceptionAddress: UInt64 = 0
    /// As stored; may exceed 15 in a damaged file — `parameters` holds at most 15.
    public var numberParameters: UInt32 = 0
    /// All 15 `ExceptionInformation` slots as stored.
    public var exceptionInformation: [UInt64] = Array(repeating: 0, count: 15)

    public init() {}

    /// The first `numberParameters` (at most 15) parameters.
    public var parameters: [UInt64] {
        Array(exceptionInformation.prefix(Int(min(numberParameters, 15))))
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        exceptionCode = try c.u32()
        exceptionFlags = try c.u32()
        exceptionRecord = try c.u64()
        exceptionAddress = try c.u64()
        numberParameters = try c.u32()
        _ = try c.u32()  // __unusedAlignment
        exceptionInformation = []
        for _ in 0..<Self.maximumParameters { exceptionInformation.append(try c.u64()) }
    }

    func encode(into w: inout ByteWriter) {
        w.u32(exceptionCode)
        w.u32(exceptionFlags)
        w.u64(exceptionRecord)
        w.u64(exceptionAddress)
        w.u32(numberParameters)
        w.u32(0)
        for index in 0..<Self.maximumParameters {
            w.u64(index < exceptionInformation.count ? exceptionInformation[index] : 0)
        }
    }
}
