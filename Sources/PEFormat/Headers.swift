/// `IMAGE_FILE_HEADER` (the COFF header after the `PE\0\0` signature).
public struct COFFFileHeader: Sendable, Equatable {
    public var machine: PEMachine
    public var numberOfSections: UInt16
    /// Seconds since 1970 (UTC) when the image was linked; a hash for reproducible builds.
    public var timeDateStamp: UInt32
    public var pointerToSymbolTable: UInt32
    public var numberOfSymbols: UInt32
    public var sizeOfOptionalHeader: UInt16
    /// IMAGE_FILE_* flags (`isDLL`, `isExecutableImage` decode the common ones).
    public var characteristics: UInt16

    public static let size = 20

    public var isDLL: Bool { characteristics & 0x2000 != 0 }
    public var isExecutableImage: Bool { characteristics & 0x0002 != 0 }
    public var isLargeAddressAware: Bool { characteristics & 0x0020 != 0 }

    init?(_ bytes: [UInt8], at offset: Int) {
        guard let machine = ByteReader.uint16(bytes, offset),
            let sections = ByteReader.uint16(bytes, offset + 2),
            let stamp = ByteReader.uint32(bytes, offset + 4),
            let symbols = ByteReader.uint32(bytes, offset + 8),
            let symbolCount = ByteReader.uint32(bytes, offset + 12),
            let optionalSize = ByteReader.uint16(bytes, offset + 16),
            let characteristics = ByteReader.uint16(bytes, offset + 18)
        else { return nil }
        self.machine = PEMachine(rawValue: machine)
        numberOfSections = sections
        timeDateStamp = stamp
        pointerToSymbolTable = symbols
        numberOfSymbols = symbolCount
        sizeOfOptionalHeader = optionalSize
        self.characteristics = characteristics
    }
}

/// One `IMAGE_DATA_DIRECTORY`: where a table lives (RVA) and how big it is.
public struct DataDirectory: Sendable, Equatable {
    public var virtualAddress: UInt32
    public var size: UInt32

    public init(virtualAddress: UInt32, size: UInt32) {
        self.virtualAddress = virtualAddress
        self.size = size
    }

    /// True when the entry names a table (non-zero address).
    public var isPresent: Bool { virtualAddress != 0 }
}

/// The index of a data directory in the optional header.
public enum DataDirectoryKind: Int, Sendable, CaseIterable {
    case export = 0
    case `import` = 1
    case resource = 2
    case exception = 3
    /// Authenticode certificates; its "address" is a file offset, not an RVA.
    case certificate = 4
    case baseRelocation = 5
    case debug = 6
    case architecture = 7
    case globalPointer = 8
    case tls = 9
    case loadConfig = 10
    case boundImport = 11
    case importAddressTable = 12
    case delayImport = 13
    case clrRuntimeHeader = 14
    case reserved = 15
}

/// `IMAGE_OPTIONAL_HEADER32` / `IMAGE_OPTIONAL_HEADER64`, widened to one shape.
public struct OptionalHeader: Sendable, Equatable {
    /// 0x10b (PE32) or 0x20b (PE32+).
    public var magic: UInt16
    public var majorLinkerVersion: UInt8
    public var minorLinkerVersion: UInt8
    public var sizeOfCode: UInt32
    public var addressOfEntryPoint: UInt32
    public var baseOfCode: UInt32
    public var imageBase: UInt64
    public var sectionAlignment: UInt32
    public var fileAlignment: UInt32
    public var majorOperatingSystemVersion: UInt16
    public var minorOperatingSystemVersion: UInt16
    public var majorImageVersion: UInt16
    public var minorImageVersion: UInt16
    public var majorSubsystemVersion: UInt16
    public var minorSubsystemVersion: UInt16
    public var sizeOfImage: UInt32
    public var sizeOfHeaders: UInt32
    public var checkSum: UInt32
    /// IMAGE_SUBSYSTEM_* (2 = Windows GUI, 3 = Windows console, 1 = native...).
    public var subsystem: UInt16
    /// IMAGE_DLLCHARACTERISTICS_* flags.
    public var dllCharacteristics: UInt16
    public var sizeOfStackReserve: UInt64
    public var sizeOfStackCommit: UInt64
    public var sizeOfHeapReserve: UInt64
    public var sizeOfHeapCommit: UInt64
    /// Present entries only (at most 16, and no more than the header's size can hold).
    public var dataDirectories: [DataDirectory]

    public static let pe32Magic: UInt16 = 0x10b
    public static let pe32PlusMagic: UInt16 = 0x20b

    public var isPE32Plus: Bool { magic == Self.pe32PlusMagic }

    /// Decodes the optional header held in `bytes` (exactly SizeOfOptionalHeader bytes).
    init(_ bytes: [UInt8]) throws(PEError) {
        guard let magic = ByteReader.uint16(bytes, 0) else {
            throw .truncated(what: "optional header", offset: 0)
        }
        guard magic == Self.pe32Magic || magic == Self.pe32PlusMagic else {
            throw .unknownOptionalHeaderMagic(magic)
        }
        let plus = magic == Self.pe32PlusMagic
        let wide = plus ? 8 : 4
        // Offsets differ between the two forms only in ImageBase/BaseOfData and the four
        // stack/heap sizes; `directoryStart` is where the data directories begin.
        let directoryStart = plus ? 112 : 96
        guard bytes.count >= directoryStart else {
            throw .truncated(what: "optional header", offset: UInt64(bytes.count))
        }
        func u16(_ at: Int) -> UInt16 { ByteReader.uint16(bytes, at) ?? 0 }
        func u32(_ at: Int) -> UInt32 { ByteReader.uint32(bytes, at) ?? 0 }
        func ptr(_ at: Int) -> UInt64 { ByteReader.pointer(bytes, at, size: wide) ?? 0 }
        self.magic = magic
        majorLinkerVersion = bytes[2]
        minorLinkerVersion = bytes[3]
        sizeOfCode = u32(4)
        addressOfEntryPoint = u32(16)
        baseOfCode = u32(20)
        imageBase = plus ? ptr(24) : UInt64(u32(28))
        sectionAlignment = u32(32)
        fileAlignment = u32(36)
        majorOperatingSystemVersion = u16(40)
        minorOperatingSystemVersion = u16(42)
        majorImageVersion = u16(44)
        minorImageVersion = u16(46)
        majorSubsystemVersion = u16(48)
        minorSubsystemVersion = u16(50)
        sizeOfImage = u32(56)
        sizeOfHeaders = u32(60)
        checkSum = u32(64)
        subsystem = u16(68)
        dllCharacteristics = u16(70)
        sizeOfStackReserve = ptr(72)
        sizeOfStackCommit = ptr(72 + wide)
        sizeOfHeapReserve = ptr(72 + 2 * wide)
        sizeOfHeapCommit = ptr(72 + 3 * wide)
        let declared = Int(u32(directoryStart - 4))
        let fitting = (bytes.count - directoryStart) / 8
        let count = min(declared, fitting, 16)
        dataDirectories = (0..<count).map { index in
            DataDirectory(
                virtualAddress: u32(directoryStart + 8 * index),
                size: u32(directoryStart + 8 * index + 4))
        }
    }
}

/// `IMAGE_SECTION_HEADER`.
public struct SectionHeader: Sendable, Equatable {
    /// The 8-byte name without trailing NULs (`.text`); long names of object files are not resolved.
    public var name: String
    public var virtualSize: UInt32
    public var virtualAddress: UInt32
    public var sizeOfRawData: UInt32
    public var pointerToRawData: UInt32
    /// IMAGE_SCN_* flags.
    public var characteristics: UInt32

    public static let size = 40

    /// IMAGE_SCN_MEM_EXECUTE or IMAGE_SCN_CNT_CODE.
    public var isExecutable: Bool {
        characteristics & 0x2000_0000 != 0 || characteristics & 0x20 != 0
    }
    public var isReadable: Bool { characteristics & 0x4000_0000 != 0 }
    public var isWritable: Bool { characteristics & 0x8000_0000 != 0 }

    /// How many bytes the section spans in memory (VirtualSize, or the raw size when zero).
    public var virtualExtent: UInt32 { virtualSize != 0 ? virtualSize : sizeOfRawData }

    /// True when `rva` falls inside the section's memory range.
    public func contains(rva: UInt32) -> Bool {
        rva >= virtualAddress && UInt64(rva) < UInt64(virtualAddress) + UInt64(virtualExtent)
    }

    init?(_ bytes: [UInt8], at offset: Int) {
        guard let nameBytes = ByteReader.slice(bytes, offset, 8),
            let virtualSize = ByteReader.uint32(bytes, offset + 8),
            let virtualAddress = ByteReader.uint32(bytes, offset + 12),
            let rawSize = ByteReader.uint32(bytes, offset + 16),
            let rawPointer = ByteReader.uint32(bytes, offset + 20),
            let characteristics = ByteReader.uint32(bytes, offset + 36)
        else { return nil }
        name = ByteReader.cString(nameBytes)
        self.virtualSize = virtualSize
        self.virtualAddress = virtualAddress
        sizeOfRawData = rawSize
        pointerToRawData = rawPointer
        self.characteristics = characteristics
    }
}
