/// `PAGE_*` protections, `MEM_*` states and types, as `VirtualQuery` and `!address` show them.
public enum PageProtection {
    public static let noAccess: UInt32 = 0x01
    public static let readOnly: UInt32 = 0x02
    public static let readWrite: UInt32 = 0x04
    public static let writeCopy: UInt32 = 0x08
    public static let execute: UInt32 = 0x10
    public static let executeRead: UInt32 = 0x20
    public static let executeReadWrite: UInt32 = 0x40
    public static let executeWriteCopy: UInt32 = 0x80
    public static let guardPage: UInt32 = 0x100
    public static let noCache: UInt32 = 0x200
    public static let writeCombine: UInt32 = 0x400

    /// The protection without its modifiers (`PAGE_GUARD`, `PAGE_NOCACHE`, ...).
    static func base(_ protect: UInt32) -> UInt32 { protect & 0xFF }

    /// Exactly one base protection, with modifiers only where Windows allows them.
    static func isValid(_ protect: UInt32) -> Bool {
        let base = base(protect)
        guard base != 0, base & (base - 1) == 0 else { return false }
        guard protect & ~UInt32(0x7FF) == 0 else { return false }
        // PAGE_NOACCESS takes no modifiers.
        return !(base == noAccess && protect != base)
    }

    static func isReadable(_ protect: UInt32) -> Bool {
        let base = base(protect)
        return base != noAccess && base != 0
    }

    static func isWritable(_ protect: UInt32) -> Bool {
        [readWrite, writeCopy, executeReadWrite, executeWriteCopy].contains(base(protect))
    }

    static func isExecutable(_ protect: UInt32) -> Bool {
        [execute, executeRead, executeReadWrite, executeWriteCopy].contains(base(protect))
    }

    static func isGuard(_ protect: UInt32) -> Bool { protect & guardPage != 0 }
}

/// `MEM_*` states and types.
public enum MemoryState {
    public static let commit: UInt32 = 0x1000
    public static let reserve: UInt32 = 0x2000
    public static let free: UInt32 = 0x10000
    public static let typePrivate: UInt32 = 0x20000
    public static let typeMapped: UInt32 = 0x40000
    public static let typeImage: UInt32 = 0x100_0000
}

/// One region of the address space as `VirtualQuery` describes it (MEMORY_BASIC_INFORMATION):
/// pages with the same state and protection inside one allocation, or a free range.
public struct MemoryRegionInfo: Sendable, Equatable {
    public var base: UInt64
    public var allocationBase: UInt64
    public var allocationProtect: UInt32
    public var size: UInt64
    /// `MemoryState.commit`, `.reserve` or `.free`.
    public var state: UInt32
    /// The pages' protection (0 for reserved pages, `PAGE_NOACCESS` for free ones).
    public var protect: UInt32
    /// `MemoryState.typePrivate`, `.typeImage`, `.typeMapped`, or 0 when free.
    public var type: UInt32

    public var end: UInt64 { base &+ size }
}
