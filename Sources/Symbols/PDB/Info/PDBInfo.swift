/// The PDB information stream (stream 1): the identity that ties the PDB to an image
/// (GUID and age, as in the image's CodeView `RSDS` record), the table of named streams
/// (`/names`, `/LinkInfo`, ...) and feature flags.
public struct PDBInfo: Sendable, Hashable {
    public var version: UInt32
    /// The link time stamp (`Signature`).
    public var signature: UInt32
    public var age: UInt32
    /// The 16 GUID bytes as stored (Data1..3 little-endian), as in the CodeView record.
    public var guid: [UInt8]
    /// Named streams: name → stream index.
    public var namedStreams: [String: Int]
    /// True when the file has an IPI stream (feature code VC140).
    public var hasIDStream: Bool
    /// True for `/DEBUG:FASTLINK` PDBs, whose types and symbols live in the object files.
    public var isMinimal: Bool

    static func read(_ stream: MSFStream) throws(PDBError) -> PDBInfo {
        try stream.read(offset: 0, count: stream.size, label: { "PDB info stream" }) {
            (reader) throws(PDBError) -> PDBInfo in
            let version = try reader.u32()
            let signature = try reader.u32()
            let age = try reader.u32()
            let guid = try reader.bytes(16)
            let named = try readNamedStreamMap(&reader)
            var hasIDStream = false
            var isMinimal = false
            while reader.remaining >= 4 {
                switch try reader.u32() {
                case 20_140_508: hasIDStream = true
                case 0x494E_494D: isMinimal = true  // 'MINI'
                default: break
                }
            }
            return PDBInfo(
                version: version, signature: signature, age: age, guid: guid,
                namedStreams: named, hasIDStream: hasIDStream, isMinimal: isMinimal)
        }
    }

    /// The serialized hash table of named streams: a string buffer, then a hash table of
    /// (string offset, stream index) pairs with present/deleted bit vectors.
    private static func readNamedStreamMap(_ reader: inout RecordReader) throws(PDBError)
        -> [String: Int]
    {
        let stringBytes = Int(try reader.u32())
        let strings = try reader.bytes(stringBytes)
        let size = Int(try reader.u32())
        let capacity = Int(try reader.u32())
        guard size <= capacity, capacity <= 0x10000 else {
            throw PDBError("PDB info stream: named stream table has \(size) of \(capacity) slots")
        }
        let presentWords = Int(try reader.u32())
        guard presentWords <= reader.remaining / 4 else {
            throw PDBError("PDB info stream: named stream bit vector runs past the end")
        }
        var present: [UInt32] = []
        for _ in 0..<presentWords { present.append(try reader.u32()) }
        let deletedWords = Int(try reader.u32())
        guard deletedWords <= reader.remaining / 4 else {
            throw PDBError("PDB info stream: named stream bit vector runs past the end")
        }
        try reader.skip(deletedWords * 4)
        var result: [String: Int] = [:]
        for slot in 0..<capacity {
            let word = slot / 32
            guard word < present.count, present[word] & (1 << UInt32(slot % 32)) != 0 else {
                continue
            }
            let offset = Int(try reader.u32())
            let streamIndex = Int(try reader.u32())
            guard offset < strings.count else { continue }
            let end = strings[offset...].firstIndex(of: 0) ?? strings.count
            result[String(decoding: strings[offset..<end], as: UTF8.self)] = streamIndex
        }
        return result
    }
}
