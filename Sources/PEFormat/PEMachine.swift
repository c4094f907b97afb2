/// `IMAGE_FILE_HEADER.Machine`: the CPU an image is built for.
public struct PEMachine: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let unknown = PEMachine(rawValue: 0)
    /// IMAGE_FILE_MACHINE_I386.
    public static let i386 = PEMachine(rawValue: 0x014c)
    /// IMAGE_FILE_MACHINE_AMD64.
    public static let amd64 = PEMachine(rawValue: 0x8664)
    /// IMAGE_FILE_MACHINE_ARMNT (Thumb-2).
    public static let armNT = PEMachine(rawValue: 0x01c4)
    /// IMAGE_FILE_MACHINE_ARM64.
    public static let arm64 = PEMachine(rawValue: 0xaa64)
    /// IMAGE_FILE_MACHINE_ARM64EC.
    public static let arm64EC = PEMachine(rawValue: 0xa641)
    /// IMAGE_FILE_MACHINE_IA64.
    public static let ia64 = PEMachine(rawValue: 0x0200)

    /// The name CDB prints (`x86`, `x64`, `ARM64`...), or the hex value.
    public var description: String {
        switch self {
        case .i386: return "x86"
        case .amd64: return "x64"
        case .armNT: return "ARM"
        case .arm64: return "ARM64"
        case .arm64EC: return "ARM64EC"
        case .ia64: return "IA64"
        default: return "0x" + String(rawValue, radix: 16)
        }
    }
}
