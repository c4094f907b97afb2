/// Free room in a process's address space, for placing what a rewritten dump adds: everything
/// the source dump holds or describes is taken, the rest can be handed out.
struct AddressSpaceGaps {
    private var taken: [Range<UInt64>]

    init(taken: [Range<UInt64>]) {
        self.taken = taken.filter { !$0.isEmpty }
    }

    /// Marks `range` as used.
    mutating func take(_ range: Range<UInt64>) {
        if !range.isEmpty { taken.append(range) }
    }

    func isFree(_ range: Range<UInt64>) -> Bool {
        !taken.contains { $0.overlaps(range) }
    }

    /// The highest `alignment`-aligned free range of `size` bytes ending at or below `limit`,
    /// taken; nil when none is left above `floor`.
    mutating func allocate(
        size: UInt64, alignment: UInt64 = 0x10000, below limit: UInt64 = 0x7FFE_0000,
        floor: UInt64 = 0x10000
    ) -> UInt64? {
        guard size > 0, limit >= size else { return nil }
        var start = (limit - size) / alignment * alignment
        while start >= floor {
            let candidate = start..<(start + size)
            guard
                let blocker = taken.filter({ $0.overlaps(candidate) }).min(by: {
                    $0.lowerBound < $1.lowerBound
                })
            else {
                take(candidate)
                return start
            }
            // Move below the lowest range in the way.
            guard blocker.lowerBound >= size + floor else { return nil }
            start = (blocker.lowerBound - size) / alignment * alignment
        }
        return nil
    }
}
