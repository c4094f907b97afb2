/// How an import names what it wants.
public enum ImportReference: Sendable, Equatable {
    case name(String, hint: UInt16)
    case ordinal(UInt16)
    /// The lookup table is absent (bound images) or its entry unreadable; only the IAT value is
    /// known.
    case unknown
}

/// One imported function.
public struct ImportedFunction: Sendable, Equatable {
    public var reference: ImportReference
    /// RVA of this function's slot in the import address table.
    public var iatRVA: UInt32
    /// The slot's current value: the resolved address in a loaded image, the lookup entry in a
    /// file. Nil when the IAT page is unavailable.
    public var iatValue: UInt64?
}

/// One `IMAGE_IMPORT_DESCRIPTOR`: the functions taken from one DLL.
public struct ImportedModule: Sendable, Equatable {
    public var dllName: String
    public var timeDateStamp: UInt32
    public var forwarderChain: UInt32
    /// RVA of the import lookup table (OriginalFirstThunk), 0 when absent.
    public var lookupTableRVA: UInt32
    /// RVA of the import address table (FirstThunk).
    public var addressTableRVA: UInt32
    public var functions: [ImportedFunction]
}

extension PEImage {
    /// Upper bounds that keep a hostile image from making us read forever.
    static let maximumImportDescriptors = 0x1_0000
    static let maximumImportsPerModule = 0x1_0000

    /// The import directory: one entry per DLL, in table order. Throws `.missing` when the image
    /// imports nothing; a DLL whose name or lookup table is unreadable is still listed with what
    /// could be read.
    public func imports() throws(PEError) -> [ImportedModule] {
        guard let directory = dataDirectory(.import) else {
            throw .missing(what: "import directory")
        }
        var modules: [ImportedModule] = []
        var descriptorRVA = UInt64(directory.virtualAddress)
        while modules.count < Self.maximumImportDescriptors, descriptorRVA + 20 <= 0x1_0000_0000 {
            guard let bytes = read(rva: UInt32(descriptorRVA), count: 20) else {
                if modules.isEmpty {
                    throw .truncated(what: "import directory", offset: descriptorRVA)
                }
                break
            }
            let lookup = ByteReader.uint32(bytes, 0) ?? 0
            let stamp = ByteReader.uint32(bytes, 4) ?? 0
            let chain = ByteReader.uint32(bytes, 8) ?? 0
            let nameRVA = ByteReader.uint32(bytes, 12) ?? 0
            let iat = ByteReader.uint32(bytes, 16) ?? 0
            if lookup == 0, nameRVA == 0, iat == 0 { break }
            let name = readCString(rva: nameRVA, maximumLength: 1024) ?? "<unreadable>"
            modules.append(
                ImportedModule(
                    dllName: name, timeDateStamp: stamp, forwarderChain: chain,
                    lookupTableRVA: lookup, addressTableRVA: iat,
                    functions: importedFunctions(lookupRVA: lookup, iatRVA: iat)))
            descriptorRVA += 20
        }
        return modules
    }

    private func importedFunctions(lookupRVA: UInt32, iatRVA: UInt32) -> [ImportedFunction] {
        let size = UInt64(pointerSize)
        let ordinalFlag: UInt64 = is64Bit ? 1 << 63 : 1 << 31
        // In a loaded image the IAT holds resolved addresses, so names come from the lookup
        // table; old linkers leave it out, and then the IAT is all there is.
        let tableRVA = lookupRVA != 0 ? lookupRVA : iatRVA
        var functions: [ImportedFunction] = []
        for index in 0..<UInt64(Self.maximumImportsPerModule) {
            let entryRVA = UInt64(tableRVA) + index * size
            let slotRVA = UInt64(iatRVA) + index * size
            guard entryRVA + size <= 0x1_0000_0000, slotRVA + size <= 0x1_0000_0000,
                let entryBytes = read(rva: UInt32(entryRVA), count: Int(size)),
                let entry = ByteReader.pointer(entryBytes, 0, size: Int(size))
            else { break }
            if entry == 0 { break }
            let slotValue = read(rva: UInt32(slotRVA), count: Int(size)).flatMap {
                ByteReader.pointer($0, 0, size: Int(size))
            }
            let reference: ImportReference
            if lookupRVA == 0, layout == .mapped {
                reference = .unknown
            } else if entry & ordinalFlag != 0 {
                reference = .ordinal(UInt16(truncatingIfNeeded: entry))
            } else if entry <= UInt64(UInt32.max) - 2,
                let hint = read(rva: UInt32(entry), count: 2).flatMap({ ByteReader.uint16($0, 0) }),
                let name = readCString(rva: UInt32(entry) + 2, maximumLength: 1024)
            {
                reference = .name(name, hint: hint)
            } else {
                reference = .unknown
            }
            functions.append(
                ImportedFunction(reference: reference, iatRVA: UInt32(slotRVA), iatValue: slotValue)
            )
        }
        return functions
    }
}
