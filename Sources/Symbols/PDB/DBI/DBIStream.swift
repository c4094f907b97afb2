/// The DBI stream (stream 3): where the other streams are (globals, publics, symbol records),
/// the modules (object files) with their symbol streams, which module contributed which code,
/// and the optional debug streams (section headers, FPO, ...).
struct DBIStream: Sendable {
    var age: UInt32
    var globalStreamIndex: Int
    var publicStreamIndex: Int
    var symbolRecordStreamIndex: Int
    /// IMAGE_FILE_MACHINE_* of the image (0x8664 x64, 0x14c x86, 0xaa64 ARM64).
    var machine: UInt16
    var modules: [PDBModuleInfo]
    var sectionContributions: [SectionContribution]
    /// Optional debug header stream indices (index 5: section headers), 0xffff when absent.
    var debugStreams: [UInt16]

    static let sectionHeaderSlot = 5
    static let originalSectionHeaderSlot = 10
    static let omapFromSourceSlot = 4

    static func read(_ stream: MSFStream) throws(PDBError) -> DBIStream {
        try stream.read(offset: 0, count: stream.size, label: { "DBI stream" }) {
            (reader) throws(PDBError) -> DBIStream in
            let signature = try reader.i32()
            guard signature == -1 else {
                throw PDBError(
                    "DBI stream: version signature \(signature) (only the V70 layout is read)")
            }
            _ = try reader.u32()  // version header
            let age = try reader.u32()
            let globals = Int(try reader.u16())
            _ = try reader.u16()  // build number
            let publics = Int(try reader.u16())
            _ = try reader.u16()  // PDB DLL version
            let records = Int(try reader.u16())
            _ = try reader.u16()
            var sizes: [Int] = []
            for _ in 0..<4 { sizes.append(Int(try reader.i32())) }  // modules, contribs, map, files
            let typeServerMapSize = Int(try reader.i32())
            _ = try reader.u32()  // MFC type server index
            let optionalHeaderSize = Int(try reader.i32())
            let ecSize = Int(try reader.i32())
            _ = try reader.u16()  // flags
            let machine = try reader.u16()
            _ = try reader.u32()

            let all = sizes + [typeServerMapSize, ecSize, optionalHeaderSize]
            var total = 0
            for size in all {
                guard size >= 0 else { throw PDBError("DBI stream: a substream size is negative") }
                total = try PDBChecked.add(total, size, "DBI substream sizes")
            }
            guard total <= reader.remaining else {
                throw PDBError(
                    "DBI stream: substreams of \(total) bytes do not fit in the "
                        + "\(reader.remaining) bytes after the header")
            }
            let moduleStart = reader.position
            let modules = try PDBModuleInfo.readAll(
                reader.bytes, start: moduleStart, size: sizes[0])
            let contributionStart = moduleStart + sizes[0]
            let contributions = try SectionContribution.readAll(
                reader.bytes, start: contributionStart, size: sizes[1])
            let optionalStart =
                contributionStart + sizes[1] + sizes[2] + sizes[3] + typeServerMapSize + ecSize
            var debugStreams: [UInt16] = []
            var optional = RecordReader(
                UnsafeRawBufferPointer(
                    rebasing: reader.bytes[optionalStart..<optionalStart + optionalHeaderSize])
            ) { "DBI optional debug header" }
            while optional.remaining >= 2 { debugStreams.append(try optional.u16()) }
            return DBIStream(
                age: age, globalStreamIndex: globals, publicStreamIndex: publics,
                symbolRecordStreamIndex: records, machine: machine, modules: modules,
                sectionContributions: contributions, debugStreams: debugStreams)
        }
    }

    /// The stream index of optional debug stream `slot`, when present.
    func debugStream(_ slot: Int) -> Int? {
        guard debugStreams.indices.contains(slot), debugStreams[slot] != 0xffff else { return nil }
        return Int(debugStreams[slot])
    }
}

/// One module (object file or import library member) from the DBI stream.
public struct PDBModuleInfo: Sendable, Hashable {
    /// Position in the module list (what `S_PROCREF` calls module `index + 1`).
    public var index: Int
    public var moduleName: String
    public var objectFileName: String
    /// The module's symbol stream, when it has one.
    public var symbolStream: Int?
    public var symbolBytes: Int
    public var c11Bytes: Int
    public var c13Bytes: Int
    public var sourceFileCount: Int

    static func readAll(_ bytes: UnsafeRawBufferPointer, start: Int, size: Int) throws(PDBError)
        -> [PDBModuleInfo]
    {
        var reader = RecordReader(UnsafeRawBufferPointer(rebasing: bytes[start..<start + size])) {
            "DBI module list"
        }
        var modules: [PDBModuleInfo] = []
        while reader.remaining >= 64 {
            let recordStart = reader.position
            try reader.skip(4 + 28)  // unused, section contribution
            _ = try reader.u16()  // flags
            let stream = try reader.u16()
            let symbolBytes = Int(try reader.u32())
            let c11 = Int(try reader.u32())
            let c13 = Int(try reader.u32())
            let files = Int(try reader.u16())
            try reader.skip(2 + 4 + 4 + 4)
            let name = reader.cString()
            let object = reader.cString()
            let aligned = (reader.position - recordStart + 3) & ~3
            reader.position = min(reader.bytes.count, recordStart + aligned)
            modules.append(
                PDBModuleInfo(
                    index: modules.count, moduleName: name, objectFileName: object,
                    symbolStream: stream == 0xffff ? nil : Int(stream), symbolBytes: symbolBytes,
                    c11Bytes: c11, c13Bytes: c13, sourceFileCount: files))
        }
        return modules
    }
}

/// Which module contributed a range of a section (the DBI section contribution substream).
public struct SectionContribution: Sendable, Hashable {
    /// 1-based section number.
    public var section: UInt16
    public var offset: UInt32
    public var size: UInt32
    public var characteristics: UInt32
    public var moduleIndex: Int

    static func readAll(_ bytes: UnsafeRawBufferPointer, start: Int, size: Int) throws(PDBError)
        -> [SectionContribution]
    {
        guard size >= 4 else { return [] }
        var reader = RecordReader(UnsafeRawBufferPointer(rebasing: bytes[start..<start + size])) {
            "DBI section contributions"
        }
        let version = try reader.u32()
        let entrySize: Int
        switch version {
        case 0xF12E_BA2D: entrySize = 28  // Ver60
        case 0xF131_51E4: entrySize = 32  // V2 adds the COFF section index
        default:
            throw PDBError("DBI section contributions: unknown version \(pdbHex(version))")
        }
        var result: [SectionContribution] = []
        result.reserveCapacity(reader.remaining / entrySize)
        while reader.remaining >= entrySize {
            let section = try reader.u16()
            try reader.skip(2)
            let offset = try reader.u32()
            let length = try reader.u32()
            let characteristics = try reader.u32()
            let module = Int(try reader.u16())
            try reader.skip(entrySize - 18)
            result.append(
                SectionContribution(
                    section: section, offset: offset, size: length,
                    characteristics: characteristics, moduleIndex: module))
        }
        return result
    }
}
