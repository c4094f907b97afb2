/// A CodeView type index: below 0x1000 a built-in ("simple") type, otherwise a record in the
/// TPI (or, for ids, the IPI) stream.
public typealias TypeIndex = UInt32

/// One decoded type record.
public enum TypeRecord: Sendable, Hashable {
    case modifier(TypeIndex, isConst: Bool, isVolatile: Bool)
    case pointer(PointerType)
    case procedure(ProcedureType)
    case argumentList([TypeIndex])
    case fieldList([FieldMember])
    case array(element: TypeIndex, indexType: TypeIndex, size: UInt64, name: String)
    case userDefined(UserDefinedType)
    case enumeration(EnumerationType)
    case bitfield(TypeIndex, length: UInt8, position: UInt8)
    case methodList([TypeIndex])
    case functionID(scope: TypeIndex, type: TypeIndex, name: String)
    case memberFunctionID(parent: TypeIndex, type: TypeIndex, name: String)
    case stringID(String)
    case vtableShape(count: Int)
    case other(kind: UInt16)
}

public struct PointerType: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case pointer, lvalueReference, rvalueReference, dataMemberPointer, functionMemberPointer
    }
    public var referent: TypeIndex
    public var mode: Mode
    /// Size in bytes (4 or 8).
    public var size: Int
    public var isConst: Bool
    public var isVolatile: Bool
    /// For member pointers: the class.
    public var containingClass: TypeIndex?
}

public struct ProcedureType: Sendable, Hashable {
    public var returnType: TypeIndex
    public var callingConvention: UInt8
    public var parameterCount: Int
    public var argumentList: TypeIndex
    /// For member functions: the class and the type of `this` (nil for static ones: `this` is
    /// `T_NOTYPE`).
    public var classType: TypeIndex?
    public var thisType: TypeIndex?
}

public struct UserDefinedType: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case classType, structure, union, interface }
    public var kind: Kind
    public var memberCount: Int
    public var properties: TypeProperties
    public var fieldList: TypeIndex
    public var size: UInt64
    public var name: String
    public var uniqueName: String?

    public var isForwardReference: Bool { properties.contains(.forwardReference) }
}

public struct EnumerationType: Sendable, Hashable {
    public var count: Int
    public var properties: TypeProperties
    public var underlyingType: TypeIndex
    public var fieldList: TypeIndex
    public var name: String
    public var uniqueName: String?

    public var isForwardReference: Bool { properties.contains(.forwardReference) }
}

/// One entry of a field list.
public enum FieldMember: Sendable, Hashable {
    case member(name: String, type: TypeIndex, offset: UInt64, access: UInt16)
    case staticMember(name: String, type: TypeIndex)
    case baseClass(type: TypeIndex, offset: UInt64)
    case virtualBaseClass(type: TypeIndex, isIndirect: Bool)
    case enumerator(name: String, value: NumericLeaf)
    case nestedType(name: String, type: TypeIndex)
    case method(name: String, count: Int, methodList: TypeIndex)
    case oneMethod(name: String, type: TypeIndex, attributes: UInt16)
    case virtualFunctionTable(TypeIndex)
    case continuation(TypeIndex)
}

extension TypeRecord {
    /// Decodes a record's payload (the bytes after the kind).
    static func parse(kind: UInt16, payload: UnsafeRawBufferPointer, label: @escaping () -> String)
        throws(PDBError) -> TypeRecord
    {
        var r = RecordReader(payload, label: label)
        typealias L = TypeLeafKind
        switch kind {
        case L.modifier:
            let type = try r.u32()
            let flags = try r.u16()
            return .modifier(type, isConst: flags & 1 != 0, isVolatile: flags & 2 != 0)
        case L.pointer:
            let referent = try r.u32()
            let attributes = try r.u32()
            let modeBits = (attributes >> 5) & 7
            let mode: PointerType.Mode =
                switch modeBits {
                case 1: .lvalueReference
                case 2: .dataMemberPointer
                case 3: .functionMemberPointer
                case 4: .rvalueReference
                default: .pointer
                }
            var size = Int((attributes >> 13) & 0x3f)
            if size == 0 { size = (attributes & 0x1f) == 0x0c ? 8 : 4 }
            var containing: TypeIndex?
            if mode == .dataMemberPointer || mode == .functionMemberPointer {
                containing = try? r.u32()
            }
            return .pointer(
                PointerType(
                    referent: referent, mode: mode, size: size,
                    isConst: attributes & 0x400 != 0, isVolatile: attributes & 0x200 != 0,
                    containingClass: containing))
        case L.procedure:
            let returnType = try r.u32()
            let convention = try r.u8()
            _ = try r.u8()
            let count = Int(try r.u16())
            let arguments = try r.u32()
            return .procedure(
                ProcedureType(
                    returnType: returnType, callingConvention: convention, parameterCount: count,
                    argumentList: arguments, classType: nil, thisType: nil))
        case L.memberFunction:
            let returnType = try r.u32()
            let classType = try r.u32()
            let thisType = try r.u32()
            let convention = try r.u8()
            _ = try r.u8()
            let count = Int(try r.u16())
            let arguments = try r.u32()
            return .procedure(
                ProcedureType(
                    returnType: returnType, callingConvention: convention, parameterCount: count,
                    argumentList: arguments, classType: classType,
                    thisType: thisType == 0 ? nil : thisType))
        case L.argumentList:
            let count = Int(try r.u32())
            guard count <= r.remaining / 4 else {
                throw PDBError("\(label()): argument list of \(count) entries runs past the end")
            }
            var types: [TypeIndex] = []
            for _ in 0..<count { types.append(try r.u32()) }
            return .argumentList(types)
        case L.fieldList:
            return .fieldList(try parseFieldList(&r))
        case L.array:
            let element = try r.u32()
            let index = try r.u32()
            let size = try r.numeric()
            return .array(element: element, indexType: index, size: size.bits, name: r.cString())
        case L.classType, L.structure, L.interface:
            let count = Int(try r.u16())
            let properties = TypeProperties(rawValue: try r.u16())
            let fields = try r.u32()
            _ = try r.u32()  // derived
            _ = try r.u32()  // vtable shape
            let size = try r.numeric()
            let name = r.cString()
            let unique = properties.contains(.hasUniqueName) ? r.cString() : nil
            let recordKind: UserDefinedType.Kind =
                kind == L.classType ? .classType : kind == L.structure ? .structure : .interface
            return .userDefined(
                UserDefinedType(
                    kind: recordKind, memberCount: count, properties: properties,
                    fieldList: fields, size: size.bits, name: name, uniqueName: unique))
        case L.union:
            let count = Int(try r.u16())
            let properties = TypeProperties(rawValue: try r.u16())
            let fields = try r.u32()
            let size = try r.numeric()
            let name = r.cString()
            let unique = properties.contains(.hasUniqueName) ? r.cString() : nil
            return .userDefined(
                UserDefinedType(
                    kind: .union, memberCount: count, properties: properties, fieldList: fields,
                    size: size.bits, name: name, uniqueName: unique))
        case L.enumeration:
            let count = Int(try r.u16())
            let properties = TypeProperties(rawValue: try r.u16())
            let underlying = try r.u32()
            let fields = try r.u32()
            let name = r.cString()
            let unique = properties.contains(.hasUniqueName) ? r.cString() : nil
            return .enumeration(
                EnumerationType(
                    count: count, properties: properties, underlyingType: underlying,
                    fieldList: fields, name: name, uniqueName: unique))
        case L.bitfield:
            let type = try r.u32()
            let length = try r.u8()
            let position = try r.u8()
            return .bitfield(type, length: length, position: position)
        case L.methodList:
            var types: [TypeIndex] = []
            while r.remaining >= 8 {
                let attributes = try r.u16()
                try r.skip(2)
                types.append(try r.u32())
                let property = (attributes >> 2) & 7
                if property == 4 || property == 6 { try r.skip(4) }
            }
            return .methodList(types)
        case L.functionID:
            let scope = try r.u32()
            let type = try r.u32()
            return .functionID(scope: scope, type: type, name: r.cString())
        case L.memberFunctionID:
            let parent = try r.u32()
            let type = try r.u32()
            return .memberFunctionID(parent: parent, type: type, name: r.cString())
        case L.stringID:
            _ = try r.u32()
            return .stringID(r.cString())
        case L.vtableShape:
            return .vtableShape(count: Int(try r.u16()))
        default:
            return .other(kind: kind)
        }
    }

    private static func parseFieldList(_ r: inout RecordReader) throws(PDBError) -> [FieldMember] {
        typealias L = TypeLeafKind
        var members: [FieldMember] = []
        while r.remaining >= 2 {
            // Padding bytes (LF_PAD0..LF_PAD15: 0xf0..0xff) align each member.
            if r.bytes[r.position] >= 0xf0 {
                try r.skip(Int(r.bytes[r.position] & 0x0f).clamped(min: 1, max: r.remaining))
                continue
            }
            let leaf = try r.u16()
            switch leaf {
            case L.member:
                let attributes = try r.u16()
                let type = try r.u32()
                let offset = try r.numeric()
                members.append(
                    .member(
                        name: r.cString(), type: type, offset: offset.bits, access: attributes & 3))
            case L.staticMember:
                _ = try r.u16()
                let type = try r.u32()
                members.append(.staticMember(name: r.cString(), type: type))
            case L.baseClass:
                _ = try r.u16()
                let type = try r.u32()
                members.append(.baseClass(type: type, offset: try r.numeric().bits))
            case L.virtualBaseClass, L.indirectVirtualBaseClass:
                _ = try r.u16()
                let type = try r.u32()
                _ = try r.u32()
                _ = try r.numeric()
                _ = try r.numeric()
                members.append(
                    .virtualBaseClass(type: type, isIndirect: leaf == L.indirectVirtualBaseClass))
            case L.enumerate:
                _ = try r.u16()
                let value = try r.numeric()
                members.append(.enumerator(name: r.cString(), value: value))
            case L.nestedType:
                try r.skip(2)
                let type = try r.u32()
                members.append(.nestedType(name: r.cString(), type: type))
            case L.method:
                let count = Int(try r.u16())
                let list = try r.u32()
                members.append(.method(name: r.cString(), count: count, methodList: list))
            case L.oneMethod:
                let attributes = try r.u16()
                let type = try r.u32()
                let property = (attributes >> 2) & 7
                if property == 4 || property == 6 { _ = try r.u32() }
                members.append(.oneMethod(name: r.cString(), type: type, attributes: attributes))
            case L.virtualFunctionTable:
                try r.skip(2)
                members.append(.virtualFunctionTable(try r.u32()))
            case L.index:
                try r.skip(2)
                members.append(.continuation(try r.u32()))
            default:
                // An unknown member kind has an unknown length: stop rather than misread.
                return members
            }
        }
        return members
    }
}

extension Int {
    func clamped(min low: Int, max high: Int) -> Int {
        Swift.max(low, Swift.min(self, high))
    }
}
