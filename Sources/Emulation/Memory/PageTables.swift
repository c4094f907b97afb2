/// The x86-64 page tables the guest CPU walks: 4 levels, 4 KiB pages, kept by the executive in
/// its system area. A leaf entry says only whether a page may be touched, written and touched
/// from user mode (Unicorn 2.0 maps each virtual address to the same "physical" address, so the
/// frame field is unused and left 0). A not-present or read-only page makes the CPU raise a page
/// fault with exact `rip`, flags and `cr2`, which is why the machine uses paging at all.
final class PageTables {
    private let windows: HostWindows
    /// Where table pages are taken from (inside the low window, below 2^40: the CPU's physical
    /// address width).
    private let pool: Range<UInt64>
    private var nextTable: UInt64
    /// The top table (`cr3`).
    private(set) var root: UInt64 = 0

    static let present: UInt64 = 1
    static let writable: UInt64 = 2
    static let user: UInt64 = 4
    private static let addressMask: UInt64 = 0x000F_FFFF_FFFF_F000

    init(windows: HostWindows, pool: Range<UInt64>) throws(EmulationError) {
        self.windows = windows
        self.pool = pool
        nextTable = pool.lowerBound
        root = try newTable()
    }

    private func newTable() throws(EmulationError) -> UInt64 {
        guard nextTable + 0x1000 <= pool.upperBound, let host = windows.pointer(nextTable) else {
            throw .host("the page-table area is full")
        }
        host.initializeMemory(as: UInt8.self, repeating: 0, count: 0x1000)
        defer { nextTable += 0x1000 }
        return nextTable
    }

    private func entryPointer(_ table: UInt64, _ index: UInt64) -> UnsafeMutablePointer<UInt64>? {
        windows.pointer(table + index * 8)?.assumingMemoryBound(to: UInt64.self)
    }

    /// The leaf entry of `page`, creating the tables above it when `create` is set.
    private func leaf(_ page: UInt64, create: Bool) throws(EmulationError) -> UnsafeMutablePointer<
        UInt64
    >? {
        var table = root
        for level in stride(from: 3, through: 1, by: -1) {
            let index = (page >> UInt64(12 + 9 * level)) & 0x1FF
            guard let entry = entryPointer(table, index) else { return nil }
            if entry.pointee & Self.present == 0 {
                guard create else { return nil }
                entry.pointee = try newTable() | Self.present | Self.writable | Self.user
            }
            table = entry.pointee & Self.addressMask
        }
        return entryPointer(table, (page >> 12) & 0x1FF)
    }

    /// Sets the entries of every page in `range` (page aligned).
    func set(_ range: Range<UInt64>, present: Bool, writable: Bool, user: Bool = true)
        throws(EmulationError)
    {
        let value =
            (present ? Self.present : 0) | (writable ? Self.writable : 0) | (user ? Self.user : 0)
        var page = range.lowerBound & ~0xFFF
        while page < range.upperBound {
            // Entries of one 2 MiB table are consecutive: fill them without walking again.
            guard let entry = try leaf(page, create: present) else {
                page = (page | 0x1F_FFFF) + 1
                continue
            }
            let tableEnd = min(range.upperBound, (page | 0x1F_FFFF) + 1)
            var pointer = entry
            while page < tableEnd {
                pointer.pointee = value
                pointer += 1
                page += 0x1000
            }
        }
    }

    /// The flags of `page`'s entry (0 when not present).
    func flags(of page: UInt64) -> UInt64 {
        guard let entry = try? leaf(page, create: false) else { return 0 }
        return entry.pointee
    }
}
