/// A PE/COFF image (EXE, DLL, SYS) read lazily from a `ByteSource`.
///
/// `init` reads only the headers and the section table; every table (exports, imports,
/// `.pdata`, debug directory, resources) is read when asked for, and a table whose bytes are
/// unavailable throws without affecting the others. This matters for images read out of a crash
/// dump, where pages are often missing: the headers may be there while the export names are not.
///
/// Two layouts are supported:
/// * `.file`: the bytes of the file on disk; RVAs are translated through the section table.
/// * `.mapped`: the image as the loader laid it out in memory; an offset is an RVA. Use
///   `OffsetByteSource(base:underlying:)` to view a process's memory at the image base.
public struct PEImage: Sendable {
    public enum Layout: Sendable, Equatable {
        case file
        case mapped
    }

    public let source: any ByteSource
    public let layout: Layout
    /// File offset (= RVA) of the `PE\0\0` signature (`e_lfanew`).
    public let ntHeaderOffset: UInt32
    public let fileHeader: COFFFileHeader
    public let optionalHeader: OptionalHeader
    /// Sections in header order.
    public let sections: [SectionHeader]
    /// Indices into `sections`, ordered by VirtualAddress, for RVA lookups.
    private let sectionOrder: [Int]

    /// The largest single read the parser issues; tables needing more are refused as implausible.
    static let maximumReadSize = 64 << 20

    /// Reads the headers and section table.
    public init(source: any ByteSource, layout: Layout) throws(PEError) {
        self.source = source
        self.layout = layout
        guard let dos = source.read(at: 0, count: 64), dos.count == 64 else {
            throw .truncated(what: "DOS header", offset: 0)
        }
        guard dos[0] == 0x4D, dos[1] == 0x5A, let lfanew = ByteReader.uint32(dos, 0x3C) else {
            throw .notAPEImage
        }
        // Real images put the NT headers within the first page or so; anything past 256 MiB is
        // garbage and would make us chase reads across a whole dump.
        guard lfanew >= 4, lfanew < 0x1000_0000 else {
            throw .implausible(what: "e_lfanew", value: UInt64(lfanew))
        }
        ntHeaderOffset = lfanew
        guard let nt = source.read(at: UInt64(lfanew), count: 4 + COFFFileHeader.size),
            nt.count == 4 + COFFFileHeader.size
        else {
            throw .truncated(what: "NT headers", offset: UInt64(lfanew))
        }
        guard nt[0] == 0x50, nt[1] == 0x45, nt[2] == 0, nt[3] == 0 else {
            throw .badNTSignature(offset: UInt64(lfanew))
        }
        guard let header = COFFFileHeader(nt, at: 4) else {
            throw .truncated(what: "COFF file header", offset: UInt64(lfanew) + 4)
        }
        fileHeader = header
        let optionalOffset = UInt64(lfanew) + 4 + UInt64(COFFFileHeader.size)
        guard
            let optionalBytes = source.read(
                at: optionalOffset, count: Int(header.sizeOfOptionalHeader))
        else {
            throw .truncated(what: "optional header", offset: optionalOffset)
        }
        optionalHeader = try OptionalHeader(optionalBytes)
        let sectionOffset = optionalOffset + UInt64(header.sizeOfOptionalHeader)
        let sectionCount = Int(header.numberOfSections)
        guard
            let table = source.read(at: sectionOffset, count: sectionCount * SectionHeader.size)
        else {
            throw .truncated(what: "section table", offset: sectionOffset)
        }
        var parsed: [SectionHeader] = []
        parsed.reserveCapacity(sectionCount)
        for index in 0..<sectionCount {
            if let section = SectionHeader(table, at: index * SectionHeader.size) {
                parsed.append(section)
            }
        }
        sections = parsed
        sectionOrder = parsed.indices.sorted {
            parsed[$0].virtualAddress < parsed[$1].virtualAddress
        }
    }

    /// Opens and maps a PE file on disk (file layout).
    public init(contentsOfFile path: String) throws(PEError) {
        try self.init(source: try DataByteSource(mappingFile: path), layout: .file)
    }

    // MARK: Header facts

    public var machine: PEMachine { fileHeader.machine }
    /// PE32+ (64-bit pointers in headers and tables).
    public var is64Bit: Bool { optionalHeader.isPE32Plus }
    /// Size of a pointer in import thunks and similar tables.
    public var pointerSize: Int { is64Bit ? 8 : 4 }
    public var imageBase: UInt64 { optionalHeader.imageBase }
    public var sizeOfImage: UInt32 { optionalHeader.sizeOfImage }
    public var entryPointRVA: UInt32 { optionalHeader.addressOfEntryPoint }
    public var timeDateStamp: UInt32 { fileHeader.timeDateStamp }
    public var checkSum: UInt32 { optionalHeader.checkSum }
    public var subsystem: UInt16 { optionalHeader.subsystem }
    public var characteristics: UInt16 { fileHeader.characteristics }
    public var dllCharacteristics: UInt16 { optionalHeader.dllCharacteristics }

    /// The data directory entry, or nil when the header has fewer entries or it is empty.
    public func dataDirectory(_ kind: DataDirectoryKind) -> DataDirectory? {
        guard kind.rawValue < optionalHeader.dataDirectories.count else { return nil }
        let entry = optionalHeader.dataDirectories[kind.rawValue]
        return entry.isPresent ? entry : nil
    }

    /// The section whose memory range holds `rva`.
    public func section(containing rva: UInt32) -> SectionHeader? {
        // Binary search for the last section starting at or below `rva`, then check its extent.
        var low = 0
        var high = sectionOrder.count
        while low < high {
            let middle = (low + high) / 2
            if sections[sectionOrder[middle]].virtualAddress <= rva {
                low = middle + 1
            } else {
                high = middle
            }
        }
        var candidate = low - 1
        // Overlapping (hostile) sections: look back a little before giving up.
        while candidate >= 0, low - candidate <= 4 {
            let section = sections[sectionOrder[candidate]]
            if section.contains(rva: rva) { return section }
            candidate -= 1
        }
        return nil
    }

    /// True when `rva` lies in a section marked executable (or as code).
    public func isExecutable(rva: UInt32) -> Bool {
        section(containing: rva)?.isExecutable ?? false
    }

    // MARK: Reading by RVA

    /// `count` bytes at `rva` as the loader would lay them out (zero fill past a section's raw
    /// data), or nil when any is unavailable.
    public func read(rva: UInt32, count: Int) -> [UInt8]? {
        guard count >= 0, count <= Self.maximumReadSize,
            UInt64(rva) + UInt64(count) <= 0x1_0000_0000
        else { return nil }
        switch layout {
        case .mapped:
            return source.read(at: UInt64(rva), count: count)
        case .file:
            return readFileLayout(rva: rva, count: count)
        }
    }

    private func readFileLayout(rva: UInt32, count: Int) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var current = UInt64(rva)
        var remaining = UInt64(count)
        while remaining > 0 {
            let rva32 = UInt32(truncatingIfNeeded: current)
            if let section = mappedSection(containing: rva32) {
                let inSection = current - UInt64(section.virtualAddress)
                let extentLeft = alignedExtent(section) - inSection
                let chunk = min(remaining, extentLeft)
                if inSection < UInt64(section.sizeOfRawData) {
                    let rawChunk = min(chunk, UInt64(section.sizeOfRawData) - inSection)
                    guard
                        let bytes = source.read(
                            at: UInt64(section.pointerToRawData) + inSection, count: Int(rawChunk))
                    else { return nil }
                    result += bytes
                    result += repeatElement(0, count: Int(chunk - rawChunk))
                } else {
                    result += repeatElement(0, count: Int(chunk))
                }
                current += chunk
                remaining -= chunk
            } else if current < UInt64(optionalHeader.sizeOfHeaders) {
                let chunk = min(remaining, UInt64(optionalHeader.sizeOfHeaders) - current)
                guard let bytes = source.read(at: current, count: Int(chunk)) else { return nil }
                result += bytes
                current += chunk
                remaining -= chunk
            } else if current < headerPageEnd {
                // The rest of the header page reads as zeros in memory.
                let chunk = min(remaining, headerPageEnd - current)
                result += repeatElement(0, count: Int(chunk))
                current += chunk
                remaining -= chunk
            } else {
                return nil
            }
        }
        return result
    }

    /// The loader maps whole pages: past VirtualSize, up to the section alignment, memory reads
    /// as zeros.
    private func alignedExtent(_ section: SectionHeader) -> UInt64 {
        var alignment = UInt64(optionalHeader.sectionAlignment)
        if alignment == 0 || alignment > 0x10_0000 || alignment & (alignment - 1) != 0 {
            alignment = 0x1000
        }
        let extent = UInt64(section.virtualExtent)
        return (extent + alignment - 1) / alignment * alignment
    }

    /// SizeOfHeaders rounded up to the section alignment.
    private var headerPageEnd: UInt64 {
        var alignment = UInt64(optionalHeader.sectionAlignment)
        if alignment == 0 || alignment > 0x10_0000 || alignment & (alignment - 1) != 0 {
            alignment = 0x1000
        }
        return (UInt64(optionalHeader.sizeOfHeaders) + alignment - 1) / alignment * alignment
    }

    private func mappedSection(containing rva: UInt32) -> SectionHeader? {
        if let section = section(containing: rva) { return section }
        // Between a section's VirtualSize and its aligned end.
        return sections.first {
            rva >= $0.virtualAddress && UInt64(rva) < UInt64($0.virtualAddress) + alignedExtent($0)
        }
    }

    /// A little-endian 32-bit value at `rva`.
    public func readUInt32(rva: UInt32) -> UInt32? {
        read(rva: rva, count: 4).flatMap { ByteReader.uint32($0, 0) }
    }

    /// A NUL-terminated string at `rva`, read page by page so that a string ending just before a
    /// missing page still reads. Nil when the first byte is unavailable or no NUL appears within
    /// `maximumLength` bytes.
    public func readCString(rva: UInt32, maximumLength: Int = 4096) -> String? {
        var collected: [UInt8] = []
        var current = UInt64(rva)
        // Most names are short: start with a small read and grow, never crossing a page.
        var step = 64
        while collected.count < maximumLength {
            let toPageEnd = 0x1000 - Int(current & 0xFFF)
            var chunk = min(toPageEnd, maximumLength - collected.count, step)
            step = min(step * 4, 0x1000)
            guard current + UInt64(chunk) <= 0x1_0000_0000 else { return nil }
            // Shrink the read until it fits what is available (the end of a file, say).
            var read: [UInt8]? = nil
            while chunk > 0 {
                read = self.read(rva: UInt32(current), count: chunk)
                if read != nil { break }
                chunk /= 2
            }
            guard let bytes = read else { return nil }
            if let end = bytes.firstIndex(of: 0) {
                collected += bytes[..<end]
                return String(decoding: collected, as: UTF8.self)
            }
            collected += bytes
            current += UInt64(chunk)
        }
        return nil
    }

    /// A `ByteSource` whose offsets are RVAs of this image, in either layout. Hand it to the
    /// unwinder (UNWIND_INFO, code bytes) or anything else that addresses the image by RVA.
    public var rvaSource: any ByteSource { RVAByteSource(image: self) }

    /// Bytes of one data directory, refusing sizes the image could not hold.
    func directoryBytes(_ kind: DataDirectoryKind, what: String) throws(PEError) -> (
        DataDirectory, [UInt8]
    ) {
        guard let directory = dataDirectory(kind) else { throw .missing(what: what) }
        try checkFits(what: what, rva: directory.virtualAddress, size: UInt64(directory.size))
        guard let bytes = read(rva: directory.virtualAddress, count: Int(directory.size)) else {
            throw .truncated(what: what, offset: UInt64(directory.virtualAddress))
        }
        return (directory, bytes)
    }

    /// Throws unless `size` bytes at `rva` fit inside SizeOfImage and the read-size cap.
    func checkFits(what: String, rva: UInt32, size: UInt64) throws(PEError) {
        let end = UInt64(rva) + size
        guard size <= UInt64(Self.maximumReadSize), end <= max(UInt64(sizeOfImage), 0x1000) else {
            throw .implausible(what: "\(what) size", value: size)
        }
    }
}

/// RVA-addressed view of a `PEImage`.
struct RVAByteSource: ByteSource {
    let image: PEImage

    func read(at offset: UInt64, count: Int) -> [UInt8]? {
        guard offset <= UInt64(UInt32.max) else { return nil }
        return image.read(rva: UInt32(offset), count: count)
    }
}
