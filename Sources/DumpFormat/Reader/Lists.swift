// Reading the two shapes of list stream, with every count checked against the stream before
// anything is allocated.

extension Minidump {
    /// A list stream with a 32-bit count and fixed-size entries (ThreadList, ModuleList,
    /// MemoryList, ThreadNames). Some Breakpad writers put 4 bytes of padding after the count;
    /// that is recognised by the stream being exactly 4 bytes longer than the entries need.
    func readList<T>(
        _ type: MINIDUMP_STREAM_TYPE, entrySize: Int,
        _ parse: (inout Cursor) throws(MinidumpError) -> T
    ) throws(MinidumpError) -> [T] {
        var c = try stream(type)
        let count = Int(try c.u32())
        let need = try Checked.add(
            4, try Checked.multiply(count, entrySize, c.label), c.label)
        guard need <= c.length else {
            throw .malformed(
                "\(c.label): \(count) entries of \(entrySize) bytes need \(need) bytes, "
                    + "stream has \(c.length)", at: c.start)
        }
        if c.length - need == 4 { try c.skip(4) }
        var entries: [T] = []
        entries.reserveCapacity(count)
        for _ in 0..<count { entries.append(try parse(&c)) }
        return entries
    }

    /// A list stream with a `SizeOfHeader`, `SizeOfEntry`, `NumberOfEntries` header
    /// (UnloadedModuleList, ThreadInfoList, MemoryInfoList, HandleData). Entries may be longer
    /// than the structure this reader knows (newer versions add fields at the end); the known
    /// prefix is read and the rest skipped.
    func readExtendedList<T>(
        _ type: MINIDUMP_STREAM_TYPE, minimumEntrySize: Int, countIs64Bit: Bool = false,
        _ parse: (inout Cursor, _ entrySize: Int) throws(MinidumpError) -> T
    ) throws(MinidumpError) -> [T] {
        var c = try stream(type)
        let headerSize = Int(try c.u32())
        let entrySize = Int(try c.u32())
        let rawCount: UInt64 = countIs64Bit ? try c.u64() : UInt64(try c.u32())
        guard headerSize >= c.relativePosition, headerSize <= c.length else {
            throw .malformed(
                "\(c.label): header size \(headerSize) is outside 12...\(c.length)", at: c.start)
        }
        guard entrySize >= minimumEntrySize else {
            throw .malformed(
                "\(c.label): entries of \(entrySize) bytes are smaller than the "
                    + "\(minimumEntrySize) this structure needs", at: c.start)
        }
        let available = (c.length - headerSize) / entrySize
        guard rawCount <= UInt64(available) else {
            let need = UInt64(headerSize).addingReportingOverflow(
                rawCount.multipliedReportingOverflow(by: UInt64(entrySize)).partialValue)
            throw .malformed(
                "\(c.label): \(rawCount) entries of \(entrySize) bytes need \(need.partialValue) "
                    + "bytes, stream has \(c.length)", at: c.start)
        }
        let count = Int(rawCount)
        try c.seek(relative: headerSize)
        var entries: [T] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            var entry = try c.sub(entrySize, label: c.label)
            entries.append(try parse(&entry, entrySize))
        }
        return entries
    }
}
