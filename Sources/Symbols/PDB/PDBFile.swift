import Synchronization

/// An opened PDB file.
///
/// Opening maps the file and reads the MSF superblock, the stream directory and the PDB info
/// stream (GUID and age). Everything else (the DBI stream, section headers, type streams, the
/// globals and publics tables, each module's symbols and lines) is read the first time a
/// question needs it, and kept. Every part is checked as it is read; a damaged part gives a
/// `PDBError` saying what is wrong, and the other parts stay usable.
public final class PDBFile: Sendable {
    public let path: String?
    let msf: MSFFile
    public let info: PDBInfo

    private let dbiValue = LazyValue<DBIStream>()
    private let sectionsValue = LazyValue<SectionMap>()
    private let stringsValue = LazyValue<PDBStringTable>()
    private let tpiValue = LazyValue<TypeStream>()
    private let ipiValue = LazyValue<TypeStream>()
    private let publicsValue = LazyValue<PublicsStream>()
    private let globalsValue = LazyValue<GlobalSymbolIndex>()
    private let contributionsValue = LazyValue<[(rva: UInt64, end: UInt64, module: Int)]>()
    private let moduleSymbols = LazyTable<Int, ModuleSymbols>()
    /// Forward references already resolved to their definitions.
    let resolvedTypes = Mutex<[TypeIndex: TypeIndex]>([:])

    /// Opens the PDB at `path` (mapped, read lazily).
    public convenience init(path: String) throws(PDBError) {
        let bytes = try PDBFileBytes(mappingFile: path)
        try self.init(bytes: bytes, path: path)
    }

    /// Reads a PDB from bytes in memory (tests, fuzzing).
    public convenience init(bytes: [UInt8], name: String? = nil) throws(PDBError) {
        try self.init(bytes: PDBFileBytes(copying: bytes), path: name)
    }

    private init(bytes: PDBFileBytes, path: String?) throws(PDBError) {
        self.path = path
        msf = try MSFFile(file: bytes)
        info = try PDBInfo.read(try msf.requireStream(1, "PDB info"))
    }

    // MARK: Parts, read on first use

    var dbi: DBIStream {
        get throws(PDBError) {
            try dbiValue.get { () throws(PDBError) in
                try DBIStream.read(try msf.requireStream(3, "DBI"))
            }
        }
    }

    /// The image's sections (for `section:offset` → RVA).
    public var sections: SectionMap {
        get throws(PDBError) {
            try sectionsValue.get { () throws(PDBError) in
                let dbi = try self.dbi
                guard let index = dbi.debugStream(DBIStream.sectionHeaderSlot) else {
                    throw PDBError(
                        "the PDB has no section header stream (addresses cannot be mapped to RVAs)")
                }
                return SectionMap(
                    sections: try PDBSectionHeader.readAll(
                        try msf.requireStream(index, "section header")))
            }
        }
    }

    var strings: PDBStringTable {
        get throws(PDBError) {
            try stringsValue.get { () throws(PDBError) in
                guard let index = info.namedStreams["/names"], let stream = msf.stream(index) else {
                    return PDBStringTable()
                }
                return try PDBStringTable(stream: stream)
            }
        }
    }

    /// The type stream (TPI).
    var types: TypeStream {
        get throws(PDBError) {
            try tpiValue.get { () throws(PDBError) in
                try TypeStream(
                    stream: try msf.requireStream(2, "TPI"), streamAt: { msf.stream($0) },
                    name: "TPI")
            }
        }
    }

    /// The id stream (IPI): function ids and strings. Nil in PDBs without one.
    var ids: TypeStream? {
        guard info.hasIDStream, let stream = msf.stream(4) else { return nil }
        return try? ipiValue.get { () throws(PDBError) in
            try TypeStream(stream: stream, streamAt: { msf.stream($0) }, name: "IPI")
        }
    }

    var symbolRecords: SymbolRecordStream {
        get throws(PDBError) {
            SymbolRecordStream(
                stream: try msf.requireStream(try dbi.symbolRecordStreamIndex, "symbol record"))
        }
    }

    var publics: PublicsStream {
        get throws(PDBError) {
            try publicsValue.get { () throws(PDBError) in
                try PublicsStream(
                    stream: try msf.requireStream(try dbi.publicStreamIndex, "publics"))
            }
        }
    }

    var globals: GlobalSymbolIndex {
        get throws(PDBError) {
            try globalsValue.get { () throws(PDBError) in
                let stream = try msf.requireStream(try dbi.globalStreamIndex, "globals")
                return try GlobalSymbolIndex(
                    stream: stream, offset: 0, size: stream.size, what: "globals hash table")
            }
        }
    }

    /// The modules (object files) that make up the image.
    public var modules: [PDBModuleInfo] {
        get throws(PDBError) { try dbi.modules }
    }

    /// IMAGE_FILE_MACHINE_* the PDB was linked for.
    public var machine: UInt16? { try? dbi.machine }

    /// The DBI stream's age (the one that must match the image's CodeView record).
    public var dbiAge: UInt32? { try? dbi.age }

    /// The symbols of module `index`, read on first use.
    func symbols(ofModule index: Int) throws(PDBError) -> ModuleSymbols {
        try moduleSymbols.get(index) { () throws(PDBError) in
            let modules = try self.modules
            guard modules.indices.contains(index) else {
                throw PDBError("module index \(index) is outside the \(modules.count) modules")
            }
            let module = modules[index]
            guard let streamIndex = module.symbolStream, let stream = msf.stream(streamIndex) else {
                throw PDBError("module \(index) (\(module.moduleName)) has no symbol stream")
            }
            return try ModuleSymbols(module: module, stream: stream, sections: try sections)
        }
    }

    /// One procedure record of a module, read by itself (an `S_PROCREF` target) without
    /// reading the module's other symbols or touching the mapping (`pread`), with its RVA.
    func procedure(module index: Int, recordOffset: Int) -> (rva: UInt64, symbol: ProcedureSymbol)?
    {
        guard let modules = try? self.modules, modules.indices.contains(index),
            let streamIndex = modules[index].symbolStream, let stream = msf.stream(streamIndex),
            let sections = try? self.sections,
            let length = try? stream.withBytesCopied(
                offset: recordOffset, count: 2, { $0.loadUnaligned(as: UInt16.self) }),
            length >= 2
        else { return nil }
        let record = try? stream.withBytesCopied(offset: recordOffset + 2, count: Int(length)) {
            (raw) throws(PDBError) -> SymbolRecord in
            try SymbolRecord.parse(
                kind: raw.loadUnaligned(as: UInt16.self),
                payload: UnsafeRawBufferPointer(rebasing: raw[2...]), recordOffset: recordOffset,
                label: { "module \(index) symbol record at \(pdbHex(recordOffset))" })
        }
        guard case .procedure(let procedure)? = record,
            let rva = sections.rva(section: procedure.section, offset: procedure.offset)
        else { return nil }
        return (rva, procedure)
    }

    /// The module that contributed the byte at `rva`, from the section contributions.
    func module(containing rva: UInt64) -> Int? {
        guard
            let ranges = try? contributionsValue.get({ () throws(PDBError) in
                let sections = try self.sections
                var ranges: [(rva: UInt64, end: UInt64, module: Int)] = []
                for contribution in try dbi.sectionContributions where contribution.size > 0 {
                    guard
                        let start = sections.rva(
                            section: contribution.section, offset: contribution.offset)
                    else { continue }
                    ranges.append(
                        (start, start + UInt64(contribution.size), contribution.moduleIndex))
                }
                ranges.sort { $0.rva < $1.rva }
                return ranges
            }),
            let index = SortedSearch.lastIndex(in: ranges, atOrBelow: rva, key: { $0.rva })
        else { return nil }
        return rva < ranges[index].end ? ranges[index].module : nil
    }

    /// File name for a line-table file reference of a module.
    func fileName(module: ModuleSymbols, checksumOffset: UInt32) -> String? {
        guard let nameOffset = module.lines.fileNameOffsets[checksumOffset] else { return nil }
        return try? strings.string(at: nameOffset)
    }
}
