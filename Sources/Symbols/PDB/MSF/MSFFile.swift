/// The Multi-Stream File container of a PDB (MSF 7.0, "big MSF"): a superblock, a stream
/// directory and numbered streams made of fixed-size blocks.
///
/// Opening reads the superblock and the directory only; streams are read when asked for.
struct MSFFile: Sendable {
    static let magic: [UInt8] =
        Array("Microsoft C/C++ MSF 7.00\r\n".utf8) + [0x1a, 0x44, 0x53, 0, 0, 0]
    static let oldMagic: [UInt8] = Array("Microsoft C/C++ program database 2.00\r\n".utf8)
    /// A directory larger than this (in stream count) is refused as implausible.
    static let maximumStreams = 0x10_0000

    let file: PDBFileBytes
    let blockSize: Int
    let blockCount: Int
    /// Stream sizes and block lists; nil for a stream the directory marks as absent.
    private let streams: [MSFStream?]

    var streamCount: Int { streams.count }

    init(file: PDBFileBytes) throws(PDBError) {
        self.file = file
        guard let head = file.view(offset: 0, length: min(file.count, 56)), head.count >= 56 else {
            throw PDBError("the file is too small to be a PDB (\(file.count) bytes)")
        }
        if Array(head.prefix(Self.oldMagic.count)) == Self.oldMagic {
            throw PDBError(
                "this is a PDB 2.0 file (MSF 2.00, before Visual C++ 7.0); only MSF 7.00 PDBs "
                    + "are supported")
        }
        guard Array(head.prefix(32)) == Self.magic else {
            throw PDBError("not a PDB file (no 'Microsoft C/C++ MSF 7.00' signature)")
        }
        var reader = RecordReader(head, at: 32) { "MSF superblock" }
        let blockSize = Int(try reader.u32())
        _ = try reader.u32()  // free block map block
        let blockCount = Int(try reader.u32())
        let directoryBytes = Int(try reader.u32())
        _ = try reader.u32()
        let blockMapBlock = Int(try reader.u32())
        guard [512, 1024, 2048, 4096, 8192, 16384, 32768].contains(blockSize) else {
            throw PDBError("MSF superblock: block size \(blockSize) is not a valid MSF block size")
        }
        guard blockCount > 0, blockCount <= file.count / blockSize + 1 else {
            throw PDBError(
                "MSF superblock: \(blockCount) blocks of \(blockSize) bytes do not fit in a "
                    + "\(file.count)-byte file")
        }
        self.blockSize = blockSize
        self.blockCount = blockCount

        // The block map lists the blocks of the directory; the directory lists the streams.
        let directoryBlockCount = (directoryBytes + blockSize - 1) / blockSize
        guard directoryBytes >= 4, directoryBlockCount * 4 <= file.count else {
            throw PDBError("MSF superblock: stream directory size \(directoryBytes) is not usable")
        }
        guard blockMapBlock < blockCount,
            let mapView = file.view(
                offset: blockMapBlock * blockSize, length: directoryBlockCount * 4)
        else {
            throw PDBError(
                "MSF superblock: the directory block map at block \(blockMapBlock) is outside "
                    + "the file")
        }
        var mapReader = RecordReader(mapView) { "MSF directory block map" }
        var directoryBlocks: [UInt32] = []
        for _ in 0..<directoryBlockCount {
            let block = try mapReader.u32()
            guard block < blockCount else {
                throw PDBError(
                    "MSF directory: block \(block) is past the last block \(blockCount - 1)")
            }
            directoryBlocks.append(block)
        }
        let directory = MSFStream(
            file: file, index: -1, size: directoryBytes, blockSize: blockSize,
            blocks: directoryBlocks)
        self.streams = try directory.withBytes(offset: 0, count: directoryBytes) {
            (raw) throws(PDBError) -> [MSFStream?] in
            var reader = RecordReader(raw) { "MSF stream directory" }
            let count = Int(try reader.u32())
            guard count <= Self.maximumStreams, count * 4 <= reader.remaining else {
                throw PDBError(
                    "MSF stream directory: \(count) streams do not fit in \(directoryBytes) bytes")
            }
            var sizes: [UInt32] = []
            sizes.reserveCapacity(count)
            for _ in 0..<count { sizes.append(try reader.u32()) }
            var streams: [MSFStream?] = []
            streams.reserveCapacity(count)
            for (index, size) in sizes.enumerated() {
                guard size != 0xffff_ffff else {
                    streams.append(nil)
                    continue
                }
                let blocksNeeded = (Int(size) + blockSize - 1) / blockSize
                guard blocksNeeded <= reader.remaining / 4 else {
                    throw PDBError(
                        "MSF stream directory: stream \(index) (\(size) bytes) needs "
                            + "\(blocksNeeded) blocks; the directory ends first")
                }
                var blocks: [UInt32] = []
                blocks.reserveCapacity(blocksNeeded)
                for _ in 0..<blocksNeeded {
                    let block = try reader.u32()
                    guard block < blockCount else {
                        throw PDBError(
                            "MSF stream directory: stream \(index) uses block \(block), past "
                                + "the last block \(blockCount - 1)")
                    }
                    blocks.append(block)
                }
                streams.append(
                    MSFStream(
                        file: file, index: index, size: Int(size), blockSize: blockSize,
                        blocks: blocks))
            }
            return streams
        }
    }

    /// Stream `index`, or nil when it is absent or out of range.
    func stream(_ index: Int) -> MSFStream? {
        streams.indices.contains(index) ? streams[index] : nil
    }

    /// Stream `index`, or an error naming what it should have held.
    func requireStream(_ index: Int, _ what: String) throws(PDBError) -> MSFStream {
        guard let stream = stream(index) else {
            throw PDBError("the PDB has no \(what) stream (stream \(index))")
        }
        return stream
    }
}
