/// The process memory saved in a dump: MemoryList and Memory64List ranges merged, sorted and
/// made non-overlapping, searched by binary search. Reads may cross adjacent ranges; bytes not in
/// the dump can be told apart (`db` prints them as `??`). Reads copy only what is asked.
public struct MemoryView: Sendable {
    /// One contiguous range of saved memory.
    public struct Range: Sendable, Equatable {
        public let start: UInt64
        public let size: UInt64
        /// Offset of the range's first byte in the file.
        public let fileOffset: Int
        /// One past the last address (never overflows: ranges that would wrap are cut).
        public var end: UInt64 { start + size }

        public func contains(_ address: UInt64) -> Bool {
            address >= start && address - start < size
        }
    }

    /// Ranges sorted by start address, non-overlapping.
    public let ranges: [Range]
    let bytes: DumpBytes?

    /// An empty view (a dump without memory streams).
    public init() {
        ranges = []
        bytes = nil
    }

    init(ranges: [Range], bytes: DumpBytes) {
        self.ranges = ranges
        self.bytes = bytes
    }

    /// Total number of bytes saved.
    public var totalBytes: UInt64 { ranges.reduce(0) { $0 + $1.size } }

    /// Index of the range containing `address`, by binary search.
    func index(containing address: UInt64) -> Int? {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].end <= address {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < ranges.count && ranges[low].contains(address) ? low : nil
    }

    /// Index of the first range ending after `address`.
    private func firstIndex(endingAfter address: UInt64) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].end <= address { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The range containing `address`.
    public func range(containing address: UInt64) -> Range? {
        index(containing: address).map { ranges[$0] }
    }

    /// The parts of `[address, address + count)` that are in the dump, as address ranges.
    public func availableRanges(at address: UInt64, count: Int) -> [Swift.Range<UInt64>] {
        guard count > 0 else { return [] }
        let (requestEnd, overflow) = address.addingReportingOverflow(UInt64(count))
        let end = overflow ? UInt64.max : requestEnd
        var result: [Swift.Range<UInt64>] = []
        var index = firstIndex(endingAfter: address)
        while index < ranges.count, ranges[index].start < end {
            let lower = max(ranges[index].start, address)
            let upper = min(ranges[index].end, end)
            if let last = result.last, last.upperBound == lower {
                result[result.count - 1] = last.lowerBound..<upper
            } else {
                result.append(lower..<upper)
            }
            index += 1
        }
        return result
    }

    /// Whether every byte of `[address, address + count)` is in the dump.
    public func isAvailable(at address: UInt64, count: Int) -> Bool {
        let available = availableRanges(at: address, count: count)
        return available.count == 1 && available[0].lowerBound == address
            && available[0].count == count
    }

    /// Exactly `count` bytes at `address`, or nil unless every one of them is in the dump.
    public func read(at address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        if count == 0 { return [] }
        guard isAvailable(at: address, count: count) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(count)
        copy(at: address, count: count) { _, chunk in result.append(contentsOf: chunk) }
        return result.count == count ? result : nil
    }

    /// `count` bytes at `address` with unavailable bytes as nil: what `db` needs to print `??`.
    public func readAvailable(at address: UInt64, count: Int) -> [UInt8?] {
        guard count > 0 else { return [] }
        var result = [UInt8?](repeating: nil, count: count)
        copy(at: address, count: count) { offset, chunk in
            for (index, byte) in chunk.enumerated() { result[offset + index] = byte }
        }
        return result
    }

    /// Calls `body` with the bytes at `address` without copying, when all `count` bytes lie in
    /// one range. Nil when they do not.
    public func withContiguousBytes<R>(
        at address: UInt64, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R? {
        guard count >= 0, let bytes, let index = index(containing: address) else { return nil }
        let range = ranges[index]
        let offsetInRange = address - range.start
        guard UInt64(count) <= range.size - offsetInRange else { return nil }
        return try bytes.withBytes(
            offset: range.fileOffset + Int(offsetInRange), length: count, body)
    }

    /// A little-endian integer at `address`, or nil when its bytes are not all in the dump.
    public func readInteger<T: FixedWidthInteger>(_: T.Type = T.self, at address: UInt64) -> T? {
        guard let raw = read(at: address, count: MemoryLayout<T>.size) else { return nil }
        var value: T = 0
        for (index, byte) in raw.enumerated() { value |= T(byte) << (index * 8) }
        return value
    }

    /// A 4- or 8-byte pointer at `address`.
    public func readPointer(at address: UInt64, size: Int) -> UInt64? {
        size == 4
            ? readInteger(UInt32.self, at: address).map(UInt64.init)
            : readInteger(UInt64.self, at: address)
    }

    /// Visits the available pieces of `[address, address + count)` in order, as
    /// (offset from `address`, bytes). The bytes are only valid during the call.
    private func copy(
        at address: UInt64, count: Int, _ visit: (Int, UnsafeRawBufferPointer) -> Void
    ) {
        guard let bytes, count > 0 else { return }
        let (requestEnd, overflow) = address.addingReportingOverflow(UInt64(count))
        let end = overflow ? UInt64.max : requestEnd
        var index = firstIndex(endingAfter: address)
        while index < ranges.count, ranges[index].start < end {
            let range = ranges[index]
            let lower = max(range.start, address)
            let upper = min(range.end, end)
            let fileOffset = range.fileOffset + Int(lower - range.start)
            bytes.withBytes(offset: fileOffset, length: Int(upper - lower)) { raw in
                visit(Int(lower - address), raw)
            }
            index += 1
        }
    }
}

extension Minidump {
    /// The memory view over MemoryList and Memory64List (built on first use, then cached).
    /// Ranges whose data lies past the end of the file are cut or dropped with a warning;
    /// overlapping ranges keep the first-listed bytes.
    public func memory() -> MemoryView {
        if let cached = cache.withLock({ $0.memory }) { return cached }
        var raw: [MemoryView.Range] = []
        var notes: [String] = []
        if hasStream(.memoryList) {
            do {
                for descriptor in try memoryList() {
                    append(
                        start: descriptor.startOfMemoryRange,
                        size: UInt64(descriptor.memory.dataSize),
                        fileOffset: UInt64(descriptor.memory.rva), to: &raw, notes: &notes)
                }
            } catch {
                notes.append(error.message)
            }
        }
        if hasStream(.memory64List) {
            do {
                let list = try memory64List()
                var offset = list.baseRva
                for descriptor in list.ranges {
                    append(
                        start: descriptor.startOfMemoryRange, size: descriptor.dataSize,
                        fileOffset: offset, to: &raw, notes: &notes)
                    let (next, overflow) = offset.addingReportingOverflow(descriptor.dataSize)
                    if overflow { break }
                    offset = next
                }
            } catch {
                notes.append(error.message)
            }
        }
        let view = MemoryView(ranges: Self.normalize(raw), bytes: bytes)
        for note in notes { warn(note) }
        cache.withLock { $0.memory = view }
        return view
    }

    private func append(
        start: UInt64, size: UInt64, fileOffset: UInt64, to ranges: inout [MemoryView.Range],
        notes: inout [String]
    ) {
        guard size > 0 else { return }
        let fileSize = UInt64(bytes.count)
        var usable = size
        if fileOffset >= fileSize {
            if notes.count < 20 {
                notes.append(
                    "memory at \(hex(start)) (\(size) bytes): its data at file offset "
                        + "\(hex(fileOffset)) is past the end of the file (\(fileSize) bytes); left out"
                )
            }
            return
        }
        if size > fileSize - fileOffset {
            usable = fileSize - fileOffset
            if notes.count < 20 {
                notes.append(
                    "memory at \(hex(start)) (\(size) bytes): only \(usable) bytes are in the "
                        + "file (truncated?)")
            }
        }
        // Cut a range that would wrap around the top of the address space.
        if usable > UInt64.max - start { usable = UInt64.max - start }
        guard usable > 0 else { return }
        ranges.append(MemoryView.Range(start: start, size: usable, fileOffset: Int(fileOffset)))
    }

    /// Sorts by start (stable, so the first-listed range wins) and trims overlaps.
    static func normalize(_ input: [MemoryView.Range]) -> [MemoryView.Range] {
        // Writers list ranges in address order almost always; sort only when they did not.
        var isSorted = true
        for index in input.indices.dropFirst() where input[index - 1].start > input[index].start {
            isSorted = false
            break
        }
        let sorted =
            isSorted
            ? input
            : input.enumerated().sorted {
                $0.element.start != $1.element.start
                    ? $0.element.start < $1.element.start : $0.offset < $1.offset
            }.map(\.element)
        var result: [MemoryView.Range] = []
        result.reserveCapacity(sorted.count)
        for range in sorted {
            guard let last = result.last, range.start < last.end else {
                result.append(range)
                continue
            }
            guard range.end > last.end else { continue }
            let cut = last.end - range.start
            result.append(
                MemoryView.Range(
                    start: last.end, size: range.size - cut, fileOffset: range.fileOffset + Int(cut)
                ))
        }
        return result
    }

    /// The MemoryList stream's descriptors, as stored.
    public func memoryList() throws(MinidumpError) -> [MINIDUMP_MEMORY_DESCRIPTOR] {
        try readList(.memoryList, entrySize: MINIDUMP_MEMORY_DESCRIPTOR.size) {
            (c: inout Cursor) throws(MinidumpError) in
            try MINIDUMP_MEMORY_DESCRIPTOR(from: &c)
        }
    }

    /// The Memory64List stream: the file offset of the first range's data and the descriptors.
    public func memory64List() throws(MinidumpError) -> (
        baseRva: RVA64, ranges: [MINIDUMP_MEMORY_DESCRIPTOR64]
    ) {
        var c = try stream(.memory64List)
        let count = try c.u64()
        let baseRva = try c.u64()
        let available = UInt64(c.remaining / MINIDUMP_MEMORY_DESCRIPTOR64.size)
        guard count <= available else {
            let need = count.multipliedReportingOverflow(by: 16).partialValue &+ 16
            throw .malformed(
                "\(c.label): \(count) entries of 16 bytes need \(need) bytes, stream has "
                    + "\(c.length)", at: c.start)
        }
        var ranges: [MINIDUMP_MEMORY_DESCRIPTOR64] = []
        ranges.reserveCapacity(Int(count))
        for _ in 0..<Int(count) { ranges.append(try MINIDUMP_MEMORY_DESCRIPTOR64(from: &c)) }
        return (baseRva, ranges)
    }
}
