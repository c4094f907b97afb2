/// One base relocation: a place in the image that holds an address and must move with it.
public struct BaseRelocation: Sendable, Equatable {
    /// `IMAGE_REL_BASED_*`.
    public enum Kind: UInt8, Sendable {
        /// Padding; nothing to do.
        case absolute = 0
        /// The high 16 bits of a 32-bit address.
        case high = 1
        /// The low 16 bits of a 32-bit address.
        case low = 2
        /// A 32-bit address.
        case highLow = 3
        /// The high 16 bits, adjusted by the next entry's low half.
        case highAdjust = 4
        /// A 64-bit address.
        case dir64 = 10
    }

    /// Where the address is.
    public var rva: UInt32
    /// How it is stored; nil for a type this reader does not know.
    public var kind: Kind?
    /// The raw 4-bit type.
    public var rawType: UInt8
}

extension PEImage {
    /// At most this many relocations are read (64 MiB of entries is already implausible).
    static let maximumRelocations = 1 << 24

    /// The base relocation table (`.reloc`), without the padding entries. Throws `.missing` when
    /// the image has none (it cannot be moved, or needs no fix-ups), and an error naming the
    /// first bad block of a corrupt one.
    public func baseRelocations() throws(PEError) -> [BaseRelocation] {
        let (directory, bytes) = try directoryBytes(.baseRelocation, what: "base relocation table")
        var relocations: [BaseRelocation] = []
        var offset = 0
        while offset + 8 <= bytes.count {
            guard let page = ByteReader.uint32(bytes, offset),
                let blockSize = ByteReader.uint32(bytes, offset + 4)
            else { break }
            // Some linkers pad the table with an empty block.
            if page == 0 && blockSize == 0 { break }
            guard blockSize >= 8, blockSize % 2 == 0,
                UInt64(offset) + UInt64(blockSize) <= UInt64(bytes.count)
            else {
                throw .malformed(
                    what:
                        "base relocation block at 0x\(String(UInt64(directory.virtualAddress) + UInt64(offset), radix: 16))",
                    detail: "size 0x\(String(blockSize, radix: 16)) does not fit the table")
            }
            var entry = offset + 8
            while entry + 2 <= offset + Int(blockSize) {
                guard let value = ByteReader.uint16(bytes, entry) else { break }
                let type = UInt8(value >> 12)
                if type != 0 {
                    let (rva, overflow) = page.addingReportingOverflow(UInt32(value & 0xFFF))
                    guard !overflow else {
                        throw .malformed(
                            what: "base relocation",
                            detail: "page 0x\(String(page, radix: 16)) overflows")
                    }
                    relocations.append(
                        BaseRelocation(
                            rva: rva, kind: BaseRelocation.Kind(rawValue: type), rawType: type))
                    guard relocations.count <= Self.maximumRelocations else {
                        throw .implausible(
                            what: "base relocation count", value: UInt64(relocations.count))
                    }
                }
                entry += 2
            }
            offset += Int(blockSize)
        }
        return relocations
    }
}
