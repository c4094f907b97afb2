/// The guest's virtual memory with Windows semantics: allocations reserved at 64 KiB
/// granularity, committed, protected and freed in 4 KiB pages, `PAGE_GUARD`, a cap on committed
/// memory, and `VirtualQuery` regions. It keeps the CPU's page tables in step with every page's
/// state, and tells its owner when access to pages was taken away (the TLB must be flushed) or
/// code may have disappeared (translations must be dropped).
final class AddressSpace {
    struct Allocation {
        let base: UInt64
        let size: UInt64
        let allocationProtect: UInt32
        let type: UInt32
        /// Owned by the executive (system area, `KUSER_SHARED_DATA`, stubs): the program may
        /// not change or free it.
        let isSystem: Bool
        /// Per page: 0 when only reserved, else the committed page's protection.
        var pages: [UInt32]
        var end: UInt64 { base + size }
    }

    static let pageSize: UInt64 = 0x1000
    static let granularity: UInt64 = 0x1_0000

    let windows: HostWindows
    let pageTables: PageTables
    /// Ranges the program may allocate in, lowest first.
    let arenas: [Range<UInt64>]
    /// Committed bytes may not exceed this.
    let cap: UInt64
    private(set) var committedBytes: UInt64 = 0
    /// Sorted by base.
    private(set) var allocations: [Allocation] = []

    /// Called after pages lost access (present → not present, writable → read-only): the TLB
    /// may hold the old rights.
    var accessReduced: (Range<UInt64>) -> Void = { _ in }
    /// Called before pages that were executable lose that right or go away, while they are
    /// still mapped: translated code of them must be dropped.
    var codeRemoved: (Range<UInt64>) -> Void = { _ in }

    init(windows: HostWindows, pageTables: PageTables, arenas: [Range<UInt64>], cap: UInt64) {
        self.windows = windows
        self.pageTables = pageTables
        self.arenas = arenas
        self.cap = cap
    }

    // MARK: Finding

    /// The index of the allocation holding `address`.
    func allocationIndex(containing address: UInt64) -> Int? {
        var low = 0
        var high = allocations.count
        while low < high {
            let middle = (low + high) / 2
            if allocations[middle].base <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0, address < allocations[low - 1].end else { return nil }
        return low - 1
    }

    func allocation(containing address: UInt64) -> Allocation? {
        allocationIndex(containing: address).map { allocations[$0] }
    }

    /// The committed protection of the page holding `address`, nil when not committed.
    func protection(at address: UInt64) -> UInt32? {
        guard let index = allocationIndex(containing: address) else { return nil }
        let allocation = allocations[index]
        let protect = allocation.pages[Int((address - allocation.base) / Self.pageSize)]
        return protect == 0 ? nil : protect
    }

    private func isFree(_ range: Range<UInt64>) -> Bool {
        guard
            arenas.contains(where: {
                $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound
            })
        else { return false }
        return !allocations.contains { $0.base < range.upperBound && range.lowerBound < $0.end }
    }

    /// A free, 64 KiB-aligned range of `size` bytes: the lowest one, or the highest.
    private func findFree(size: UInt64, topDown: Bool) -> UInt64? {
        let ordered = topDown ? arenas.reversed() : arenas
        for arena in ordered {
            // Gaps between allocations inside the arena.
            var gaps: [Range<UInt64>] = []
            var cursor = arena.lowerBound
            for allocation in allocations
            where allocation.end > arena.lowerBound && allocation.base < arena.upperBound {
                if allocation.base > cursor { gaps.append(cursor..<allocation.base) }
                cursor = max(cursor, allocation.end)
            }
            if cursor < arena.upperBound { gaps.append(cursor..<arena.upperBound) }
            let candidates = topDown ? gaps.reversed() : gaps
            for gap in candidates {
                if topDown {
                    guard gap.upperBound >= size else { continue }
                    let base = (gap.upperBound - size) & ~(Self.granularity - 1)
                    if base >= gap.lowerBound { return base }
                } else {
                    let base = (gap.lowerBound + Self.granularity - 1) & ~(Self.granularity - 1)
                    if base + size <= gap.upperBound, base + size > base { return base }
                }
            }
        }
        return nil
    }

    // MARK: Windows operations

    /// Reserves `size` bytes at `base` (rounded down to 64 KiB) or wherever there is room.
    @discardableResult
    func reserve(
        at base: UInt64?, size: UInt64, protect: UInt32, type: UInt32 = MemoryState.typePrivate,
        topDown: Bool = false, isSystem: Bool = false
    ) throws(StatusError) -> UInt64 {
        guard size > 0, size <= 0x7FFF_FFFF_0000 else {
            throw StatusError(NTStatus.invalidParameter)
        }
        guard PageProtection.isValid(protect) else {
            throw StatusError(NTStatus.invalidPageProtection)
        }
        let start: UInt64
        let length: UInt64
        if let base {
            start = base & ~(Self.granularity - 1)
            let (end, overflow) = base.addingReportingOverflow(size)
            guard !overflow else { throw StatusError(NTStatus.invalidParameter) }
            length = ((end + Self.pageSize - 1) & ~(Self.pageSize - 1)) - start
            guard isFree(start..<start + length) else {
                throw StatusError(NTStatus.conflictingAddresses)
            }
        } else {
            length = (size + Self.pageSize - 1) & ~(Self.pageSize - 1)
            // Address space is taken in whole 64 KiB units.
            let span = (length + Self.granularity - 1) & ~(Self.granularity - 1)
            guard let found = findFree(size: span, topDown: topDown) else {
                throw StatusError(NTStatus.noMemory)
            }
            start = found
        }
        let allocation = Allocation(
            base: start, size: length, allocationProtect: protect, type: type,
            isSystem: isSystem, pages: Array(repeating: 0, count: Int(length / Self.pageSize)))
        let index = allocations.firstIndex { $0.base > start } ?? allocations.count
        allocations.insert(allocation, at: index)
        return start
    }

    /// The page-aligned range covering `address..<address+size` inside one allocation.
    private func pageRange(_ address: UInt64, _ size: UInt64) throws(StatusError) -> (
        index: Int, range: Range<UInt64>
    ) {
        let start = address & ~(Self.pageSize - 1)
        let (end, overflow) = address.addingReportingOverflow(max(size, 1))
        guard !overflow else { throw StatusError(NTStatus.invalidParameter) }
        let stop = (end + Self.pageSize - 1) & ~(Self.pageSize - 1)
        guard let index = allocationIndex(containing: start), stop <= allocations[index].end
        else {
            throw StatusError(NTStatus.memoryNotAllocated)
        }
        return (index, start..<stop)
    }

    /// Commits the pages of `address..<address+size` (inside one allocation) with `protect`.
    /// Pages already committed keep their contents and take the new protection.
    @discardableResult
    func commit(_ address: UInt64, size: UInt64, protect: UInt32, bySystem: Bool = false)
        throws(StatusError) -> Range<UInt64>
    {
        guard PageProtection.isValid(protect) else {
            throw StatusError(NTStatus.invalidPageProtection)
        }
        let (index, range) = try pageRange(address, size)
        guard bySystem || !allocations[index].isSystem else {
            throw StatusError(NTStatus.conflictingAddresses)
        }
        let first = Int((range.lowerBound - allocations[index].base) / Self.pageSize)
        let count = Int((range.upperBound - range.lowerBound) / Self.pageSize)
        let newPages = allocations[index].pages[first..<first + count].lazy.filter { $0 == 0 }
            .count
        let added = UInt64(newPages) * Self.pageSize
        guard committedBytes + added <= cap else { throw StatusError(NTStatus.noMemory) }
        try setPages(index: index, first: first, count: count, protect: protect)
        committedBytes += added
        return range
    }

    /// Changes the protection of committed pages; returns the old protection of the first.
    @discardableResult
    func protect(_ address: UInt64, size: UInt64, protect: UInt32, bySystem: Bool = false)
        throws(StatusError) -> UInt32
    {
        guard PageProtection.isValid(protect) else {
            throw StatusError(NTStatus.invalidPageProtection)
        }
        let (index, range) = try pageRange(address, size)
        guard bySystem || !allocations[index].isSystem else {
            throw StatusError(NTStatus.conflictingAddresses)
        }
        let first = Int((range.lowerBound - allocations[index].base) / Self.pageSize)
        let count = Int((range.upperBound - range.lowerBound) / Self.pageSize)
        let pages = allocations[index].pages[first..<first + count]
        guard !pages.contains(0) else { throw StatusError(NTStatus.notCommitted) }
        let old = pages.first ?? 0
        try setPages(index: index, first: first, count: count, protect: protect)
        return old
    }

    /// Decommits pages (they read as zeros when committed again).
    func decommit(_ address: UInt64, size: UInt64) throws(StatusError) {
        let (index, range) = try pageRange(address, size)
        guard !allocations[index].isSystem else { throw StatusError(NTStatus.unableToFreeVM) }
        let first = Int((range.lowerBound - allocations[index].base) / Self.pageSize)
        let count = Int((range.upperBound - range.lowerBound) / Self.pageSize)
        let released = allocations[index].pages[first..<first + count].lazy.filter { $0 != 0 }
            .count
        try setPages(index: index, first: first, count: count, protect: 0)
        committedBytes -= UInt64(released) * Self.pageSize
        windows.discard(range)
    }

    /// Frees a whole allocation given its base.
    func release(_ base: UInt64) throws(StatusError) {
        guard let index = allocationIndex(containing: base) else {
            throw StatusError(NTStatus.memoryNotAllocated)
        }
        guard allocations[index].base == base else { throw StatusError(NTStatus.freeVMNotAtBase) }
        guard !allocations[index].isSystem else { throw StatusError(NTStatus.unableToFreeVM) }
        let allocation = allocations[index]
        try setPages(index: index, first: 0, count: allocation.pages.count, protect: 0)
        committedBytes -= UInt64(allocation.pages.lazy.filter { $0 != 0 }.count) * Self.pageSize
        windows.discard(allocation.base..<allocation.end)
        allocations.remove(at: index)
    }

    /// Sets pages to `protect` (0: decommitted) and brings the page tables along.
    private func setPages(index: Int, first: Int, count: Int, protect: UInt32)
        throws(StatusError)
    {
        let base = allocations[index].base
        var reduced = false
        var codeGone = false
        for page in first..<first + count {
            let old = allocations[index].pages[page]
            if Self.present(old)
                && (!Self.present(protect)
                    || (PageProtection.isWritable(old) && !PageProtection.isWritable(protect)))
            {
                reduced = true
            }
            if Self.present(old) && PageProtection.isExecutable(old)
                && !PageProtection.isExecutable(protect)
            {
                codeGone = true
            }
        }
        let range =
            base + UInt64(first) * Self.pageSize..<base + UInt64(first + count) * Self.pageSize
        if codeGone { codeRemoved(range) }
        for page in first..<first + count { allocations[index].pages[page] = protect }
        // Runs of pages with the same entry.
        var runStart = first
        while runStart < first + count {
            let protect = allocations[index].pages[runStart]
            var runEnd = runStart + 1
            while runEnd < first + count, allocations[index].pages[runEnd] == protect {
                runEnd += 1
            }
            do {
                try pageTables.set(
                    base + UInt64(runStart) * Self.pageSize..<base + UInt64(runEnd) * Self.pageSize,
                    present: Self.present(protect), writable: PageProtection.isWritable(protect))
            } catch {
                throw StatusError(NTStatus.noMemory)
            }
            runStart = runEnd
        }
        if reduced { accessReduced(range) }
    }

    /// Whether a committed page with this protection is mapped for the CPU.
    static func present(_ protect: UInt32) -> Bool {
        protect != 0 && !PageProtection.isGuard(protect)
            && PageProtection.base(protect) != PageProtection.noAccess
    }

    // MARK: Queries

    /// `VirtualQuery` at `address`.
    func query(_ address: UInt64) throws(StatusError) -> MemoryRegionInfo {
        guard address < HostWindows.userSpaceEnd else {
            throw StatusError(NTStatus.invalidParameter)
        }
        let page = address & ~(Self.pageSize - 1)
        guard let index = allocationIndex(containing: page) else {
            let next = allocations.first { $0.base > page }?.base ?? HostWindows.userSpaceEnd
            return MemoryRegionInfo(
                base: page, allocationBase: 0, allocationProtect: 0, size: next - page,
                state: MemoryState.free, protect: PageProtection.noAccess, type: 0)
        }
        // VirtualQuery reports from the page asked about; `regions` reports whole runs.
        let allocation = allocations[index]
        let first = Int((page - allocation.base) / Self.pageSize)
        let protect = allocation.pages[first]
        var last = first
        while last + 1 < allocation.pages.count, allocation.pages[last + 1] == protect { last += 1 }
        return MemoryRegionInfo(
            base: page, allocationBase: allocation.base,
            allocationProtect: allocation.allocationProtect,
            size: UInt64(last + 1 - first) * Self.pageSize,
            state: protect == 0 ? MemoryState.reserve : MemoryState.commit, protect: protect,
            type: allocation.type)
    }

    /// Every region of user space in address order, free ranges included (`!address`).
    func regions() -> [MemoryRegionInfo] {
        var result: [MemoryRegionInfo] = []
        var cursor: UInt64 = 0
        for allocation in allocations {
            if allocation.base > cursor {
                result.append(
                    MemoryRegionInfo(
                        base: cursor, allocationBase: 0, allocationProtect: 0,
                        size: allocation.base - cursor, state: MemoryState.free,
                        protect: PageProtection.noAccess, type: 0))
            }
            var page = 0
            while page < allocation.pages.count {
                let protect = allocation.pages[page]
                var end = page + 1
                while end < allocation.pages.count, allocation.pages[end] == protect { end += 1 }
                result.append(
                    MemoryRegionInfo(
                        base: allocation.base + UInt64(page) * Self.pageSize,
                        allocationBase: allocation.base,
                        allocationProtect: allocation.allocationProtect,
                        size: UInt64(end - page) * Self.pageSize,
                        state: protect == 0 ? MemoryState.reserve : MemoryState.commit,
                        protect: protect, type: allocation.type))
                page = end
            }
            cursor = allocation.end
        }
        if cursor < HostWindows.userSpaceEnd {
            result.append(
                MemoryRegionInfo(
                    base: cursor, allocationBase: 0, allocationProtect: 0,
                    size: HostWindows.userSpaceEnd - cursor, state: MemoryState.free,
                    protect: PageProtection.noAccess, type: 0))
        }
        return result
    }

    // MARK: Access

    /// Copies committed memory at `address` into `buffer`, whatever its protection (the
    /// debugger's view); stops at the first page that is not committed. Returns the count.
    func read(_ address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        transfer(address, count: buffer.count) { host, offset, length in
            if let base = buffer.baseAddress {
                (base + offset).copyMemory(from: host, byteCount: length)
            }
        }
    }

    /// Copies `bytes` into committed memory at `address` (the debugger's view: protections are
    /// ignored); stops at the first page that is not committed. Returns the count written.
    func write(_ address: UInt64, _ bytes: UnsafeRawBufferPointer) -> Int {
        transfer(address, count: bytes.count) { host, offset, length in
            if let base = bytes.baseAddress {
                host.copyMemory(from: base + offset, byteCount: length)
            }
        }
    }

    private func transfer(
        _ address: UInt64, count: Int, _ body: (UnsafeMutableRawPointer, Int, Int) -> Void
    ) -> Int {
        var done = 0
        while done < count {
            let (current, overflow) = address.addingReportingOverflow(UInt64(done))
            guard !overflow, protection(at: current) != nil, let host = windows.pointer(current)
            else { break }
            let inPage = Int(Self.pageSize - (current & (Self.pageSize - 1)))
            let length = min(inPage, count - done)
            body(host, done, length)
            done += length
        }
        return done
    }

    /// Whether the program itself could read (or write) every byte of the range: committed,
    /// not guard, and the protection allows it. Services check user buffers with this.
    func guestCan(access range: Range<UInt64>, write: Bool) -> Bool {
        guard !range.isEmpty else { return true }
        var page = range.lowerBound & ~(Self.pageSize - 1)
        while page < range.upperBound {
            guard let protect = protection(at: page), Self.present(protect),
                write ? PageProtection.isWritable(protect) : PageProtection.isReadable(protect)
            else { return false }
            page += Self.pageSize
        }
        return true
    }
}
