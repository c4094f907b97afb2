import DumpFormat
import Emulation

/// `PAGE_*` protection values.
enum PageProtection {
    static let noAccess: UInt32 = 0x01
    static let readOnly: UInt32 = 0x02
    static let readWrite: UInt32 = 0x04
    static let executeRead: UInt32 = 0x20
    static let executeReadWrite: UInt32 = 0x40
    static let executeWriteCopy: UInt32 = 0x80
    static let guardPage: UInt32 = 0x100

    /// What the emulator lets code do with such pages (guard pages are not mapped at all).
    static func unicorn(_ protect: UInt32) -> Unicorn.Protection {
        switch protect & 0xFF {
        case readOnly: [.read]
        case readWrite: [.read, .write]
        case executeRead: [.read, .execute]
        case executeReadWrite, executeWriteCopy: [.read, .write, .execute]
        default: []
        }
    }
}

/// One region of the emulated process's address space, as `VirtualQuery` (and a dump's
/// MemoryInfoList) describes it.
struct ProcessRegion: Equatable {
    enum State: UInt32 {
        case commit = 0x1000
        case reserve = 0x2000
        case free = 0x10000
    }

    enum Kind: UInt32 {
        case none = 0
        case privateMemory = 0x20000
        case image = 0x100_0000
    }

    var base: UInt64
    var size: UInt64
    var allocationBase: UInt64
    var allocationProtect: UInt32
    var state: State
    var protect: UInt32
    var type: Kind

    var end: UInt64 { base + size }

    /// Committed pages code may touch; these are mapped in the emulator.
    var isAccessible: Bool {
        state == .commit && protect & PageProtection.guardPage == 0
            && !PageProtection.unicorn(protect).isEmpty
    }

    var memoryInfo: MINIDUMP_MEMORY_INFO {
        var info = MINIDUMP_MEMORY_INFO()
        info.baseAddress = base
        info.allocationBase = allocationBase
        info.allocationProtect = allocationProtect
        info.regionSize = size
        info.state = state.rawValue
        info.protect = protect
        info.type = type.rawValue
        return info
    }

    /// The first address past user mode on x64 Windows (`MmHighestUserAddress` + 1).
    static let userSpaceEnd: UInt64 = 0x7FFF_FFFF_0000

    /// `regions` sorted, with the free gaps between them (and around them, up to the end of
    /// user space) filled in, as a full memory-info list shows the whole address space.
    static func coveringUserSpace(_ regions: [ProcessRegion]) -> [ProcessRegion] {
        var result: [ProcessRegion] = []
        var cursor: UInt64 = 0
        func free(_ start: UInt64, _ end: UInt64) {
            guard end > start else { return }
            result.append(
                ProcessRegion(
                    base: start, size: end - start, allocationBase: 0, allocationProtect: 0,
                    state: .free, protect: PageProtection.noAccess, type: .none))
        }
        for region in regions.sorted(by: { $0.base < $1.base }) where region.base >= cursor {
            free(cursor, region.base)
            result.append(region)
            cursor = region.end
        }
        free(cursor, userSpaceEnd)
        return result
    }
}
