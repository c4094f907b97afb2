/// CodeView type record kinds (`LEAF_ENUM_e` in cvinfo.h) that the reader decodes.
enum TypeLeafKind {
    static let vtableShape: UInt16 = 0x000a
    static let modifier: UInt16 = 0x1001
    static let pointer: UInt16 = 0x1002
    static let procedure: UInt16 = 0x1008
    static let memberFunction: UInt16 = 0x1009
    static let argumentList: UInt16 = 0x1201
    static let fieldList: UInt16 = 0x1203
    static let bitfield: UInt16 = 0x1205
    static let methodList: UInt16 = 0x1206
    static let baseClass: UInt16 = 0x1400
    static let virtualBaseClass: UInt16 = 0x1401
    static let indirectVirtualBaseClass: UInt16 = 0x1402
    static let index: UInt16 = 0x1404
    static let virtualFunctionTable: UInt16 = 0x1409
    static let enumerate: UInt16 = 0x1502
    static let array: UInt16 = 0x1503
    static let classType: UInt16 = 0x1504
    static let structure: UInt16 = 0x1505
    static let union: UInt16 = 0x1506
    static let enumeration: UInt16 = 0x1507
    static let member: UInt16 = 0x150d
    static let staticMember: UInt16 = 0x150e
    static let method: UInt16 = 0x150f
    static let nestedType: UInt16 = 0x1510
    static let oneMethod: UInt16 = 0x1511
    static let interface: UInt16 = 0x1519
    static let functionID: UInt16 = 0x1601
    static let memberFunctionID: UInt16 = 0x1602
    static let buildInfo: UInt16 = 0x1603
    static let stringID: UInt16 = 0x1605
    static let udtSourceLine: UInt16 = 0x1606
    static let udtModuleSourceLine: UInt16 = 0x1607

    /// Records whose definitions are looked up by name (and whose forward references are
    /// resolved by name).
    static let userDefined: Set<UInt16> = [classType, structure, union, enumeration, interface]
}

/// Property bits of class, structure, union and enum records (`CV_prop_t`).
public struct TypeProperties: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let packed = TypeProperties(rawValue: 0x1)
    public static let nested = TypeProperties(rawValue: 0x8)
    public static let forwardReference = TypeProperties(rawValue: 0x80)
    public static let scoped = TypeProperties(rawValue: 0x100)
    public static let hasUniqueName = TypeProperties(rawValue: 0x200)
}
