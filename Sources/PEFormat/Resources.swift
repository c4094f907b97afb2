/// A resource's identity at one level of the resource tree: a number or a name.
public enum ResourceName: Sendable, Equatable, Hashable {
    case id(UInt32)
    case name(String)
}

/// One leaf of the resource tree (`IMAGE_RESOURCE_DATA_ENTRY`) with the path that led to it.
public struct ResourceEntry: Sendable, Equatable {
    public var type: ResourceName
    public var name: ResourceName
    public var language: ResourceName
    /// RVA of the resource bytes.
    public var dataRVA: UInt32
    public var size: UInt32
    public var codePage: UInt32
}

extension PEImage {
    /// Caps on the resource walk; real images stay far below them.
    static let maximumResourceEntriesPerDirectory = 4096
    static let maximumResourceLeaves = 65536

    /// The leaves of the resource tree (type / name / language), optionally only those of one
    /// type (16 = RT_VERSION). Directory loops and oversized counts are cut off.
    public func resources(ofType wanted: ResourceName? = nil) throws(PEError) -> [ResourceEntry] {
        guard let directory = dataDirectory(.resource) else {
            throw .missing(what: "resource directory")
        }
        let root = directory.virtualAddress
        var leaves: [ResourceEntry] = []
        var visited: Set<UInt32> = []

        func entries(at offset: UInt32) -> [(ResourceName, UInt32)]? {
            guard visited.insert(offset).inserted else { return nil }
            let (rva, overflow) = root.addingReportingOverflow(offset)
            guard !overflow, let header = read(rva: rva, count: 16),
                let named = ByteReader.uint16(header, 12), let ids = ByteReader.uint16(header, 14)
            else { return nil }
            let count = min(Int(named) + Int(ids), Self.maximumResourceEntriesPerDirectory)
            guard let table = read(rva: rva &+ 16, count: count * 8) else { return nil }
            return (0..<count).compactMap { index in
                guard let nameField = ByteReader.uint32(table, index * 8),
                    let target = ByteReader.uint32(table, index * 8 + 4)
                else { return nil }
                let name: ResourceName
                if nameField & 0x8000_0000 != 0 {
                    name = .name(resourceString(root: root, offset: nameField & 0x7FFF_FFFF) ?? "")
                } else {
                    name = .id(nameField)
                }
                return (name, target)
            }
        }

        guard let types = entries(at: 0) else {
            throw .truncated(what: "resource directory", offset: UInt64(root))
        }
        for (type, typeTarget) in types where wanted == nil || wanted == type {
            guard typeTarget & 0x8000_0000 != 0,
                let names = entries(at: typeTarget & 0x7FFF_FFFF)
            else { continue }
            for (name, nameTarget) in names where nameTarget & 0x8000_0000 != 0 {
                guard let languages = entries(at: nameTarget & 0x7FFF_FFFF) else { continue }
                for (language, leaf) in languages where leaf & 0x8000_0000 == 0 {
                    guard leaves.count < Self.maximumResourceLeaves,
                        let data = read(rva: root &+ leaf, count: 16),
                        let dataRVA = ByteReader.uint32(data, 0),
                        let size = ByteReader.uint32(data, 4)
                    else { continue }
                    leaves.append(
                        ResourceEntry(
                            type: type, name: name, language: language, dataRVA: dataRVA,
                            size: size,
                            codePage: ByteReader.uint32(data, 8) ?? 0))
                }
            }
        }
        return leaves
    }

    /// An `IMAGE_RESOURCE_DIR_STRING_U` (16-bit length, UTF-16 text).
    private func resourceString(root: UInt32, offset: UInt32) -> String? {
        let (rva, overflow) = root.addingReportingOverflow(offset)
        guard !overflow,
            let length = read(rva: rva, count: 2).flatMap({ ByteReader.uint16($0, 0) }),
            let bytes = read(rva: rva &+ 2, count: Int(length) * 2)
        else { return nil }
        let units = stride(from: 0, to: bytes.count, by: 2).map {
            UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
        }
        return String(decoding: units, as: UTF16.self)
    }
}
