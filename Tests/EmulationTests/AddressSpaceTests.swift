import Testing

@testable import Emulation

/// Windows semantics of the address space, and the page tables kept in step (no emulator).
@Suite struct AddressSpaceTests {
    final class Space {
        let windows: HostWindows
        let tables: PageTables
        let space: AddressSpace

        init(cap: UInt64 = 1 << 30) throws {
            windows = try HostWindows()
            let low = windows.windows[0]
            let system = low.end - GuestCPU.systemAreaSize
            tables = try PageTables(windows: windows, pool: system..<low.end)
            space = AddressSpace(
                windows: windows, pageTables: tables,
                arenas: [0x10000..<system, windows.windows[1].base..<HostWindows.userSpaceEnd],
                cap: cap)
        }
    }

    static func status(_ body: () throws(StatusError) -> Void) -> UInt32 {
        do {
            try body()
            return 0
        } catch {
            return error.status
        }
    }

    @Test func reservationsAreGranularAndDoNotOverlap() throws {
        let rig = try Space()
        let space = rig.space
        let first = try space.reserve(at: nil, size: 0x12345, protect: PageProtection.readWrite)
        #expect(first == 0x10000)
        #expect(space.allocation(containing: first)?.size == 0x13000)
        let second = try space.reserve(at: nil, size: 0x1000, protect: PageProtection.readWrite)
        #expect(second == 0x30000)
        let fixed = try space.reserve(at: 0x5_1234, size: 0x100, protect: PageProtection.readOnly)
        #expect(fixed == 0x5_0000)
        #expect(
            Self.status { () throws(StatusError) in
                _ = try space.reserve(at: 0x1_8000, size: 0x1000, protect: PageProtection.readWrite)
            } == NTStatus.conflictingAddresses)
        #expect(
            Self.status { () throws(StatusError) in
                _ = try space.reserve(at: nil, size: 0x1000, protect: 0x3)
            } == NTStatus.invalidPageProtection)
        let high = try space.reserve(
            at: nil, size: 0x1000, protect: PageProtection.readWrite, topDown: true)
        #expect(high >= rig.windows.windows[1].base)
        #expect(high + 0x10000 <= HostWindows.userSpaceEnd)
    }

    @Test func commitProtectDecommitRelease() throws {
        let rig = try Space(cap: 0x10000)
        let space = rig.space
        let base = try space.reserve(at: nil, size: 0x40000, protect: PageProtection.readWrite)
        #expect(
            Self.status { () throws(StatusError) in
                _ = try space.commit(base + 0x50000, size: 1, protect: PageProtection.readWrite)
            } == NTStatus.memoryNotAllocated)
        let range = try space.commit(base + 0x1800, size: 0x10, protect: PageProtection.readWrite)
        #expect(range == base + 0x1000..<base + 0x2000)
        #expect(space.committedBytes == 0x1000)
        _ = try space.commit(base + 0x1000, size: 0x2000, protect: PageProtection.readWrite)
        #expect(space.committedBytes == 0x2000)
        // The cap counts committed pages.
        #expect(
            Self.status { () throws(StatusError) in
                _ = try space.commit(base, size: 0x20000, protect: PageProtection.readWrite)
            } == NTStatus.noMemory)
        #expect(space.committedBytes == 0x2000)
        #expect(
            Self.status { () throws(StatusError) in
                _ = try space.protect(base, size: 0x1000, protect: PageProtection.readOnly)
            } == NTStatus.notCommitted)
        let old = try space.protect(base + 0x1000, size: 0x1000, protect: PageProtection.readOnly)
        #expect(old == PageProtection.readWrite)
        #expect(
            rig.tables.flags(of: base + 0x1000) & (PageTables.present | PageTables.writable)
                == PageTables.present)
        #expect(rig.tables.flags(of: base + 0x2000) & PageTables.writable != 0)
        #expect(rig.tables.flags(of: base) & PageTables.present == 0)
        _ = [UInt8](repeating: 7, count: 16).withUnsafeBytes { space.write(base + 0x2000, $0) }
        try space.decommit(base + 0x2000, size: 0x1000)
        #expect(space.committedBytes == 0x1000)
        _ = try space.commit(base + 0x2000, size: 0x1000, protect: PageProtection.readWrite)
        var bytes = [UInt8](repeating: 1, count: 16)
        _ = bytes.withUnsafeMutableBytes { space.read(base + 0x2000, into: $0) }
        #expect(bytes == Array(repeating: 0, count: 16))
        #expect(
            Self.status { () throws(StatusError) in try space.release(base + 0x1000) }
                == NTStatus.freeVMNotAtBase)
        try space.release(base)
        #expect(space.committedBytes == 0)
        #expect(rig.tables.flags(of: base + 0x1000) & PageTables.present == 0)
        #expect(try space.query(base).state == MemoryState.free)
    }

    @Test func guardAndNoAccessPagesAreNotMapped() throws {
        let rig = try Space()
        let space = rig.space
        let base = try space.reserve(at: nil, size: 0x10000, protect: PageProtection.readWrite)
        _ = try space.commit(
            base, size: 0x1000, protect: PageProtection.readWrite | PageProtection.guardPage)
        _ = try space.commit(base + 0x1000, size: 0x1000, protect: PageProtection.noAccess)
        _ = try space.commit(base + 0x2000, size: 0x1000, protect: PageProtection.executeRead)
        #expect(rig.tables.flags(of: base) & PageTables.present == 0)
        #expect(rig.tables.flags(of: base + 0x1000) & PageTables.present == 0)
        #expect(rig.tables.flags(of: base + 0x2000) & PageTables.present != 0)
        #expect(!space.guestCan(access: base..<base + 8, write: false))
        #expect(space.guestCan(access: base + 0x2000..<base + 0x2008, write: false))
        #expect(!space.guestCan(access: base + 0x2000..<base + 0x2008, write: true))
        // The debugger reads committed pages whatever their protection.
        var byte: UInt8 = 1
        #expect(withUnsafeMutableBytes(of: &byte) { space.read(base, into: $0) } == 1)
        #expect(withUnsafeMutableBytes(of: &byte) { space.read(base + 0x3000, into: $0) } == 0)
    }

    @Test func queriesAndRegionsCoverUserSpace() throws {
        let rig = try Space()
        let space = rig.space
        let base = try space.reserve(at: nil, size: 0x30000, protect: PageProtection.readWrite)
        _ = try space.commit(base + 0x10000, size: 0x2000, protect: PageProtection.readOnly)
        let committed = try space.query(base + 0x10800)
        #expect(committed.base == base + 0x10000)
        #expect(committed.size == 0x2000)
        #expect(committed.state == MemoryState.commit)
        #expect(committed.protect == PageProtection.readOnly)
        #expect(committed.allocationBase == base)
        let reserved = try space.query(base)
        #expect(reserved.state == MemoryState.reserve)
        #expect(reserved.size == 0x10000)
        let free = try space.query(base + 0x30000)
        #expect(free.state == MemoryState.free)
        #expect(
            Self.status { () throws(StatusError) in _ = try space.query(HostWindows.userSpaceEnd) }
                == NTStatus.invalidParameter)
        let regions = space.regions()
        #expect(regions.first?.base == 0)
        #expect(regions.last?.end == HostWindows.userSpaceEnd)
        for (first, second) in zip(regions, regions.dropFirst()) {
            #expect(first.end == second.base)
        }
        #expect(regions.contains { $0.base == base + 0x10000 && $0.size == 0x2000 })
    }
}
