import Synchronization

/// A TPI (types) or IPI (ids) stream: records numbered from `firstIndex`, found by index
/// through the hash stream's index-offset table and by name through its hash buckets.
///
/// Opening reads the header and the index-offset table only. A record is found by a binary
/// search in that table and a short walk (the table has an entry every few KiB of records).
final class TypeStream: Sendable {
    static let headerSize = 56

    let name: String
    let stream: MSFStream
    let firstIndex: TypeIndex
    let endIndex: TypeIndex
    private let recordBytes: Int
    private let hashStream: MSFStream?
    private let bucketCount: UInt32
    private let hashValuesOffset: Int
    private let hashValuesLength: Int
    /// (type index, offset of its record from the start of the records), sorted.
    private let indexOffsets: [(index: TypeIndex, offset: Int)]
    private let cache = Mutex<[TypeIndex: TypeRecord]>([:])
    /// Record offsets of every 16th type index met while walking, so later lookups walk at most
    /// 15 records.
    private let walkedOffsets = Mutex<[TypeIndex: Int]>([:])
    /// Type indices by hash bucket, for buckets already scanned.
    private let buckets = Mutex<[UInt32: [TypeIndex]]>([:])

    var count: Int { Int(endIndex - firstIndex) }

    init(stream: MSFStream, streamAt: (Int) -> MSFStream?, name: String) throws(PDBError) {
        self.name = name
        self.stream = stream
        let header = try stream.read(
            offset: 0, count: min(stream.size, Self.headerSize), label: { "\(name) stream header" }
        ) {
            (r) throws(PDBError) -> [UInt32] in
            var values: [UInt32] = []
            _ = try r.u32()  // version
            let headerSize = try r.u32()
            values.append(headerSize)
            values.append(try r.u32())  // begin
            values.append(try r.u32())  // end
            values.append(try r.u32())  // record bytes
            values.append(UInt32(try r.u16()))  // hash stream
            _ = try r.u16()
            _ = try r.u32()  // key size
            values.append(try r.u32())  // buckets
            values.append(try r.u32())  // hash values offset
            values.append(try r.u32())  // length
            values.append(try r.u32())  // index offsets offset
            values.append(try r.u32())  // length
            return values
        }
        guard header[0] == UInt32(Self.headerSize) else {
            throw PDBError("\(name) stream: header size \(header[0]) is not \(Self.headerSize)")
        }
        firstIndex = header[1]
        endIndex = header[2]
        recordBytes = Int(header[3])
        guard firstIndex >= 0x1000, endIndex >= firstIndex,
            recordBytes <= stream.size - Self.headerSize
        else {
            throw PDBError(
                "\(name) stream: type indices \(pdbHex(firstIndex))..<\(pdbHex(endIndex)) with "
                    + "\(recordBytes) record bytes do not fit the \(stream.size)-byte stream")
        }
        let hash = header[4] == 0xffff ? nil : streamAt(Int(header[4]))
        self.hashStream = hash
        bucketCount = header[5]
        hashValuesOffset = Int(header[6])
        hashValuesLength = Int(header[7])
        var offsets: [(TypeIndex, Int)] = []
        if let hash, Int(header[8]) <= hash.size, Int(header[9]) <= hash.size - Int(header[8]) {
            let start = Int(header[8])
            let pairs = Int(header[9]) / 8
            try hash.read(offset: start, count: pairs * 8, label: { "\(name) index offsets" }) {
                (r) throws(PDBError) in
                for _ in 0..<pairs {
                    let index = try r.u32()
                    let offset = Int(try r.u32())
                    if let last = offsets.last, index <= last.0 || offset <= last.1 { continue }
                    offsets.append((index, offset))
                }
            }
        }
        if offsets.first?.0 != firstIndex { offsets.insert((firstIndex, 0), at: 0) }
        indexOffsets = offsets
    }

    /// The kind and payload bytes of the record for `index`, handed to `body`.
    func withRecord<R>(
        _ index: TypeIndex, _ body: (UInt16, UnsafeRawBufferPointer) throws(PDBError) -> R
    ) throws(PDBError) -> R {
        guard index >= firstIndex, index < endIndex else {
            throw PDBError(
                "\(name): type index \(pdbHex(index)) is outside \(pdbHex(firstIndex))..<\(pdbHex(endIndex))"
            )
        }
        let nearest =
            SortedSearch.lastIndex(
                in: indexOffsets, atOrBelow: UInt64(index), key: { UInt64($0.index) })
            ?? 0
        if let result = try withRecordCopied(index, from: nearest, body) { return result }
        var current = indexOffsets[nearest].index
        var offset = indexOffsets[nearest].offset
        while current < index {
            offset += 2 + Int(try lengthOfRecord(at: offset))
            current += 1
        }
        let length = Int(try lengthOfRecord(at: offset))
        guard length >= 2 else {
            throw PDBError("\(name): record \(pdbHex(index)) has length \(length)")
        }
        return try stream.withBytes(offset: Self.headerSize + offset + 2, count: length) {
            (raw) throws(PDBError) -> R in
            try body(
                raw.loadUnaligned(as: UInt16.self), UnsafeRawBufferPointer(rebasing: raw[2...]))
        }
    }

    /// `withRecord` with one `pread` of the records from the index-offset entry `nearest` up
    /// to the next entry (about 8 KB) instead of touching the mapping: type lookups land all
    /// over a large stream. Nil (the caller walks the mapping) when the span is large or the
    /// walk leaves it.
    private func withRecordCopied<R>(
        _ index: TypeIndex, from nearest: Int,
        _ body: (UInt16, UnsafeRawBufferPointer) throws(PDBError) -> R
    ) throws(PDBError) -> R? {
        let start = indexOffsets[nearest].offset
        let end = min(
            nearest + 1 < indexOffsets.count ? indexOffsets[nearest + 1].offset : recordBytes,
            recordBytes)
        guard start < end, end - start <= Self.largestCopiedSpan else { return nil }
        return try stream.withBytesCopied(offset: Self.headerSize + start, count: end - start) {
            (span) throws(PDBError) -> R? in
            var position = 0
            var current = indexOffsets[nearest].index
            while current < index {
                guard position + 2 <= span.count else { return nil }
                position += 2 + Int(span.loadUnaligned(fromByteOffset: position, as: UInt16.self))
                current += 1
            }
            guard position + 4 <= span.count else { return nil }
            let length = Int(span.loadUnaligned(fromByteOffset: position, as: UInt16.self))
            guard length >= 2 else {
                throw PDBError("\(name): record \(pdbHex(index)) has length \(length)")
            }
            guard position + 2 + length <= span.count else { return nil }
            let record = UnsafeRawBufferPointer(
                rebasing: span[(position + 2)..<(position + 2 + length)])
            return try body(
                record.loadUnaligned(as: UInt16.self),
                UnsafeRawBufferPointer(rebasing: record[2...]))
        }
    }

    /// The largest run of records `withRecordCopied` reads at once.
    private static let largestCopiedSpan = 64 << 10

    private func lengthOfRecord(at offset: Int) throws(PDBError) -> UInt16 {
        guard offset >= 0, offset + 4 <= recordBytes else {
            throw PDBError(
                "\(name): record offset \(pdbHex(offset)) is past the \(recordBytes) record bytes")
        }
        return try stream.u16(at: Self.headerSize + offset)
    }

    /// The decoded record for `index` (cached).
    func record(_ index: TypeIndex) throws(PDBError) -> TypeRecord {
        if let cached = cache.withLock({ $0[index] }) { return cached }
        let record = try withRecord(index) { (kind, payload) throws(PDBError) -> TypeRecord in
            try TypeRecord.parse(
                kind: kind, payload: payload, label: { [name] in "\(name) record \(pdbHex(index))" }
            )
        }
        cache.withLock { cache in
            if cache.count > 200_000 { cache.removeAll() }
            cache[index] = record
        }
        return record
    }

    /// Type indices whose hash bucket is that of `name` (the definitions of user-defined types
    /// are hashed by name). Empty when the stream has no hash table.
    func candidates(named name: String) -> [TypeIndex] {
        guard let hashStream, bucketCount > 0 else { return [] }
        let bucket = PDBHash.stringV1(name) % bucketCount
        if let known = buckets.withLock({ $0[bucket] }) { return known }
        let entries = min(count, hashValuesLength / 4)
        guard hashValuesOffset <= hashStream.size - entries * 4 else { return [] }
        var found: [TypeIndex] = []
        try? hashStream.withBytes(offset: hashValuesOffset, count: entries * 4) { raw in
            for position in 0..<entries
            where UInt32(
                littleEndian: raw.loadUnaligned(fromByteOffset: position * 4, as: UInt32.self))
                == bucket
            {
                found.append(firstIndex + TypeIndex(position))
            }
        }
        buckets.withLock { buckets in
            if buckets.count > 10_000 { buckets.removeAll() }
            buckets[bucket] = found
        }
        return found
    }

    var hasHashTable: Bool { hashStream != nil && bucketCount > 0 }

    /// Calls `body` for every record in index order, until it returns false.
    func forEachRecord(_ body: (TypeIndex, UInt16, UnsafeRawBufferPointer) -> Bool) throws(PDBError)
    {
        var offset = 0
        var index = firstIndex
        while index < endIndex, offset + 4 <= recordBytes {
            let length = Int(try lengthOfRecord(at: offset))
            guard length >= 2, offset + 2 + length <= recordBytes else {
                throw PDBError(
                    "\(name): record \(pdbHex(index)) at \(pdbHex(offset)) runs past the end")
            }
            let keepGoing = try stream.withBytes(
                offset: Self.headerSize + offset + 2, count: length
            ) {
                raw in
                body(
                    index, raw.loadUnaligned(as: UInt16.self),
                    UnsafeRawBufferPointer(rebasing: raw[2...]))
            }
            if !keepGoing { return }
            offset += 2 + length
            index += 1
        }
    }
}
