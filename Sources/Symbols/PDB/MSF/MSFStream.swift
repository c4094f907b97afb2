/// One stream of an MSF file: its size and the file blocks holding it, in order.
///
/// Reads are bounds-checked against the stream and the file. A read that stays inside a run of
/// consecutive file blocks is handed a view straight into the mapping; one that crosses into a
/// block elsewhere in the file is copied into a temporary buffer first.
struct MSFStream: Sendable {
    let file: PDBFileBytes
    let index: Int
    let size: Int
    let blockSize: Int
    let blocks: [UInt32]

    /// Calls `body` with the `count` bytes at `offset` of the stream.
    func withBytes<R>(
        offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws(PDBError) -> R
    ) throws(PDBError) -> R {
        try checkRange(offset: offset, count: count)
        if count == 0 { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let first = offset / blockSize
        let last = (offset + count - 1) / blockSize
        var contiguous = true
        if last > first {
            for block in first..<last where blocks[block] &+ 1 != blocks[block + 1] {
                contiguous = false
                break
            }
        }
        if contiguous {
            let fileOffset = Int(blocks[first]) * blockSize + offset % blockSize
            guard let view = file.view(offset: fileOffset, length: count) else {
                throw outsideFile(fileOffset, count)
            }
            return try body(view)
        }
        var copy = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let position = offset + done
            let block = position / blockSize
            let within = position % blockSize
            let chunk = min(blockSize - within, count - done)
            let fileOffset = Int(blocks[block]) * blockSize + within
            guard let view = file.view(offset: fileOffset, length: chunk) else {
                throw outsideFile(fileOffset, chunk)
            }
            copy.withUnsafeMutableBytes { target in
                UnsafeMutableRawBufferPointer(rebasing: target[done..<done + chunk])
                    .copyMemory(from: view)
            }
            done += chunk
        }
        return try copy.withRawBytes { (raw) throws(PDBError) -> R in try body(raw) }
    }

    /// Calls `body` with a copy of the `count` bytes at `offset`, read without touching the
    /// mapping (see `PDBFileBytes.copy`): for small records read one at a time from far apart.
    func withBytesCopied<R>(
        offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws(PDBError) -> R
    ) throws(PDBError) -> R {
        try checkRange(offset: offset, count: count)
        var copy = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            // One read per run of consecutive file blocks.
            let position = offset + done
            var block = position / blockSize
            let fileOffset = Int(blocks[block]) * blockSize + position % blockSize
            var chunk = min(blockSize - position % blockSize, count - done)
            while done + chunk < count, blocks[block] &+ 1 == blocks[block + 1] {
                block += 1
                chunk = min(chunk + blockSize, count - done)
            }
            let read = copy.withUnsafeMutableBytes { target in
                file.copy(
                    offset: fileOffset,
                    into: UnsafeMutableRawBufferPointer(rebasing: target[done..<done + chunk]))
            }
            guard read else { throw outsideFile(fileOffset, chunk) }
            done += chunk
        }
        return try copy.withRawBytes { (raw) throws(PDBError) -> R in try body(raw) }
    }

    /// A view of `count` bytes at `offset` straight into the mapping when they lie in one block
    /// (or in consecutive blocks), else nil. The view lives as long as the file.
    @inline(__always)
    func view(offset: Int, count: Int) -> UnsafeRawBufferPointer? {
        guard offset >= 0, count > 0, offset <= size - count else { return nil }
        let within = offset % blockSize
        if within <= blockSize - count {
            return file.view(
                offset: Int(blocks[offset / blockSize]) * blockSize + within, length: count)
        }
        let first = offset / blockSize
        let last = (offset + count - 1) / blockSize
        for block in first..<last where blocks[block] &+ 1 != blocks[block + 1] { return nil }
        return file.view(offset: Int(blocks[first]) * blockSize + within, length: count)
    }

    /// A copy of `count` bytes at `offset`.
    func bytes(offset: Int, count: Int) throws(PDBError) -> [UInt8] {
        try withBytes(offset: offset, count: count) { Array($0) }
    }

    /// The whole stream, copied.
    func allBytes() throws(PDBError) -> [UInt8] {
        try bytes(offset: 0, count: size)
    }

    func u16(at offset: Int) throws(PDBError) -> UInt16 {
        // Fast path: both bytes in one block.
        let within = offset % blockSize
        if offset >= 0, offset <= size - 2, within <= blockSize - 2,
            let view = file.view(
                offset: Int(blocks[offset / blockSize]) * blockSize + within, length: 2)
        {
            return UInt16(view[0]) | UInt16(view[1]) << 8
        }
        return try withBytes(offset: offset, count: 2) {
            UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))
        }
    }

    func u32(at offset: Int) throws(PDBError) -> UInt32 {
        let within = offset % blockSize
        if offset >= 0, offset <= size - 4, within <= blockSize - 4 {
            let fileOffset = Int(blocks[offset / blockSize]) * blockSize + within
            if let value = file.u32(at: fileOffset) { return value }
        }
        return try withBytes(offset: offset, count: 4) {
            UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))
        }
    }

    /// A reader over the bytes `[offset, offset + count)`, for parsing a header or small
    /// substream; `body` runs while the bytes are valid.
    func read<R>(
        offset: Int, count: Int, label: @escaping () -> String,
        _ body: (inout RecordReader) throws(PDBError) -> R
    ) throws(PDBError) -> R {
        try withBytes(offset: offset, count: count) { (raw) throws(PDBError) -> R in
            var reader = RecordReader(raw, label: label)
            return try body(&reader)
        }
    }

    private func checkRange(offset: Int, count: Int) throws(PDBError) {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw PDBError(
                "stream \(index): \(count) bytes at \(pdbHex(offset)) are past its end "
                    + "(\(size) bytes)")
        }
    }

    private func outsideFile(_ offset: Int, _ count: Int) -> PDBError {
        PDBError(
            "stream \(index): block data at file offset \(pdbHex(offset)) (\(count) bytes) is "
                + "outside the file (\(file.count) bytes)")
    }
}
