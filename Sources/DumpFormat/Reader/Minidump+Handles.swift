/// A handle from the HandleData stream with its type and object names resolved.
public struct HandleDescriptor: Sendable, Equatable {
    public let raw: MINIDUMP_HANDLE_DESCRIPTOR
    /// "Event", "File", "Key", … or nil when not recorded.
    public let typeName: String?
    /// The object's name, or nil when it has none.
    public let objectName: String?
    /// The `MINIDUMP_HANDLE_OBJECT_INFORMATION` records (type and raw bytes), version 2 only.
    public let objectInfo: [(infoType: UInt32, data: [UInt8])]

    public static func == (a: Self, b: Self) -> Bool {
        a.raw == b.raw && a.typeName == b.typeName && a.objectName == b.objectName
            && a.objectInfo.elementsEqual(b.objectInfo, by: { $0 == $1 })
    }
}

/// The FunctionTable stream: dynamic function tables (JIT code, `RtlAddFunctionTable`).
public struct FunctionTableStream: Sendable, Equatable {
    public let header: MINIDUMP_FUNCTION_TABLE_STREAM
    public let descriptors: [MINIDUMP_FUNCTION_TABLE_DESCRIPTOR]
}

extension Minidump {
    /// The HandleData stream (descriptor version 1 or 2).
    public func handleData() throws(MinidumpError) -> [HandleDescriptor] {
        let raw = try readExtendedList(
            .handleData, minimumEntrySize: MINIDUMP_HANDLE_DESCRIPTOR.size
        ) {
            (c: inout Cursor, size: Int) throws(MinidumpError) in
            try MINIDUMP_HANDLE_DESCRIPTOR(
                from: &c, version2: size >= MINIDUMP_HANDLE_DESCRIPTOR.size2)
        }
        var budget = DecodeBudget(stream: "HandleData")
        return raw.map { descriptor in
            func name(_ rva: RVA, _ what: String) -> String? {
                guard rva != 0 else { return nil }
                do {
                    return try string(
                        at: rva, what: "\(what) of handle \(hex(descriptor.handle))",
                        budget: &budget)
                } catch {
                    warn("HandleData: \(error.message)")
                    return nil
                }
            }
            return HandleDescriptor(
                raw: descriptor, typeName: name(descriptor.typeNameRva, "type name"),
                objectName: name(descriptor.objectNameRva, "object name"),
                objectInfo: objectInformation(descriptor.objectInfoRva ?? 0, budget: &budget))
        }
    }

    /// Follows a `MINIDUMP_HANDLE_OBJECT_INFORMATION` chain (`NextInfoRva`, `InfoType`,
    /// `SizeOfInfo`, then the data), stopping at a loop or after 64 records.
    private func objectInformation(_ first: RVA, budget: inout DecodeBudget) -> [(
        infoType: UInt32, data: [UInt8]
    )] {
        var result: [(infoType: UInt32, data: [UInt8])] = []
        var rva = first
        var seen: Set<RVA> = []
        while rva != 0, result.count < 64, seen.insert(rva).inserted {
            do {
                var c = try Cursor(
                    bytes, offset: Int(rva), length: 12, label: "handle object information")
                let next = try c.u32()
                let type = try c.u32()
                let size = try c.u32()
                try budget.spend(Int(size) + 12, at: Int(rva))
                guard let data = bytes.copy(offset: Int(rva) + 12, length: Int(size)) else {
                    warn(
                        "HandleData: object information at \(hex(rva)): \(size) bytes do not fit in the file"
                    )
                    break
                }
                result.append((type, data))
                rva = next
            } catch {
                warn("HandleData: \(error.message)")
                break
            }
        }
        return result
    }

    /// The Token stream: each token's header and raw bytes.
    public func tokens() throws(MinidumpError) -> [MINIDUMP_TOKEN_INFO] {
        var c = try stream(.token)
        let listSize = Int(try c.u32())
        let entries = Int(try c.u32())
        let listHeaderSize = Int(try c.u32())
        let elementHeaderSize = Int(try c.u32())
        guard listHeaderSize >= 16, listHeaderSize <= c.length, elementHeaderSize >= 16 else {
            throw .malformed(
                "\(c.label): header sizes \(listHeaderSize)/\(elementHeaderSize) are not usable",
                at: c.start)
        }
        _ = listSize
        try c.seek(relative: listHeaderSize)
        var tokens: [MINIDUMP_TOKEN_INFO] = []
        for index in 0..<entries {
            guard c.remaining >= elementHeaderSize else {
                throw .malformed(
                    "\(c.label): token \(index) of \(entries) starts at \(hex(c.position)), "
                        + "past the stream's \(c.length) bytes", at: c.position)
            }
            let entryStart = c.position
            var token = MINIDUMP_TOKEN_INFO()
            token.tokenSize = try c.u32()
            token.tokenId = try c.u32()
            token.tokenHandle = try c.u64()
            let size = Int(token.tokenSize)
            guard size >= elementHeaderSize, size <= c.remaining + (c.position - entryStart) else {
                throw .malformed(
                    "\(c.label): token \(index) claims \(size) bytes, \(c.end - entryStart) left",
                    at: entryStart)
            }
            try c.seek(relative: entryStart - c.start + elementHeaderSize)
            token.data = try c.bytes(size - elementHeaderSize)
            tokens.append(token)
        }
        return tokens
    }

    /// The FunctionTable stream: each table's descriptor, native descriptor and raw entries.
    public func functionTables() throws(MinidumpError) -> FunctionTableStream {
        var c = try stream(.functionTable)
        let header = try MINIDUMP_FUNCTION_TABLE_STREAM(from: &c)
        let headerSize = Int(header.sizeOfHeader)
        let descriptorSize = Int(header.sizeOfDescriptor)
        let nativeSize = Int(header.sizeOfNativeDescriptor)
        let entrySize = Int(header.sizeOfFunctionEntry)
        guard headerSize >= 24, descriptorSize >= 32, entrySize > 0 else {
            throw .malformed(
                "\(c.label): sizes (header \(headerSize), descriptor \(descriptorSize), entry "
                    + "\(entrySize)) are not usable", at: c.start)
        }
        try c.seek(relative: try Checked.add(headerSize, Int(header.sizeOfAlignPad), c.label))
        var tables: [MINIDUMP_FUNCTION_TABLE_DESCRIPTOR] = []
        for index in 0..<Int(header.numberOfDescriptors) {
            guard c.remaining >= descriptorSize else {
                throw .malformed(
                    "\(c.label): table \(index) of \(header.numberOfDescriptors) starts at "
                        + "\(hex(c.position)) with \(c.remaining) bytes left", at: c.position)
            }
            var d = try c.sub(descriptorSize, label: "\(c.label), table \(index)")
            var table = MINIDUMP_FUNCTION_TABLE_DESCRIPTOR()
            table.minimumAddress = try d.u64()
            table.maximumAddress = try d.u64()
            table.baseAddress = try d.u64()
            table.entryCount = try d.u32()
            table.sizeOfAlignPad = try d.u32()
            table.entrySize = entrySize
            table.nativeDescriptor = try c.bytes(nativeSize)
            let entriesSize = try Checked.multiply(Int(table.entryCount), entrySize, c.label)
            try c.require(
                entriesSize, for: "\(table.entryCount) function entries of table \(index)")
            table.rawEntries = try c.bytes(entriesSize)
            try c.skip(min(Int(table.sizeOfAlignPad), c.remaining))
            tables.append(table)
        }
        return FunctionTableStream(header: header, descriptors: tables)
    }

    /// The `UNWIND_INFO` bytes (header, unwind codes, and the chained function or handler RVA
    /// that follows them) for an amd64 function entry, read from the dump's memory.
    /// Nil when the memory is not in the dump.
    public func unwindInfo(for function: RUNTIME_FUNCTION, imageBase: UInt64) -> [UInt8]? {
        let view = memory()
        let (address, overflow) = imageBase.addingReportingOverflow(
            UInt64(function.unwindData & ~1))
        guard !overflow, let head = view.read(at: address, count: 4) else { return nil }
        let codes = Int(head[2])
        let flags = head[0] >> 3
        var length = 4 + ((codes + 1) & ~1) * 2
        // UNW_FLAG_EHANDLER/UHANDLER: a handler RVA; UNW_FLAG_CHAININFO: a RUNTIME_FUNCTION.
        if flags & 0x4 != 0 {
            length += 12
        } else if flags & 0x3 != 0 {
            length += 4
        }
        return view.read(at: address, count: length) ?? view.read(at: address, count: 4 + codes * 2)
    }
}
