/// A thread in the ThreadList stream (48 bytes); with `backingStore` it is a
/// `MINIDUMP_THREAD_EX` from the ThreadExList stream (64 bytes, IA-64 register backing store).
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_thread>
public struct MINIDUMP_THREAD: Sendable, Equatable {
    public static let size = 48
    public static let sizeEx = 64

    public var threadId: UInt32 = 0
    public var suspendCount: UInt32 = 0
    public var priorityClass: UInt32 = 0
    public var priority: UInt32 = 0
    /// Address of the thread environment block.
    public var teb: UInt64 = 0
    /// The saved stack memory.
    public var stack = MINIDUMP_MEMORY_DESCRIPTOR()
    /// Where the thread's CPU context is in the file.
    public var threadContext = MINIDUMP_LOCATION_DESCRIPTOR()
    /// Only in `MINIDUMP_THREAD_EX` entries.
    public var backingStore: MINIDUMP_MEMORY_DESCRIPTOR?

    public init() {}

    init(from c: inout Cursor, extended: Bool) throws(MinidumpError) {
        threadId = try c.u32()
        suspendCount = try c.u32()
        priorityClass = try c.u32()
        priority = try c.u32()
        teb = try c.u64()
        stack = try MINIDUMP_MEMORY_DESCRIPTOR(from: &c)
        threadContext = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        if extended { backingStore = try MINIDUMP_MEMORY_DESCRIPTOR(from: &c) }
    }

    func encode(into w: inout ByteWriter) {
        w.u32(threadId)
        w.u32(suspendCount)
        w.u32(priorityClass)
        w.u32(priority)
        w.u64(teb)
        stack.encode(into: &w)
        threadContext.encode(into: &w)
    }
}

/// Extra per-thread information from the ThreadInfoList stream (64 bytes).
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_thread_info>
public struct MINIDUMP_THREAD_INFO: Sendable, Equatable {
    public static let size = 64
    public var threadId: UInt32 = 0
    /// `MINIDUMP_THREAD_INFO_*` flags (exited, errors writing, …).
    public var dumpFlags: UInt32 = 0
    /// An HRESULT for errors writing this thread.
    public var dumpError: UInt32 = 0
    public var exitStatus: UInt32 = 0
    /// FILETIME (100 ns since 1601) values.
    public var createTime: UInt64 = 0
    public var exitTime: UInt64 = 0
    public var kernelTime: UInt64 = 0
    public var userTime: UInt64 = 0
    public var startAddress: UInt64 = 0
    public var affinity: UInt64 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        threadId = try c.u32()
        dumpFlags = try c.u32()
        dumpError = try c.u32()
        exitStatus = try c.u32()
        createTime = try c.u64()
        exitTime = try c.u64()
        kernelTime = try c.u64()
        userTime = try c.u64()
        startAddress = try c.u64()
        affinity = try c.u64()
    }
}

/// A thread's name from the ThreadNames stream (12 bytes, packed): the name is a
/// `MINIDUMP_STRING` at a 64-bit RVA.
public struct MINIDUMP_THREAD_NAME: Sendable, Equatable {
    public static let size = 12
    public var threadId: UInt32 = 0
    public var rvaOfThreadName: RVA64 = 0

    init(from c: inout Cursor) throws(MinidumpError) {
        threadId = try c.u32()
        rvaOfThreadName = try c.u64()
    }
}
