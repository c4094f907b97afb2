/// Memory the executive hands out for the structures it writes in the guest (loader entries,
/// strings, process parameters, TLS blocks): a bump allocator over read-write allocations,
/// committed as it grows. Nothing is freed; a process makes few of these.
final class GuestArena {
    private let space: AddressSpace
    private static let chunk: UInt64 = 0x10_0000
    private var base: UInt64 = 0
    private var used: UInt64 = 0
    private var committed: UInt64 = 0
    private var size: UInt64 = 0

    init(space: AddressSpace) { self.space = space }

    /// `count` bytes of zeroed guest memory, aligned to 16.
    func allocate(_ count: Int) throws(EmulationError) -> UInt64 {
        let length = (UInt64(max(count, 1)) + 15) & ~15
        if size == 0 || used + length > size {
            let reserve = max(Self.chunk, (length + 0xFFFF) & ~0xFFFF)
            do {
                base = try space.reserve(at: nil, size: reserve, protect: PageProtection.readWrite)
            } catch {
                throw .host("no room in the guest for the executive's structures")
            }
            size = reserve
            used = 0
            committed = 0
        }
        let address = base + used
        used += length
        if used > committed {
            let target = min(size, (used + 0xFFFF) & ~0xFFFF)
            do {
                try space.commit(
                    base + committed, size: target - committed, protect: PageProtection.readWrite)
            } catch {
                throw .host("the memory cap leaves no room for the executive's structures")
            }
            committed = target
        }
        return address
    }

    /// Allocates and fills.
    func store(_ bytes: [UInt8]) throws(EmulationError) -> UInt64 {
        let address = try allocate(bytes.count)
        _ = bytes.withUnsafeBytes { space.write(address, $0) }
        return address
    }
}
