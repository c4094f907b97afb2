/// The PDB string table (the `/names` stream): file names of line tables and other strings,
/// referenced by byte offset.
struct PDBStringTable: Sendable {
    private let stream: MSFStream?
    private let bufferOffset: Int
    private let bufferSize: Int

    /// An empty table (a PDB without `/names`).
    init() {
        stream = nil
        bufferOffset = 0
        bufferSize = 0
    }

    init(stream: MSFStream) throws(PDBError) {
        let (signature, size) = try stream.read(offset: 0, count: 12, label: { "/names stream" }) {
            (reader) throws(PDBError) -> (UInt32, Int) in
            let signature = try reader.u32()
            _ = try reader.u32()  // hash version
            return (signature, Int(try reader.u32()))
        }
        guard signature == 0xEFFE_EFFE else {
            throw PDBError("/names stream: signature \(pdbHex(signature)) is not 0xeffeeffe")
        }
        guard size <= stream.size - 12 else {
            throw PDBError("/names stream: string buffer of \(size) bytes runs past the end")
        }
        self.stream = stream
        bufferOffset = 12
        bufferSize = size
    }

    /// The string at `offset`, or nil when the offset is outside the buffer.
    func string(at offset: UInt32) -> String? {
        guard let stream, Int(offset) < bufferSize else { return nil }
        let start = bufferOffset + Int(offset)
        let available = min(bufferSize - Int(offset), 4096)
        return try? stream.withBytes(offset: start, count: available) { raw in
            let end = raw.firstIndex(of: 0) ?? raw.count
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
        }
    }
}
