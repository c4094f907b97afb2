/// The symbol record stream: the records the globals and publics hash tables point into.
struct SymbolRecordStream: Sendable {
    let stream: MSFStream

    /// The record at `offset`: its kind and parsed payload.
    func record(at offset: Int) throws(PDBError) -> (kind: UInt16, record: SymbolRecord) {
        let length = Int(try stream.u16(at: offset))
        guard length >= 2 else {
            throw PDBError("symbol record stream: record at \(pdbHex(offset)) has length \(length)")
        }
        return try stream.withBytes(offset: offset + 2, count: length) {
            (raw) throws(PDBError) -> (UInt16, SymbolRecord) in
            let kind = raw.loadUnaligned(as: UInt16.self)
            let record = try SymbolRecord.parse(
                kind: kind, payload: UnsafeRawBufferPointer(rebasing: raw[2...]),
                recordOffset: offset, label: { "symbol record at \(pdbHex(offset))" })
            return (kind, record)
        }
    }

    /// Every record of the stream in stream order, those with a name that passes `filter`
    /// parsed and handed to `body`. The stream is a plain sequence of records (each length
    /// counts its kind and padding), so one forward pass visits each global and public once,
    /// in file order: cheaper than following the two hash tables' offsets, which jump about.
    func forEachRecord(
        ifName filter: (UnsafeRawBufferPointer) -> Bool, _ body: (SymbolRecord) -> Void
    ) {
        var offset = 0
        while offset <= stream.size - 4 {
            guard let length = try? stream.u16(at: offset), length >= 2 else { return }
            let here = offset
            offset += 2 + Int(length)
            switch namedRecord(at: here, length: Int(length), ifName: filter) {
            case .match(let record): body(record)
            case .skipped: continue
            case .unreadable: return
            }
        }
    }

    /// The records at `offsets` whose names pass `filter`, parsed, in the order given. Names
    /// are read in place in the mapping (a record that straddles scattered blocks is copied),
    /// so a scan over hundreds of thousands of records builds only the matches.
    func records(
        at offsets: [UInt32], ifName filter: (UnsafeRawBufferPointer) -> Bool
    ) -> [SymbolRecord] {
        var result: [SymbolRecord] = []
        for value in offsets {
            let offset = Int(value)
            guard let length = try? stream.u16(at: offset), length >= 2,
                case .match(let record) = namedRecord(
                    at: offset, length: Int(length), ifName: filter)
            else { continue }
            result.append(record)
        }
        return result
    }

    private enum NamedRecord {
        /// The record has a name that passed the filter, and parsed.
        case match(SymbolRecord)
        /// No name, a name the filter refused, or a record that does not parse.
        case skipped
        /// The record's bytes cannot be read (the stream ends).
        case unreadable
    }

    /// The record of `length` bytes after its length field at `offset`, parsed when it has a
    /// name that passes `filter`.
    private func namedRecord(
        at offset: Int, length: Int, ifName filter: (UnsafeRawBufferPointer) -> Bool
    ) -> NamedRecord {
        func parse(_ raw: UnsafeRawBufferPointer) -> SymbolRecord? {
            let kind = raw.loadUnaligned(as: UInt16.self)
            guard let nameStart = Self.nameOffset(kind: kind, payload: raw.count - 2) else {
                return nil
            }
            let payload = UnsafeRawBufferPointer(rebasing: raw[2...])
            var end = nameStart
            while end < payload.count, payload[end] != 0 { end += 1 }
            guard filter(UnsafeRawBufferPointer(rebasing: payload[nameStart..<end])) else {
                return nil
            }
            return try? SymbolRecord.parse(
                kind: kind, payload: payload, recordOffset: offset,
                label: { "symbol record at \(pdbHex(offset))" })
        }
        let record: SymbolRecord?
        if let raw = stream.view(offset: offset + 2, count: length) {
            record = parse(raw)
        } else if let copy = try? stream.bytes(offset: offset + 2, count: length) {
            record = copy.withUnsafeBytes { parse($0) }
        } else {
            return .unreadable
        }
        return record.map { .match($0) } ?? .skipped
    }

    /// Where the name starts in the payload of records that have a fixed-size prefix.
    static func nameOffset(kind: UInt16, payload: Int) -> Int? {
        typealias K = SymbolRecordKind
        let offset: Int
        switch kind {
        case K.public32: offset = 10
        case K.globalData32, K.localData32, K.globalThread32, K.localThread32: offset = 10
        case K.procedureReference, K.localProcedureReference, K.dataReference: offset = 10
        case K.userDefinedType: offset = 4
        default: return nil
        }
        return offset <= payload ? offset : nil
    }
}

/// A globals or publics hash table (GSI): name → records, bucketed by `PDBHash.stringV1`.
struct GlobalSymbolIndex: Sendable {
    static let bucketCount = 4096
    /// Offsets of the records (into the symbol record stream), grouped by bucket.
    private let recordOffsets: [UInt32]
    /// `bucketStarts[b]..<bucketStarts[b + 1]` indexes `recordOffsets` for bucket `b`.
    private let bucketStarts: [Int]

    var count: Int { recordOffsets.count }
    /// Every record offset (in hash order).
    var allRecordOffsets: [UInt32] { recordOffsets }

    /// Reads the table at `offset` in `stream` (`size` bytes).
    init(stream: MSFStream, offset: Int, size: Int, what: String) throws(PDBError) {
        let (offsets, starts) = try stream.read(offset: offset, count: size, label: { what }) {
            (r) throws(PDBError) -> ([UInt32], [Int]) in
            let signature = try r.u32()
            let version = try r.u32()
            guard signature == 0xffff_ffff, version == 0xf12f_091a else {
                throw PDBError(
                    "\(what): hash header \(pdbHex(signature)) \(pdbHex(version)) is not the V70 layout"
                )
            }
            let recordBytes = Int(try r.u32())
            let bucketBytes = Int(try r.u32())
            guard recordBytes % 8 == 0, recordBytes <= r.remaining,
                bucketBytes <= r.remaining - recordBytes
            else {
                throw PDBError("\(what): hash records (\(recordBytes) bytes) run past the end")
            }
            var offsets: [UInt32] = []
            offsets.reserveCapacity(recordBytes / 8)
            for _ in 0..<recordBytes / 8 {
                let value = try r.u32()
                _ = try r.u32()  // reference count
                offsets.append(value &- 1)
            }
            let bitmapWords = (Self.bucketCount + 32) / 32
            var starts = [Int](repeating: -1, count: Self.bucketCount + 1)
            if bucketBytes >= bitmapWords * 4 {
                var bitmap: [UInt32] = []
                for _ in 0..<bitmapWords { bitmap.append(try r.u32()) }
                for bucket in 0..<Self.bucketCount
                where bitmap[bucket / 32] & (1 << UInt32(bucket % 32)) != 0 {
                    // Stored as byte offsets into 12-byte in-memory hash records.
                    let start = Int(try r.u32()) / 12
                    starts[bucket] = min(start, offsets.count)
                }
            }
            // Empty buckets start where the next non-empty one does.
            starts[Self.bucketCount] = offsets.count
            for bucket in stride(from: Self.bucketCount - 1, through: 0, by: -1)
            where starts[bucket] < 0 || starts[bucket] > starts[bucket + 1] {
                starts[bucket] = starts[bucket + 1]
            }
            return (offsets, starts)
        }
        recordOffsets = offsets
        bucketStarts = starts
    }

    /// Offsets of the records whose name hashes like `name`.
    func candidates(for name: String) -> ArraySlice<UInt32> {
        let bucket = Int(PDBHash.stringV1(name) % UInt32(Self.bucketCount))
        return recordOffsets[bucketStarts[bucket]..<bucketStarts[bucket + 1]]
    }
}

/// The publics stream: a GSI hash table followed by an address map (record offsets sorted by
/// section and offset).
struct PublicsStream: Sendable {
    let index: GlobalSymbolIndex
    let stream: MSFStream
    let addressMapOffset: Int
    let addressMapCount: Int

    init(stream: MSFStream) throws(PDBError) {
        let (hashSize, mapSize) = try stream.read(offset: 0, count: 28, label: { "publics stream" })
        {
            (r) throws(PDBError) -> (Int, Int) in
            (Int(try r.u32()), Int(try r.u32()))
        }
        guard hashSize <= stream.size - 28, mapSize <= stream.size - 28 - hashSize else {
            throw PDBError(
                "publics stream: hash (\(hashSize)) and address map (\(mapSize)) run past the end")
        }
        index = try GlobalSymbolIndex(
            stream: stream, offset: 28, size: hashSize, what: "publics hash table")
        self.stream = stream
        addressMapOffset = 28 + hashSize
        addressMapCount = mapSize / 4
    }

    /// Record offset of the `position`-th public in address order.
    func addressMapEntry(_ position: Int) -> UInt32? {
        guard position >= 0, position < addressMapCount else { return nil }
        return try? stream.u32(at: addressMapOffset + position * 4)
    }
}
