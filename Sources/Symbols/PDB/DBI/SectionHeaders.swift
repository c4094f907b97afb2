/// The image's section headers as the PDB keeps them (an optional DBI debug stream): what turns
/// the `section:offset` addresses of symbols into RVAs.
public struct PDBSectionHeader: Sendable, Hashable {
    public var name: String
    public var virtualSize: UInt32
    public var virtualAddress: UInt32
    public var characteristics: UInt32

    /// Executable code (`IMAGE_SCN_CNT_CODE` or `IMAGE_SCN_MEM_EXECUTE`).
    public var isCode: Bool { characteristics & 0x2000_0020 != 0 }

    static func readAll(_ stream: MSFStream) throws(PDBError) -> [PDBSectionHeader] {
        try stream.read(offset: 0, count: stream.size, label: { "section header stream" }) {
            (reader) throws(PDBError) -> [PDBSectionHeader] in
            var headers: [PDBSectionHeader] = []
            while reader.remaining >= 40 {
                let nameBytes = try reader.bytes(8)
                let end = nameBytes.firstIndex(of: 0) ?? 8
                let virtualSize = try reader.u32()
                let virtualAddress = try reader.u32()
                try reader.skip(4 * 4 + 2 * 2)
                let characteristics = try reader.u32()
                headers.append(
                    PDBSectionHeader(
                        name: String(decoding: nameBytes[0..<end], as: UTF8.self),
                        virtualSize: virtualSize, virtualAddress: virtualAddress,
                        characteristics: characteristics))
            }
            return headers
        }
    }
}

/// Converts `section:offset` to RVAs and back.
public struct SectionMap: Sendable {
    public let sections: [PDBSectionHeader]

    public init(sections: [PDBSectionHeader]) {
        self.sections = sections
    }

    /// The RVA of `offset` in 1-based `section`, or nil for a section the image does not have.
    public func rva(section: UInt16, offset: UInt32) -> UInt64? {
        let index = Int(section) - 1
        guard sections.indices.contains(index) else { return nil }
        return UInt64(sections[index].virtualAddress) + UInt64(offset)
    }

    /// The 1-based section and offset of `rva`.
    public func sectionOffset(of rva: UInt64) -> (section: UInt16, offset: UInt32)? {
        for (index, header) in sections.enumerated() {
            let start = UInt64(header.virtualAddress)
            let size = UInt64(max(header.virtualSize, 1))
            if rva >= start, rva - start < size, index < Int(UInt16.max) {
                return (UInt16(index + 1), UInt32(truncatingIfNeeded: rva - start))
            }
        }
        return nil
    }
}
