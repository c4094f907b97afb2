/// Why a PE image, or one of its tables, could not be read. Each case prints a message a user can
/// act on (`description`); none of them means the program is broken.
public enum PEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case unreadableFile(path: String, reason: String)
    /// The bytes do not start with an `MZ` DOS header.
    case notAPEImage
    /// `e_lfanew` does not lead to a `PE\0\0` signature.
    case badNTSignature(offset: UInt64)
    /// The optional header's magic is neither PE32 (0x10b) nor PE32+ (0x20b).
    case unknownOptionalHeaderMagic(UInt16)
    /// Bytes that the headers say exist are missing (truncated file, page not in the dump).
    case truncated(what: String, offset: UInt64)
    /// A table (exports, imports, `.pdata`...) is absent from this image.
    case missing(what: String)
    /// A count or size in the image is larger than the image could hold.
    case implausible(what: String, value: UInt64)
    /// A structure's fields contradict each other or the format.
    case malformed(what: String, detail: String)
    /// The table exists but this machine type is not the one it is for.
    case wrongMachine(what: String, machine: PEMachine)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .notAPEImage:
            return "not a PE image (no MZ header)"
        case .badNTSignature(let offset):
            return "no PE signature at offset 0x\(String(offset, radix: 16))"
        case .unknownOptionalHeaderMagic(let magic):
            return "unknown optional header magic 0x\(String(magic, radix: 16))"
        case .truncated(let what, let offset):
            return "\(what) is not available (missing bytes at 0x\(String(offset, radix: 16)))"
        case .missing(let what):
            return "the image has no \(what)"
        case .implausible(let what, let value):
            return "\(what) is implausible (0x\(String(value, radix: 16)))"
        case .malformed(let what, let detail):
            return "malformed \(what): \(detail)"
        case .wrongMachine(let what, let machine):
            return "\(what) is not available for machine \(machine)"
        }
    }
}
