/// The symbols of one module (object file): procedures, module-level data and the C13 debug
/// subsections (line tables, file checksums). Read once, when an address in the module or a
/// name from it is first needed.
final class ModuleSymbols: Sendable {
    let module: PDBModuleInfo
    /// The symbol substream, from the start of the stream (offsets in records and in
    /// `S_PROCREF` count from there, including the 4-byte signature).
    let symbolBytes: [UInt8]
    /// Procedures sorted by RVA, with their RVAs.
    let procedures: [(rva: UInt64, symbol: ProcedureSymbol)]
    let data: [DataSymbol]
    let thunks: [(rva: UInt64, size: UInt64, name: String)]
    let lines: ModuleLineTable

    init(module: PDBModuleInfo, stream: MSFStream, sections: SectionMap) throws(PDBError) {
        self.module = module
        let symbolSize = min(module.symbolBytes, stream.size)
        symbolBytes = try stream.bytes(offset: 0, count: symbolSize)
        var procedures: [(UInt64, ProcedureSymbol)] = []
        var data: [DataSymbol] = []
        var thunks: [(UInt64, UInt64, String)] = []
        let moduleIndex = module.index
        try Self.forEachRecord(in: symbolBytes, from: 4, to: symbolBytes.count, module: moduleIndex)
        {
            kind, record, offset in
            switch record {
            case .procedure(let procedure):
                if let rva = sections.rva(section: procedure.section, offset: procedure.offset) {
                    procedures.append((rva, procedure))
                }
            case .data(let symbol):
                data.append(symbol)
            case .thunk(_, let offset, let section, let length, let name):
                if let rva = sections.rva(section: section, offset: offset) {
                    thunks.append((rva, UInt64(length), name))
                }
            default: break
            }
            _ = kind
            _ = offset
        }
        procedures.sort { $0.0 < $1.0 }
        self.procedures = procedures
        self.data = data
        self.thunks = thunks

        let c13Start = module.symbolBytes + module.c11Bytes
        if module.c13Bytes > 0, c13Start <= stream.size, module.c13Bytes <= stream.size - c13Start {
            let c13 = try stream.bytes(offset: c13Start, count: module.c13Bytes)
            lines = try ModuleLineTable(c13: c13, sections: sections, module: moduleIndex)
        } else {
            lines = ModuleLineTable()
        }
    }

    /// Calls `body` for every record in `bytes[from..<to]`, with its kind, parsed payload and
    /// offset. A record whose length runs past `to` ends the walk with an error.
    static func forEachRecord(
        in bytes: [UInt8], from start: Int, to end: Int, module: Int,
        _ body: (UInt16, SymbolRecord, Int) throws(PDBError) -> Void
    ) throws(PDBError) {
        try bytes.withRawBytes { (raw) throws(PDBError) in
            var offset = start
            let limit = min(end, raw.count)
            while offset + 4 <= limit {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                guard length >= 2, offset + 2 + length <= limit else {
                    throw PDBError(
                        "module \(module) symbols: record at \(pdbHex(offset)) with length "
                            + "\(length) runs past the end (\(limit) bytes)")
                }
                let kind = raw.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)
                let payload = UnsafeRawBufferPointer(
                    rebasing: raw[offset + 4..<offset + 2 + length])
                let recordOffset = offset
                let record = try SymbolRecord.parse(
                    kind: kind, payload: payload, recordOffset: offset,
                    label: { "module \(module) symbol record at \(pdbHex(recordOffset))" })
                try body(kind, record, offset)
                offset += 2 + length
            }
        }
    }

    /// The procedure containing `rva`, if any.
    func procedure(containing rva: UInt64) -> (rva: UInt64, symbol: ProcedureSymbol)? {
        guard
            let index = SortedSearch.lastIndex(in: procedures, atOrBelow: rva, key: { $0.rva })
        else { return nil }
        // Procedures do not nest; look back a little in case of zero-sized neighbours.
        for candidate in stride(from: index, through: max(0, index - 4), by: -1) {
            let entry = procedures[candidate]
            if rva - entry.rva < UInt64(max(entry.symbol.codeSize, 1)) { return entry }
        }
        return nil
    }

    /// The procedure whose record starts at `offset` (from an `S_PROCREF`).
    func procedure(atRecordOffset offset: Int) -> (rva: UInt64, symbol: ProcedureSymbol)? {
        procedures.first { $0.symbol.recordOffset == offset }
    }
}
