/// What a type is, with modifiers stripped and forward references resolved: the questions
/// `dt`, `dv`, `??` and parameter lists ask.
public enum TypeShape: Sendable, Hashable {
    case void
    case base(SimpleType)
    /// `size` is the pointer's own size; `isReference` for `&` and `&&`.
    case pointer(to: TypeIndex, size: Int, isReference: Bool)
    case array(of: TypeIndex, count: UInt64, byteSize: UInt64)
    case userDefined(UserDefinedType, index: TypeIndex)
    case enumeration(EnumerationType, index: TypeIndex)
    case function(ProcedureType)
    case bitfield(of: TypeIndex, length: Int, position: Int)
    case unknown
}

/// A data member as `dt` lists it, with base-class members flattened in.
public struct TypeMember: Sendable, Hashable {
    public var name: String
    public var type: TypeIndex
    public var offset: UInt64
    /// Bit position and width for bitfields.
    public var bitPosition: Int?
    public var bitLength: Int?
    public var isStatic: Bool
    /// The class that declares the member (a base class for inherited members).
    public var declaringType: String = ""
}

/// The types of one PDB: names, sizes, members, lookups by name. Records are read as needed.
public struct TypeCatalog: Sendable {
    let file: PDBFile

    /// Guards against cyclic or absurdly deep type graphs from a hostile file.
    static let maximumDepth = 64

    func record(_ index: TypeIndex) -> TypeRecord? {
        guard index >= 0x1000 else { return nil }
        return try? file.types.record(index)
    }

    /// The definition for a forward reference (by unique name, then name); `index` itself
    /// when it is not one or no definition exists.
    public func resolved(_ index: TypeIndex) -> TypeIndex {
        if let known = file.resolvedTypes.withLock({ $0[index] }) { return known }
        let result = resolveUncached(index)
        file.resolvedTypes.withLock { cache in
            if cache.count > 100_000 { cache.removeAll() }
            cache[index] = result
        }
        return result
    }

    private func resolveUncached(_ index: TypeIndex) -> TypeIndex {
        switch record(index) {
        case .userDefined(let type)? where type.isForwardReference:
            return definition(named: type.name, uniqueName: type.uniqueName) ?? index
        case .enumeration(let type)? where type.isForwardReference:
            return definition(named: type.name, uniqueName: type.uniqueName) ?? index
        default:
            return index
        }
    }

    /// The type under any `const`/`volatile` modifiers.
    public func unmodified(_ index: TypeIndex) -> TypeIndex {
        var current = index
        for _ in 0..<Self.maximumDepth {
            guard case .modifier(let inner, _, _)? = record(current) else { return current }
            current = inner
        }
        return current
    }

    public func shape(of index: TypeIndex) -> TypeShape {
        let index = resolved(unmodified(index))
        if let simple = SimpleType(index) {
            if simple.isPointer {
                return .pointer(
                    to: simple.directIndex, size: simple.pointerSize, isReference: false)
            }
            return simple.encoding == .void ? .void : .base(simple)
        }
        switch record(index) {
        case .pointer(let pointer)?:
            return .pointer(
                to: pointer.referent, size: pointer.size,
                isReference: pointer.mode == .lvalueReference || pointer.mode == .rvalueReference)
        case .array(let element, _, let size, _)?:
            let elementSize = self.size(of: element) ?? 0
            return .array(
                of: element, count: elementSize == 0 ? 0 : size / elementSize, byteSize: size)
        case .userDefined(let type)?:
            return .userDefined(type, index: index)
        case .enumeration(let type)?:
            return .enumeration(type, index: index)
        case .procedure(let procedure)?:
            return .function(procedure)
        case .bitfield(let type, let length, let position)?:
            return .bitfield(of: type, length: Int(length), position: Int(position))
        default:
            return .unknown
        }
    }

    /// Size in bytes, when known.
    public func size(of index: TypeIndex, depth: Int = 0) -> UInt64? {
        guard depth < Self.maximumDepth else { return nil }
        switch shape(of: index) {
        case .void: return 0
        case .base(let simple): return UInt64(simple.size)
        case .pointer(_, let size, _): return UInt64(size)
        case .array(_, _, let byteSize): return byteSize
        case .userDefined(let type, _): return type.size
        case .enumeration(let type, _): return size(of: type.underlyingType, depth: depth + 1)
        case .bitfield(let type, _, _): return size(of: type, depth: depth + 1)
        case .function, .unknown: return nil
        }
    }

    /// The C++ name (`int`, `char *`, `struct _FOO *`, `unsigned long [10]`), as `??`, `dv /t`
    /// and parameter lists print it.
    public func name(of index: TypeIndex) -> String {
        let (prefix, suffix) = nameParts(index, depth: 0)
        return suffix.isEmpty ? prefix : prefix + " " + suffix
    }

    private func nameParts(_ index: TypeIndex, depth: Int) -> (String, String) {
        guard depth < Self.maximumDepth else { return ("<recursion>", "") }
        if let simple = SimpleType(index) {
            if simple.isPointer {
                return (SimpleType(simple.directIndex)?.cName ?? "void", "*")
            }
            return (simple.cName, "")
        }
        switch record(index) {
        case .modifier(let inner, _, _)?:
            return nameParts(inner, depth: depth + 1)
        case .pointer(let pointer)?:
            let (prefix, suffix) = nameParts(pointer.referent, depth: depth + 1)
            let mark =
                pointer.mode == .lvalueReference
                ? "&" : pointer.mode == .rvalueReference ? "&&" : "*"
            if case .procedure? = record(unmodified(pointer.referent)) {
                return (prefix, "(" + mark + ")" + suffix)
            }
            return (prefix, suffix.isEmpty ? mark : suffix + mark)
        case .array(let element, _, let size, _)?:
            let (prefix, suffix) = nameParts(element, depth: depth + 1)
            let elementSize = self.size(of: element) ?? 0
            let count = elementSize == 0 ? 0 : size / elementSize
            return (prefix, suffix + "[\(count)]")
        case .userDefined(let type)?:
            let keyword =
                switch type.kind {
                case .classType: "class"
                case .structure: "struct"
                case .union: "union"
                case .interface: "interface"
                }
            return ("\(keyword) \(type.name)", "")
        case .enumeration(let type)?:
            return ("enum \(type.name)", "")
        case .procedure(let procedure)?:
            return (
                name(of: procedure.returnType),
                "(" + parameterTypes(procedure).map(name(of:)).joined(separator: ", ") + ")"
            )
        case .bitfield(let type, _, _)?:
            return nameParts(type, depth: depth + 1)
        default:
            return ("<type \(String(index, radix: 16))>", "")
        }
    }

    /// The parameter types of a function type (without `this`).
    public func parameterTypes(_ procedure: ProcedureType) -> [TypeIndex] {
        guard case .argumentList(let types)? = record(procedure.argumentList) else { return [] }
        // A lone `void` means no parameters; a trailing T_NOTYPE marks `...`.
        if types == [0x0003] { return [] }
        return types
    }

    /// The name `dt` prints for a member of this type (`Int4B`, `Ptr64 _LIST_ENTRY`,
    /// `[10] UChar`, `_FOO`).
    public func dtName(of index: TypeIndex, pointerSize: Int, depth: Int = 0) -> String {
        guard depth < Self.maximumDepth else { return "<recursion>" }
        let unmodifiedIndex = unmodified(index)
        if let simple = SimpleType(unmodifiedIndex), simple.isPointer {
            let target = SimpleType(simple.directIndex)?.dtName ?? "Void"
            return "Ptr\(simple.pointerSize * 8) \(target)"
        }
        switch shape(of: index) {
        case .void: return "Void"
        case .base(let simple): return simple.dtName
        case .pointer(let target, let size, _):
            if case .vtableShape? = record(target) { return "Ptr\(size * 8) " }
            if case .function(let procedure) = shape(of: target) {
                return "Ptr\(size * 8)     "
                    + dtName(of: procedure.returnType, pointerSize: pointerSize, depth: depth + 1)
                    + " "
            }
            return "Ptr\(size * 8) "
                + dtName(of: target, pointerSize: pointerSize, depth: depth + 1)
        case .array(let element, let count, _):
            return "[\(count)] " + dtName(of: element, pointerSize: pointerSize, depth: depth + 1)
        case .userDefined(let type, _): return type.name
        case .enumeration(let type, _): return type.name
        case .function(let procedure):
            return dtName(of: procedure.returnType, pointerSize: pointerSize, depth: depth + 1)
        case .bitfield(_, let length, let position):
            return "Pos \(position), \(length) Bit" + (length == 1 ? "" : "s")
        case .unknown: return "<unknown type \(String(index, radix: 16))>"
        }
    }

    /// Every entry of a field list, following `LF_INDEX` continuations.
    public func fieldList(_ index: TypeIndex) -> [FieldMember] {
        var result: [FieldMember] = []
        var next: TypeIndex? = index
        var seen = Set<TypeIndex>()
        while let current = next, seen.insert(current).inserted, seen.count < 10_000 {
            next = nil
            guard case .fieldList(let members)? = record(current) else { break }
            for member in members {
                if case .continuation(let more) = member {
                    next = more
                } else {
                    result.append(member)
                }
            }
        }
        return result
    }

    /// Data members of a class, structure or union in declaration order, base-class members
    /// first (at their offsets in the derived object).
    public func members(of index: TypeIndex) -> [TypeMember] {
        var result: [TypeMember] = []
        collectMembers(of: index, baseOffset: 0, depth: 0, into: &result)
        return result
    }

    private func collectMembers(
        of index: TypeIndex, baseOffset: UInt64, depth: Int, into result: inout [TypeMember]
    ) {
        guard depth < 16, case .userDefined(let type, _) = shape(of: index) else { return }
        let start = result.count
        defer {
            for position in start..<result.count where result[position].declaringType.isEmpty {
                result[position].declaringType = type.name
            }
        }
        for member in fieldList(type.fieldList) {
            switch member {
            case .baseClass(let base, let offset):
                collectMembers(
                    of: base, baseOffset: baseOffset &+ offset, depth: depth + 1, into: &result)
            case .virtualFunctionTable(let table):
                result.append(
                    TypeMember(
                        name: "__VFN_table", type: table, offset: baseOffset, bitPosition: nil,
                        bitLength: nil, isStatic: false))
            case .member(let name, let memberType, let offset, _):
                var entry = TypeMember(
                    name: name, type: memberType, offset: baseOffset &+ offset, bitPosition: nil,
                    bitLength: nil, isStatic: false)
                if case .bitfield(_, let length, let position)? = record(unmodified(memberType)) {
                    entry.bitPosition = Int(position)
                    entry.bitLength = Int(length)
                }
                result.append(entry)
            case .staticMember(let name, let memberType):
                result.append(
                    TypeMember(
                        name: name, type: memberType, offset: 0, bitPosition: nil, bitLength: nil,
                        isStatic: true))
            default:
                break
            }
        }
    }

    /// The enumerators of an enum, in declaration order.
    public func enumerators(of type: EnumerationType) -> [(name: String, value: NumericLeaf)] {
        fieldList(type.fieldList).compactMap {
            if case .enumerator(let name, let value) = $0 { return (name, value) }
            return nil
        }
    }

    /// The definition of a user-defined type named `name` (a struct, class, union or enum).
    /// Uses the TPI hash buckets, then the globals' `S_UDT` records, then (for scoped names the
    /// buckets do not index) a scan of the type stream.
    public func lookup(_ name: String) -> TypeIndex? {
        if let found = definition(named: name, uniqueName: nil) { return found }
        if let udt = try? file.globalUserDefinedType(named: name) {
            let resolvedIndex = resolved(udt)
            return resolvedIndex
        }
        return scanForDefinition(named: name)
    }

    func definition(named name: String, uniqueName: String?) -> TypeIndex? {
        guard let types = try? file.types else { return nil }
        var caseInsensitiveMatch: TypeIndex?
        for key in [uniqueName, name].compactMap({ $0 }) {
            for candidate in types.candidates(named: key) {
                guard let (candidateName, candidateUnique, isForward) = definitionNames(candidate),
                    !isForward
                else { continue }
                if let uniqueName, candidateUnique == uniqueName { return candidate }
                if candidateName == name { return candidate }
                if caseInsensitiveMatch == nil, candidateName.lowercased() == name.lowercased() {
                    caseInsensitiveMatch = candidate
                }
            }
        }
        return caseInsensitiveMatch
    }

    private func definitionNames(_ index: TypeIndex) -> (String, String?, Bool)? {
        switch record(index) {
        case .userDefined(let type)?: (type.name, type.uniqueName, type.isForwardReference)
        case .enumeration(let type)?: (type.name, type.uniqueName, type.isForwardReference)
        default: nil
        }
    }

    private func scanForDefinition(named name: String) -> TypeIndex? {
        guard let types = try? file.types else { return nil }
        let wanted = Array(name.lowercased().utf8)
        var found: TypeIndex?
        try? types.forEachRecord { index, kind, payload in
            guard TypeLeafKind.userDefined.contains(kind),
                let recordName = Self.definitionName(kind: kind, payload: payload),
                recordName.count == wanted.count,
                zip(recordName, wanted).allSatisfy({ Self.lower($0) == $1 })
            else { return true }
            if case .userDefined(let type)? = record(index), type.isForwardReference { return true }
            if case .enumeration(let type)? = record(index), type.isForwardReference { return true }
            found = index
            return false
        }
        return found
    }

    /// Names of user-defined types matching `pattern`, with their indices (definitions only).
    public func definitions(matching pattern: SymbolPattern, limit: Int = 10_000) -> [(
        String, TypeIndex
    )] {
        guard let types = try? file.types else { return [] }
        var result: [(String, TypeIndex)] = []
        var seen = Set<String>()
        try? types.forEachRecord { index, kind, payload in
            guard TypeLeafKind.userDefined.contains(kind),
                let bytes = Self.definitionName(kind: kind, payload: payload)
            else { return true }
            let name = String(decoding: bytes, as: UTF8.self)
            guard pattern.matches(name), !seen.contains(name) else { return true }
            switch record(index) {
            case .userDefined(let type)? where !type.isForwardReference: break
            case .enumeration(let type)? where !type.isForwardReference: break
            default: return true
            }
            seen.insert(name)
            result.append((name, index))
            return result.count < limit
        }
        return result
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte
    }

    /// The name bytes of a class/struct/union/enum record without decoding the rest.
    static func definitionName(kind: UInt16, payload: UnsafeRawBufferPointer) -> [UInt8]? {
        var reader = RecordReader(payload) { "" }
        do {
            switch kind {
            case TypeLeafKind.union:
                try reader.skip(8)
                _ = try reader.numeric()
            case TypeLeafKind.enumeration:
                try reader.skip(12)
            default:
                try reader.skip(16)
                _ = try reader.numeric()
            }
        } catch { return nil }
        return Array(reader.cStringBytes())
    }
}

extension PDBFile {
    /// The type catalog of this PDB.
    public var typeCatalog: TypeCatalog { TypeCatalog(file: self) }

    /// The type of an `S_UDT` record named `name` in the globals.
    func globalUserDefinedType(named name: String) throws(PDBError) -> TypeIndex? {
        let records = try symbolRecords
        for offset in try globals.candidates(for: name) {
            guard
                case (_, .userDefinedType(let type, let recordName))? = try? records.record(
                    at: Int(offset)),
                recordName == name
            else { continue }
            return type
        }
        return nil
    }
}
