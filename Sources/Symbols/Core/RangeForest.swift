/// Address ranges that may nest but not partly overlap, answering "which ranges contain this
/// address" with one binary search and a walk up the nesting chain.
///
/// This mirrors Breakpad's range maps: ranges are kept when they are disjoint from or nested
/// inside the ranges already kept; a range that partly overlaps a kept one, repeats one
/// exactly, or is empty is dropped (counted in `droppedCount`). Breakpad keeps the first
/// range stored in file order; here, among ranges with the same start the longer one wins
/// (then the earlier one), which agrees on every well-formed file.
///
/// Why the walk is correct: let `c` be the last range (by start) starting at or below the
/// address. Any kept range `d` containing the address starts at or before `c` and ends after
/// it, so `c` was nested inside `d` when it was added: `d` is on `c`'s parent chain.
struct RangeForest: Sendable {
    /// Sorted by (start ascending, end descending, input order).
    private var starts: [UInt64] = []
    /// Exclusive ends, saturated at `UInt64.max`.
    private var ends: [UInt64] = []
    /// Enclosing kept range (index into these arrays), or -1.
    private var parents: [Int32] = []
    private var kept: [Bool] = []
    /// Index of each range in the caller's input.
    private var payloads: [Int32] = []
    private(set) var droppedCount = 0

    init() {}

    /// - Parameter ranges: `(start, size)` in the caller's order; lookups return indices into
    ///   this array. At most `Int32.max` ranges.
    init(ranges: [(start: UInt64, size: UInt64)]) {
        let count = min(ranges.count, Int(Int32.max))
        let inputEnds = ranges.prefix(count).map { range in
            let (end, overflow) = range.start.addingReportingOverflow(range.size)
            return overflow ? UInt64.max : end
        }
        let order = (0..<count).sorted { a, b in
            let (sa, sb) = (ranges[a].start, ranges[b].start)
            if sa != sb { return sa < sb }
            if inputEnds[a] != inputEnds[b] { return inputEnds[a] > inputEnds[b] }
            return a < b
        }
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        parents.reserveCapacity(count)
        kept.reserveCapacity(count)
        payloads.reserveCapacity(count)

        var open: [Int] = []  // chain of kept ranges enclosing the current start
        for original in order {
            let start = ranges[original].start
            let end = inputEnds[original]
            let index = starts.count
            while let top = open.last, ends[top] <= start { open.removeLast() }
            var keep = end > start
            if keep, let top = open.last {
                let duplicate = starts[top] == start && ends[top] == end
                keep = !duplicate && ends[top] >= end
            }
            starts.append(start)
            ends.append(end)
            parents.append(Int32(open.last ?? -1))
            kept.append(keep)
            payloads.append(Int32(original))
            if keep {
                open.append(index)
            } else {
                droppedCount += 1
            }
        }
    }

    var isEmpty: Bool { starts.isEmpty }

    /// The input index of the innermost kept range containing `address`.
    func innermost(containing address: UInt64) -> Int? {
        var found: Int?
        walk(from: address) { payload in
            found = payload
            return false
        }
        return found
    }

    /// Input indices of every kept range containing `address`, innermost first.
    func all(containing address: UInt64) -> [Int] {
        var found: [Int] = []
        walk(from: address) { payload in
            found.append(payload)
            return true
        }
        return found
    }

    private func walk(from address: UInt64, _ visit: (Int) -> Bool) {
        guard let last = SortedSearch.lastIndex(in: starts, atOrBelow: address, key: { $0 })
        else { return }
        var current = last
        // Each step moves to a strictly earlier index, so the walk ends.
        while current >= 0 {
            if kept[current], address < ends[current] {
                if !visit(Int(payloads[current])) { return }
            }
            current = Int(parents[current])
        }
    }
}
