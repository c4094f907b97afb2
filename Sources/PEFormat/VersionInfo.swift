/// `VS_FIXEDFILEINFO`: the binary part of a version resource.
public struct FixedFileInfo: Sendable, Equatable {
    public var structureVersion: UInt32
    /// File version as four 16-bit parts (major, minor, build, revision).
    public var fileVersion: [UInt16]
    public var productVersion: [UInt16]
    public var fileFlagsMask: UInt32
    /// VS_FF_* (debug, prerelease, patched...).
    public var fileFlags: UInt32
    /// VOS_* (0x40004 = VOS_NT_WINDOWS32).
    public var fileOS: UInt32
    /// VFT_* (1 = app, 2 = DLL, 3 = driver...).
    public var fileType: UInt32
    public var fileSubtype: UInt32
    /// 64-bit file date (usually zero).
    public var fileDate: UInt64

    public static let signature: UInt32 = 0xFEEF_04BD

    /// `1.2.3.4`.
    public var fileVersionString: String { fileVersion.map(String.init).joined(separator: ".") }
    public var productVersionString: String {
        productVersion.map(String.init).joined(separator: ".")
    }

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 52, ByteReader.uint32(bytes, 0) == Self.signature else { return nil }
        func u32(_ at: Int) -> UInt32 { ByteReader.uint32(bytes, at) ?? 0 }
        func parts(_ at: Int) -> [UInt16] {
            let high = u32(at)
            let low = u32(at + 4)
            return [
                UInt16(high >> 16), UInt16(high & 0xFFFF), UInt16(low >> 16), UInt16(low & 0xFFFF),
            ]
        }
        structureVersion = u32(4)
        fileVersion = parts(8)
        productVersion = parts(16)
        fileFlagsMask = u32(24)
        fileFlags = u32(28)
        fileOS = u32(32)
        fileType = u32(36)
        fileSubtype = u32(40)
        fileDate = UInt64(u32(44)) << 32 | UInt64(u32(48))
    }
}

/// One `StringTable` of a version resource: the strings for one language and code page.
public struct VersionStringTable: Sendable, Equatable {
    /// Eight hex digits, language then code page (`040904b0`).
    public var languageCodePage: String
    /// Key/value pairs in resource order (`CompanyName`, `FileVersion`...).
    public var strings: [(key: String, value: String)]

    public static func == (lhs: VersionStringTable, rhs: VersionStringTable) -> Bool {
        lhs.languageCodePage == rhs.languageCodePage
            && lhs.strings.map(\.key) == rhs.strings.map(\.key)
            && lhs.strings.map(\.value) == rhs.strings.map(\.value)
    }
}

/// A decoded `VS_VERSIONINFO` resource, what `lmv` prints.
public struct VersionInfo: Sendable, Equatable {
    public var fixed: FixedFileInfo?
    public var stringTables: [VersionStringTable]
    /// `VarFileInfo\Translation`: language (low 16 bits) and code page (high 16 bits) pairs.
    public var translations: [UInt32]

    /// The value of `key` in the first string table that has it.
    public func string(_ key: String) -> String? {
        for table in stringTables {
            if let pair = table.strings.first(where: { $0.key == key }) { return pair.value }
        }
        return nil
    }

    /// Decodes VS_VERSIONINFO bytes. Nil when the root block is not `VS_VERSION_INFO`.
    public init?(bytes: [UInt8]) {
        guard let root = VersionBlock.parse(bytes, at: 0, end: bytes.count, depth: 0),
            root.key == "VS_VERSION_INFO"
        else { return nil }
        fixed = FixedFileInfo(root.value)
        var tables: [VersionStringTable] = []
        var translations: [UInt32] = []
        for child in root.children {
            if child.key == "StringFileInfo" {
                for table in child.children {
                    let strings = table.children.map { (key: $0.key, value: $0.text) }
                    tables.append(VersionStringTable(languageCodePage: table.key, strings: strings))
                }
            } else if child.key == "VarFileInfo" {
                for variable in child.children where variable.key == "Translation" {
                    translations += stride(from: 0, to: variable.value.count - 3, by: 4).compactMap
                    {
                        ByteReader.uint32(variable.value, $0)
                    }
                }
            }
        }
        stringTables = tables
        self.translations = translations
    }
}

/// The generic `{ wLength, wValueLength, wType, szKey, Padding, Value, Children }` block every
/// part of a version resource is made of.
struct VersionBlock {
    var key: String
    var value: [UInt8]
    /// wType 1: the value is UTF-16 text.
    var isText: Bool
    var children: [VersionBlock]

    var text: String {
        let units = stride(from: 0, to: value.count - 1, by: 2).map {
            UInt16(value[$0]) | UInt16(value[$0 + 1]) << 8
        }
        let end = units.firstIndex(of: 0) ?? units.endIndex
        return String(decoding: units[..<end], as: UTF16.self)
    }

    /// Nesting in real resources is four deep; anything deeper is refused.
    static let maximumDepth = 6

    static func parse(_ bytes: [UInt8], at start: Int, end limit: Int, depth: Int) -> VersionBlock?
    {
        guard depth <= maximumDepth, let length = ByteReader.uint16(bytes, start),
            let valueLength = ByteReader.uint16(bytes, start + 2),
            let type = ByteReader.uint16(bytes, start + 4),
            length >= 6
        else { return nil }
        let end = min(start + Int(length), limit, bytes.count)
        // The key: UTF-16 up to a NUL, then padding to a 32-bit boundary.
        var cursor = start + 6
        var units: [UInt16] = []
        while cursor + 1 < end {
            let unit = UInt16(bytes[cursor]) | UInt16(bytes[cursor + 1]) << 8
            cursor += 2
            if unit == 0 { break }
            units.append(unit)
        }
        cursor = (cursor + 3) & ~3
        let valueBytes = type == 1 ? Int(valueLength) * 2 : Int(valueLength)
        let valueEnd = min(cursor + valueBytes, end)
        let value = cursor < valueEnd ? Array(bytes[cursor..<valueEnd]) : []
        cursor = (max(cursor, valueEnd) + 3) & ~3
        var children: [VersionBlock] = []
        while cursor + 6 <= end, let child = parse(bytes, at: cursor, end: end, depth: depth + 1) {
            children.append(child)
            guard let childLength = ByteReader.uint16(bytes, cursor), childLength > 0 else { break }
            cursor = (cursor + Int(childLength) + 3) & ~3
        }
        return VersionBlock(
            key: String(decoding: units, as: UTF16.self), value: value, isText: type == 1,
            children: children)
    }
}

extension PEImage {
    /// The version resource (RT_VERSION), or nil when the image has none.
    public func versionInfo() throws(PEError) -> VersionInfo? {
        let entries: [ResourceEntry]
        do {
            entries = try resources(ofType: .id(16))
        } catch .missing {
            return nil
        }
        guard let entry = entries.first else { return nil }
        let size = min(Int(entry.size), 0x10000)
        guard let bytes = read(rva: entry.dataRVA, count: size) else {
            throw .truncated(what: "version resource", offset: UInt64(entry.dataRVA))
        }
        guard let info = VersionInfo(bytes: bytes) else {
            throw .malformed(what: "version resource", detail: "no VS_VERSION_INFO block")
        }
        return info
    }
}
