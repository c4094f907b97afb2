import Symbols

/// A type as `??` knows it: a PDB type, or a pointer the expression made (`&x`) to one.
indirect enum CppType: Sendable {
    case pdb(TypeIndex)
    case pointer(to: CppType)

    static let int: CppType = .pdb(0x74)
    static let unsignedInt: CppType = .pdb(0x75)
    static let int64: CppType = .pdb(0x13)
    static let unsignedInt64: CppType = .pdb(0x23)
    static let double: CppType = .pdb(0x41)
    static let bool: CppType = .pdb(0x30)
}

/// A value `??` computed: its type and where it is (memory, bytes, or nowhere).
struct CppValue {
    var type: CppType
    var storage: TypedValue.Storage
    /// The PDB whose types `type` refers to.
    var pdb: PDBSymbolSource?

    static func integer(_ bits: UInt64, _ type: CppType, pdb: PDBSymbolSource?) -> CppValue {
        let size: Int =
            switch type {
            case .pdb(let index): SimpleType(index)?.size ?? 8
            case .pointer: 8
            }
        return CppValue(
            type: type,
            storage: .bytes(
                (0..<max(1, size)).map { UInt8(truncatingIfNeeded: bits >> UInt64($0 * 8)) }),
            pdb: pdb)
    }
}
