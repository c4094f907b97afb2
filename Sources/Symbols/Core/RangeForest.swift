/// Address ranges answering "which ranges contain this address" with one binary search and a
/// walk up a nesting chain.
///
/// Ranges may nest. Where two ranges partly overlap, the one starting later wins the
/// overlap: the earlier one is cut short at the later one's start. MSVC's `STACK WIN` data
/// overlaps like this all the time (kernel32.sym has hundreds of cases, e.g. `16ea9 130`
/// running into the next function's `16fb4 4f`), and the record that starts nearest below
/// an address is the one describing the function there. (Breakpad instead keeps whichever
/// range came first in the file and ignores the other; rust-minidump cuts short as here.)
/// An exact repeat of a range and an empty range are ignored. `adjustedCount` counts ranges
/// cut short or ignored.
///
/// Why the walk is correct: after cutting, kept ranges are nested or disjoint. Let `c` be
/// the last range (by start) starting at or below the address. Any kept range `d`
/// containing the address starts at or before `c` and ends after it, so `c` was nested
/// inside `d` when it was added: `d` is on `c`'s parent chain.
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
    private(set) var adjustedCount = 0

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
            if keep {
                // Cut short every open range this one runs past the end of. Sorting puts
                // ranges with the same start longest first, so those start strictly earlier.
                while let top = open.last, ends[top] < end, starts[top] < start {
                    ends[top] = start
                    open.removeLast()
                    adjustedCount += 1
                }
                if let top = open.last, starts[top] == start, ends[top] == end {
                    keep = false  // exact repeat: the first one stays
                }
            }
            starts.append(start)
            ends.append(end)
            parents.append(Int32(open.last ?? -1))
            kept.append(keep)
            payloads.append(Int32(original))
            if keep {
                open.append(index)
            } else {
                adjustedCount += 1
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
