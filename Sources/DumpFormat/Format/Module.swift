/// A loaded module in the ModuleList stream (108 bytes).
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_module>
public struct MINIDUMP_MODULE: Sendable, Equatable {
    public static let size = 108
    public var baseOfImage: UInt64 = 0
    public var sizeOfImage: UInt32 = 0
    public var checkSum: UInt32 = 0
    public var timeDateStamp: UInt32 = 0
    /// RVA of the module's path as a `MINIDUMP_STRING`.
    public var moduleNameRva: RVA = 0
    public var versionInfo = VS_FIXEDFILEINFO()
    /// The CodeView record (`RSDS`, `NB10`, Breakpad `BpEL`…), see `CodeViewRecord`.
    public var cvRecord = MINIDUMP_LOCATION_DESCRIPTOR()
    /// An `IMAGE_DEBUG_MISC` record (old DBG file information).
    public var miscRecord = MINIDUMP_LOCATION_DESCRIPTOR()
    public var reserved0: UInt64 = 0
    public var reserved1: UInt64 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        baseOfImage = try c.u64()
        sizeOfImage = try c.u32()
        checkSum = try c.u32()
        timeDateStamp = try c.u32()
        moduleNameRva = try c.u32()
        versionInfo = try VS_FIXEDFILEINFO(from: &c)
        cvRecord = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        miscRecord = try MINIDUMP_LOCATION_DESCRIPTOR(from: &c)
        reserved0 = try c.u64()
        reserved1 = try c.u64()
    }

    func encode(into w: inout ByteWriter) {
        w.u64(baseOfImage)
        w.u32(sizeOfImage)
        w.u32(checkSum)
        w.u32(timeDateStamp)
        w.u32(moduleNameRva)
        versionInfo.encode(into: &w)
        cvRecord.encode(into: &w)
        miscRecord.encode(into: &w)
        w.u64(reserved0)
        w.u64(reserved1)
    }
}

/// The fixed part of a module's version resource (52 bytes). `signature` is `0xfeef04bd`
/// when present; dumps often hold zeros.
///
/// <https://learn.microsoft.com/windows/win32/api/verrsrc/ns-verrsrc-vs_fixedfileinfo>
public struct VS_FIXEDFILEINFO: Sendable, Equatable {
    public static let size = 52
    public static let signatureValue: UInt32 = 0xfeef_04bd
    public var signature: UInt32 = 0
    public var strucVersion: UInt32 = 0
    public var fileVersionMS: UInt32 = 0
    public var fileVersionLS: UInt32 = 0
    public var productVersionMS: UInt32 = 0
    public var productVersionLS: UInt32 = 0
    public var fileFlagsMask: UInt32 = 0
    public var fileFlags: UInt32 = 0
    public var fileOS: UInt32 = 0
    public var fileType: UInt32 = 0
    public var fileSubtype: UInt32 = 0
    public var fileDateMS: UInt32 = 0
    public var fileDateLS: UInt32 = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        signature = try c.u32()
        strucVersion = try c.u32()
        fileVersionMS = try c.u32()
        fileVersionLS = try c.u32()
        productVersionMS = try c.u32()
        productVersionLS = try c.u32()
        fileFlagsMask = try c.u32()
        fileFlags = try c.u32()
        fileOS = try c.u32()
        fileType = try c.u32()
        fileSubtype = try c.u32()
        fileDateMS = try c.u32()
        fileDateLS = try c.u32()
    }

    func encode(into w: inout ByteWriter) {
        for v in [
            signature, strucVersion, fileVersionMS, fileVersionLS, productVersionMS,
            productVersionLS, fileFlagsMask, fileFlags, fileOS, fileType, fileSubtype,
            fileDateMS, fileDateLS,
        ] { w.u32(v) }
    }

    /// The file version as four 16-bit parts (`a.b.c.d`) when the signature is valid.
    public var fileVersion: (UInt16, UInt16, UInt16, UInt16)? {
        guard signature == Self.signatureValue else { return nil }
        return (
            UInt16(fileVersionMS >> 16), UInt16(truncatingIfNeeded: fileVersionMS),
            UInt16(fileVersionLS >> 16), UInt16(truncatingIfNeeded: fileVersionLS)
        )
    }
}

/// A module that was unloaded before the dump was written (24 bytes).
///
/// <https://learn.microsoft.com/windows/win32/api/minidumpapiset/ns-minidumpapiset-minidump_unloaded_module>
public struct MINIDUMP_UNLOADED_MODULE: Sendable, Equatable {
    public static let size = 24
    public var baseOfImage: UInt64 = 0
    public var sizeOfImage: UInt32 = 0
    public var checkSum: UInt32 = 0
    public var timeDateStamp: UInt32 = 0
    public var moduleNameRva: RVA = 0

    public init() {}

    init(from c: inout Cursor) throws(MinidumpError) {
        baseOfImage = try c.u64()
        sizeOfImage = try c.u32()
        checkSum = try c.u32()
        timeDateStamp = try c.u32()
        moduleNameRva = try c.u32()
    }

    func encode(into w: inout ByteWriter) {
        w.u64(baseOfImage)
        w.u32(sizeOfImage)
        w.u32(checkSum)
        w.u32(timeDateStamp)
        w.u32(moduleNameRva)
    }
}

/// A module's CodeView record: how a debugger finds its symbols.
public enum CodeViewRecord: Sendable, Equatable {
    /// `RSDS`: a PDB 7.0 file identified by GUID and age (`CV_INFO_PDB70`).
    case pdb70(signature: GUID, age: UInt32, pdbFileName: String)
    /// `NB10`: a PDB 2.0 file identified by timestamp and age (`CV_INFO_PDB20`).
    case pdb20(offset: UInt32, signature: UInt32, age: UInt32, pdbFileName: String)
    /// `BpEL`: Breakpad/Crashpad's ELF build id (`CV_INFO_ELF`), any length.
    case elf(buildId: [UInt8])
    /// Any other signature: the raw record.
    case unknown(signature: UInt32, bytes: [UInt8])

    public static let pdb70Signature: UInt32 = 0x5344_5352  // "RSDS"
    public static let pdb20Signature: UInt32 = 0x3031_424e  // "NB10"
    public static let elfSignature: UInt32 = 0x4270_454c  // "BpEL"

    /// The identifier symbol servers use: for PDB 7.0 the GUID's hex digits then the age in hex
    /// (`7B7D1968FF0D47AE4366E9C3A7E1B6751`); for NB10 timestamp then age; for ELF the build id's
    /// first 16 bytes read as a GUID then `0` (Breakpad's convention).
    public var debugIdentifier: String {
        switch self {
        case .pdb70(let guid, let age, _):
            return String(guid.description.filter { $0 != "-" })
                + String(age, radix: 16, uppercase: true)
        case .pdb20(_, let signature, let age, _):
            return String(signature, radix: 16, uppercase: true)
                + String(age, radix: 16, uppercase: true)
        case .elf(let buildId):
            var padded = Array(buildId.prefix(16))
            padded += Array(repeating: 0, count: 16 - padded.count)
            return String(guidFrom(padded).description.filter { $0 != "-" }) + "0"
        case .unknown:
            return ""
        }
    }

    /// The PDB file name for PDB records.
    public var pdbFileName: String? {
        switch self {
        case .pdb70(_, _, let name), .pdb20(_, _, _, let name): return name
        default: return nil
        }
    }

    init(from c: inout Cursor) throws(MinidumpError) {
        let signature = try c.u32()
        switch signature {
        case Self.pdb70Signature:
            let guid = try GUID(from: &c)
            let age = try c.u32()
            self = .pdb70(signature: guid, age: age, pdbFileName: cString(try c.bytes(c.remaining)))
        case Self.pdb20Signature:
            let offset = try c.u32()
            let sig = try c.u32()
            let age = try c.u32()
            self = .pdb20(
                offset: offset, signature: sig, age: age,
                pdbFileName: cString(try c.bytes(c.remaining)))
        case Self.elfSignature:
            self = .elf(buildId: try c.bytes(c.remaining))
        default:
            self = .unknown(signature: signature, bytes: try c.bytes(c.remaining))
        }
    }

    func encode(into w: inout ByteWriter) {
        switch self {
        case .pdb70(let guid, let age, let name):
            w.u32(Self.pdb70Signature)
            guid.encode(into: &w)
            w.u32(age)
            w.append(Array(name.utf8))
            w.u8(0)
        case .pdb20(let offset, let signature, let age, let name):
            w.u32(Self.pdb20Signature)
            w.u32(offset)
            w.u32(signature)
            w.u32(age)
            w.append(Array(name.utf8))
            w.u8(0)
        case .elf(let buildId):
            w.u32(Self.elfSignature)
            w.append(buildId)
        case .unknown(let signature, let bytes):
            w.u32(signature)
            w.append(bytes)
        }
    }
}

/// An old-style debug-information record for DBG files (`IMAGE_DEBUG_MISC`).
public struct IMAGE_DEBUG_MISC: Sendable, Equatable {
    public var dataType: UInt32 = 0
    public var length: UInt32 = 0
    public var unicode: Bool = false
    /// The file name, decoded from ASCII or UTF-16 according to `unicode`.
    public var data: String = ""

    init(from c: inout Cursor) throws(MinidumpError) {
        dataType = try c.u32()
        length = try c.u32()
        unicode = try c.u8() != 0
        try c.skip(3)
        let raw = try c.bytes(c.remaining)
        if unicode {
            var units: [UInt16] = []
            var index = 0
            while index + 1 < raw.count {
                let unit = UInt16(raw[index]) | UInt16(raw[index + 1]) << 8
                if unit == 0 { break }
                units.append(unit)
                index += 2
            }
            data = String(decoding: units, as: UTF16.self)
        } else {
            data = cString(raw)
        }
    }
}

/// Bytes up to the first NUL, decoded as UTF-8 (invalid sequences replaced).
func cString(_ bytes: [UInt8]) -> String {
    let end = bytes.firstIndex(of: 0) ?? bytes.count
    return String(decoding: bytes[..<end], as: UTF8.self)
}

/// Reads 16 raw bytes as a file-layout GUID.
func guidFrom(_ b: [UInt8]) -> GUID {
    let d1 = UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    return GUID(
        data1: d1, data2: UInt16(b[4]) | UInt16(b[5]) << 8, data3: UInt16(b[6]) | UInt16(b[7]) << 8,
        data4: Array(b[8..<16]))
}
