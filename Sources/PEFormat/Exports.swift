/// One exported function or variable.
public struct Export: Sendable, Equatable {
    /// The export's name, or nil for an export by ordinal only.
    public var name: String?
    /// The ordinal (Base + index in the address table).
    public var ordinal: UInt32
    /// RVA of the code or data; for a forwarder, the RVA of the forwarder string.
    public var rva: UInt32
    /// `OTHERDLL.Function` or `OTHERDLL.#12` when the export forwards to another DLL.
    public var forwarder: String?
}

/// The export directory (`IMAGE_EXPORT_DIRECTORY`) and its entries.
public struct ExportTable: Sendable {
    /// The DLL's own name as recorded by the linker.
    public var dllName: String?
    public var timeDateStamp: UInt32
    public var ordinalBase: UInt32
    /// Every non-empty export, in ordinal order.
    public var exports: [Export]
    private var byName: [String: Int]
    /// Indices of non-forwarder exports, by RVA.
    private var byAddress: [Int]

    /// Ordinal exports are 16-bit; an address table longer than this is garbage.
    static let maximumFunctions: UInt32 = 0x1_0000

    init(image: PEImage) throws(PEError) {
        let (directory, bytes) = try image.directoryBytes(.export, what: "export directory")
        guard bytes.count >= 40,
            let stamp = ByteReader.uint32(bytes, 4), let nameRVA = ByteReader.uint32(bytes, 12),
            let base = ByteReader.uint32(bytes, 16),
            let functionCount = ByteReader.uint32(bytes, 20),
            let nameCount = ByteReader.uint32(bytes, 24),
            let functionsRVA = ByteReader.uint32(bytes, 28),
            let namesRVA = ByteReader.uint32(bytes, 32),
            let ordinalsRVA = ByteReader.uint32(bytes, 36)
        else {
            throw .truncated(what: "export directory", offset: UInt64(directory.virtualAddress))
        }
        guard functionCount <= Self.maximumFunctions else {
            throw .implausible(what: "export function count", value: UInt64(functionCount))
        }
        guard nameCount <= functionCount else {
            throw .implausible(what: "export name count", value: UInt64(nameCount))
        }
        timeDateStamp = stamp
        ordinalBase = base
        dllName = nameRVA != 0 ? image.readCString(rva: nameRVA) : nil

        try image.checkFits(
            what: "export address table", rva: functionsRVA, size: UInt64(functionCount) * 4)
        guard let addressTable = image.read(rva: functionsRVA, count: Int(functionCount) * 4) else {
            throw .truncated(what: "export address table", offset: UInt64(functionsRVA))
        }
        var names: [Int: String] = [:]
        if nameCount > 0 {
            try image.checkFits(
                what: "export name table", rva: namesRVA, size: UInt64(nameCount) * 4)
            try image.checkFits(
                what: "export ordinal table", rva: ordinalsRVA, size: UInt64(nameCount) * 2)
            guard let nameTable = image.read(rva: namesRVA, count: Int(nameCount) * 4),
                let ordinalTable = image.read(rva: ordinalsRVA, count: Int(nameCount) * 2)
            else {
                throw .truncated(what: "export name table", offset: UInt64(namesRVA))
            }
            for index in 0..<Int(nameCount) {
                guard let rva = ByteReader.uint32(nameTable, index * 4),
                    let ordinalIndex = ByteReader.uint16(ordinalTable, index * 2),
                    let name = image.readCString(rva: rva, maximumLength: 1024)
                else { continue }
                // A name table entry whose name page is missing is skipped, not fatal.
                if names[Int(ordinalIndex)] == nil { names[Int(ordinalIndex)] = name }
            }
        }
        let directoryEnd = UInt64(directory.virtualAddress) + UInt64(directory.size)
        var exports: [Export] = []
        for index in 0..<Int(functionCount) {
            guard let rva = ByteReader.uint32(addressTable, index * 4), rva != 0 else { continue }
            let (ordinal, overflow) = base.addingReportingOverflow(UInt32(index))
            guard !overflow else { break }
            var forwarder: String?
            if rva >= directory.virtualAddress, UInt64(rva) < directoryEnd {
                forwarder = image.readCString(rva: rva, maximumLength: 1024)
            }
            exports.append(
                Export(name: names[index], ordinal: ordinal, rva: rva, forwarder: forwarder))
        }
        self.exports = exports
        var byName: [String: Int] = [:]
        for (index, export) in exports.enumerated() {
            if let name = export.name, byName[name] == nil { byName[name] = index }
        }
        self.byName = byName
        byAddress = exports.indices.filter { exports[$0].forwarder == nil }.sorted {
            exports[$0].rva < exports[$1].rva
        }
    }

    /// The export with exactly this name.
    public func export(named name: String) -> Export? {
        byName[name].map { exports[$0] }
    }

    /// The export with this ordinal.
    public func export(ordinal: UInt32) -> Export? {
        exports.first { $0.ordinal == ordinal }
    }

    /// The export with the highest RVA at or below `rva` (forwarders excluded): the symbol
    /// `module!name+offset` is built from when no other symbols exist.
    public func nearestExport(atOrBelow rva: UInt32) -> Export? {
        var low = 0
        var high = byAddress.count
        while low < high {
            let middle = (low + high) / 2
            if exports[byAddress[middle]].rva <= rva {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low > 0 ? exports[byAddress[low - 1]] : nil
    }
}

extension PEImage {
    /// The export directory. Throws `.missing` when the image exports nothing.
    public func exports() throws(PEError) -> ExportTable {
        try ExportTable(image: self)
    }
}
