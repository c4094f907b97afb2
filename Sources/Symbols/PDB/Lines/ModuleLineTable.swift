/// The C13 line information of one module: `DEBUG_S_LINES` subsections (code ranges mapped to
/// source lines) and `DEBUG_S_FILECHKSMS` (the file each block of lines belongs to).
struct ModuleLineTable: Sendable {
    struct Entry: Sendable {
        var rva: UInt64
        var end: UInt64
        var line: UInt32
        /// Offset of the file's entry in the checksum subsection.
        var fileChecksumOffset: UInt32
    }

    /// Sorted by RVA.
    private(set) var entries: [Entry] = []
    /// Checksum-subsection offset → offset of the file name in `/names`.
    private(set) var fileNameOffsets: [UInt32: UInt32] = [:]

    init() {}

    static let linesKind: UInt32 = 0xf2
    static let checksumsKind: UInt32 = 0xf4

    init(c13: [UInt8], sections: SectionMap, module: Int) throws(PDBError) {
        var entries: [Entry] = []
        var names: [UInt32: UInt32] = [:]
        try c13.withRawBytes { (raw) throws(PDBError) in
            var reader = RecordReader(raw) { "module \(module) C13 debug subsections" }
            while reader.remaining >= 8 {
                let kind = try reader.u32()
                let length = Int(try reader.u32())
                guard length <= reader.remaining else {
                    throw PDBError(
                        "module \(module) C13 subsection \(pdbHex(kind)) of \(length) bytes runs "
                            + "past the end")
                }
                let body = UnsafeRawBufferPointer(
                    rebasing: raw[reader.position..<reader.position + length])
                switch kind {
                case Self.linesKind:
                    entries += try Self.parseLines(body, sections: sections, module: module)
                case Self.checksumsKind:
                    Self.parseChecksums(body, into: &names)
                default: break
                }
                try reader.skip(min(reader.remaining, (length + 3) & ~3))
            }
        }
        entries.sort { $0.rva < $1.rva }
        self.entries = entries
        self.fileNameOffsets = names
    }

    private static func parseLines(
        _ body: UnsafeRawBufferPointer, sections: SectionMap, module: Int
    ) throws(PDBError) -> [Entry] {
        var r = RecordReader(body) { "module \(module) DEBUG_S_LINES" }
        let offset = try r.u32()
        let section = try r.u16()
        let flags = try r.u16()
        let size = try r.u32()
        guard let base = sections.rva(section: section, offset: offset) else { return [] }
        let hasColumns = flags & 1 != 0
        var found: [(offset: UInt32, line: UInt32, file: UInt32)] = []
        while r.remaining >= 12 {
            let file = try r.u32()
            let count = Int(try r.u32())
            let blockSize = Int(try r.u32())
            let needed = count * (hasColumns ? 12 : 8)
            guard count <= r.remaining / 8, needed <= r.remaining, blockSize >= 12 else {
                throw PDBError(
                    "module \(module) DEBUG_S_LINES: a block of \(count) lines runs past the end")
            }
            for _ in 0..<count {
                let lineOffset = try r.u32()
                let flagsAndLine = try r.u32()
                found.append((lineOffset, flagsAndLine & 0x00ff_ffff, file))
            }
            if hasColumns { try r.skip(count * 4) }
        }
        found.sort { $0.offset < $1.offset }
        var entries: [Entry] = []
        entries.reserveCapacity(found.count)
        for (index, item) in found.enumerated() {
            let endOffset = index + 1 < found.count ? found[index + 1].offset : size
            guard item.offset < size || size == 0 else { continue }
            entries.append(
                Entry(
                    rva: base + UInt64(item.offset),
                    end: base + UInt64(max(endOffset, item.offset)), line: item.line,
                    fileChecksumOffset: item.file))
        }
        return entries
    }

    private static func parseChecksums(
        _ body: UnsafeRawBufferPointer, into names: inout [UInt32: UInt32]
    ) {
        var r = RecordReader(body) { "DEBUG_S_FILECHKSMS" }
        while r.remaining >= 6 {
            let entryOffset = UInt32(r.position)
            guard let nameOffset = try? r.u32(), let size = try? r.u8(), (try? r.u8()) != nil,
                (try? r.skip(Int(size))) != nil
            else { return }
            names[entryOffset] = nameOffset
            let aligned = (r.position + 3) & ~3
            guard (try? r.skip(min(r.remaining, aligned - r.position))) != nil else { return }
        }
    }

    /// The line entry covering `rva`.
    func entry(at rva: UInt64) -> Entry? {
        guard let index = SortedSearch.lastIndex(in: entries, atOrBelow: rva, key: { $0.rva })
        else { return nil }
        let entry = entries[index]
        guard rva < entry.end || (entry.end == entry.rva && rva == entry.rva) else { return nil }
        return entry
    }
}
