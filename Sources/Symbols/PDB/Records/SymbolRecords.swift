/// A procedure (`S_GPROC32`, `S_LPROC32` and their `_ID` forms) in a module's symbols.
public struct ProcedureSymbol: Sendable, Hashable {
    public var name: String
    public var section: UInt16
    public var offset: UInt32
    public var codeSize: UInt32
    /// Offsets of the end of the prolog and the start of the epilog, from the start.
    public var debugStart: UInt32
    public var debugEnd: UInt32
    /// The function type (TPI) or, for the `_ID` forms, the function id (IPI).
    public var typeIndex: UInt32
    public var typeIsID: Bool
    public var isGlobal: Bool
    /// Byte offset of the record in the module stream, and of its `S_END`.
    public var recordOffset: Int
    public var endOffset: Int
}

/// A data symbol (`S_GDATA32`, `S_LDATA32`, thread-local forms).
public struct DataSymbol: Sendable, Hashable {
    public var name: String
    public var typeIndex: UInt32
    public var section: UInt16
    public var offset: UInt32
    public var isGlobal: Bool
    public var isThreadLocal: Bool
}

/// A public symbol (`S_PUB32`): a linker-visible (often decorated) name and its address.
public struct PublicSymbol: Sendable, Hashable {
    public var name: String
    public var section: UInt16
    public var offset: UInt32
    public var isFunction: Bool
}

/// Where a procedure's full record is: the `S_PROCREF` entries of the globals stream.
struct ProcedureReference: Sendable, Hashable {
    var name: String
    /// 0-based module index.
    var moduleIndex: Int
    var recordOffset: Int
    var isLocal: Bool
}

/// The parsed payload of one symbol record (after the length and kind).
enum SymbolRecord {
    case procedure(ProcedureSymbol)
    case block(parent: UInt32, end: UInt32, codeSize: UInt32, offset: UInt32, section: UInt16)
    case scopeEnd
    case frameProcedure(FrameProcedure)
    case registerRelative(offset: Int32, typeIndex: UInt32, register: UInt16, name: String)
    case basePointerRelative(offset: Int32, typeIndex: UInt32, name: String)
    case register(typeIndex: UInt32, register: UInt16, name: String)
    case local(typeIndex: UInt32, flags: UInt16, name: String)
    case defRange(DefRangeRecord)
    case data(DataSymbol)
    case userDefinedType(typeIndex: UInt32, name: String)
    case constant(typeIndex: UInt32, value: NumericLeaf, name: String)
    case publicSymbol(PublicSymbol)
    case procedureReference(ProcedureReference)
    case thunk(end: UInt32, offset: UInt32, section: UInt16, length: UInt16, name: String)
    case label(offset: UInt32, section: UInt16, name: String)
    case other

    /// Parses one record. `payload` is the bytes after the kind field; `recordOffset` is where
    /// the record starts in its stream (for procedures, to find their children).
    static func parse(
        kind: UInt16, payload: UnsafeRawBufferPointer, recordOffset: Int,
        label: @escaping () -> String
    ) throws(PDBError) -> SymbolRecord {
        var r = RecordReader(payload, label: label)
        typealias K = SymbolRecordKind
        switch kind {
        case _ where K.procedures.contains(kind):
            _ = try r.u32()  // parent
            let end = try r.u32()
            _ = try r.u32()  // next
            let codeSize = try r.u32()
            let debugStart = try r.u32()
            let debugEnd = try r.u32()
            let type = try r.u32()
            let offset = try r.u32()
            let section = try r.u16()
            _ = try r.u8()  // flags
            let name = r.cString()
            return .procedure(
                ProcedureSymbol(
                    name: name, section: section, offset: offset, codeSize: codeSize,
                    debugStart: debugStart, debugEnd: debugEnd, typeIndex: type,
                    typeIsID: kind == K.globalProcedure32ID || kind == K.localProcedure32ID
                        || kind == K.localProcedure32DPCID,
                    isGlobal: kind == K.globalProcedure32 || kind == K.globalProcedure32ID,
                    recordOffset: recordOffset, endOffset: Int(end)))
        case K.block32:
            let parent = try r.u32()
            let end = try r.u32()
            let size = try r.u32()
            let offset = try r.u32()
            let section = try r.u16()
            return .block(
                parent: parent, end: end, codeSize: size, offset: offset, section: section)
        case _ where K.scopeEnds.contains(kind):
            return .scopeEnd
        case K.frameProcedure:
            return .frameProcedure(try FrameProcedure(&r))
        case K.registerRelative32:
            let offset = try r.i32()
            let type = try r.u32()
            let register = try r.u16()
            return .registerRelative(
                offset: offset, typeIndex: type, register: register, name: r.cString())
        case K.basePointerRelative32:
            let offset = try r.i32()
            let type = try r.u32()
            return .basePointerRelative(offset: offset, typeIndex: type, name: r.cString())
        case K.register:
            let type = try r.u32()
            let register = try r.u16()
            return .register(typeIndex: type, register: register, name: r.cString())
        case K.local:
            let type = try r.u32()
            let flags = try r.u16()
            return .local(typeIndex: type, flags: flags, name: r.cString())
        case K.defRangeRegister, K.defRangeFramePointerRelative, K.defRangeSubfieldRegister,
            K.defRangeFramePointerRelativeFullScope, K.defRangeRegisterRelative:
            return .defRange(try DefRangeRecord(kind: kind, &r))
        case K.globalData32, K.localData32, K.globalThread32, K.localThread32:
            let type = try r.u32()
            let offset = try r.u32()
            let section = try r.u16()
            return .data(
                DataSymbol(
                    name: r.cString(), typeIndex: type, section: section, offset: offset,
                    isGlobal: kind == K.globalData32 || kind == K.globalThread32,
                    isThreadLocal: kind == K.globalThread32 || kind == K.localThread32))
        case K.userDefinedType:
            let type = try r.u32()
            return .userDefinedType(typeIndex: type, name: r.cString())
        case K.constant:
            let type = try r.u32()
            let value = try r.numeric()
            return .constant(typeIndex: type, value: value, name: r.cString())
        case K.public32:
            let flags = try r.u32()
            let offset = try r.u32()
            let section = try r.u16()
            return .publicSymbol(
                PublicSymbol(
                    name: r.cString(), section: section, offset: offset,
                    isFunction: flags & 0x2 != 0))
        case K.procedureReference, K.localProcedureReference:
            _ = try r.u32()  // checksum of the name
            let offset = Int(try r.u32())
            let module = Int(try r.u16())
            return .procedureReference(
                ProcedureReference(
                    name: r.cString(), moduleIndex: module - 1, recordOffset: offset,
                    isLocal: kind == K.localProcedureReference))
        case K.thunk32:
            _ = try r.u32()
            let end = try r.u32()
            _ = try r.u32()
            let offset = try r.u32()
            let section = try r.u16()
            let length = try r.u16()
            _ = try r.u8()
            return .thunk(
                end: end, offset: offset, section: section, length: length, name: r.cString())
        case K.label32:
            let offset = try r.u32()
            let section = try r.u16()
            _ = try r.u8()
            return .label(offset: offset, section: section, name: r.cString())
        default:
            return .other
        }
    }
}

/// `S_FRAMEPROC`: the frame layout of the enclosing procedure, in particular which register
/// frame-relative locals and parameters are based on.
public struct FrameProcedure: Sendable, Hashable {
    public var totalFrameBytes: UInt32
    public var paddingBytes: UInt32
    public var calleeSavedBytes: UInt32
    public var flags: UInt32

    init(_ r: inout RecordReader) throws(PDBError) {
        totalFrameBytes = try r.u32()
        paddingBytes = try r.u32()
        _ = try r.u32()  // offset of padding
        calleeSavedBytes = try r.u32()
        _ = try r.u32()  // exception handler offset
        _ = try r.u16()  // exception handler section
        flags = try r.u32()
    }

    /// The encoded frame-pointer register for locals (0 none, 1 SP/VFRAME, 2 BP, 3 R13/EBX).
    public var localBasePointer: Int { Int((flags >> 14) & 3) }
    /// The same for parameters.
    public var parameterBasePointer: Int { Int((flags >> 16) & 3) }
}

/// One `S_DEFRANGE_*` record: where the preceding `S_LOCAL` lives over some code ranges.
public struct DefRangeRecord: Sendable, Hashable {
    public enum Location: Sendable, Hashable {
        /// In a register.
        case register(UInt16)
        /// At `offset` from the frame pointer `S_FRAMEPROC` names.
        case framePointerRelative(Int32)
        /// Part of an aggregate in a register: `offsetInParent` bytes into the variable.
        case subfieldRegister(UInt16, offsetInParent: UInt32)
        /// At `offset` from the frame pointer, for the whole scope.
        case framePointerRelativeFullScope(Int32)
        /// At `offset` from `register`.
        case registerRelative(UInt16, offset: Int32)
    }

    public var location: Location
    /// Start of the range (section-relative) and its length; nil for full-scope records.
    public var rangeSection: UInt16
    public var rangeOffset: UInt32
    public var rangeLength: UInt16
    public var isFullScope: Bool
    /// Holes in the range: (offset from the range start, length).
    public var gaps: [(UInt16, UInt16)]

    public static func == (lhs: DefRangeRecord, rhs: DefRangeRecord) -> Bool {
        lhs.location == rhs.location && lhs.rangeOffset == rhs.rangeOffset
            && lhs.rangeSection == rhs.rangeSection && lhs.rangeLength == rhs.rangeLength
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(location)
        hasher.combine(rangeOffset)
    }

    init(kind: UInt16, _ r: inout RecordReader) throws(PDBError) {
        typealias K = SymbolRecordKind
        isFullScope = false
        switch kind {
        case K.defRangeRegister:
            let register = try r.u16()
            _ = try r.u16()
            location = .register(register)
        case K.defRangeFramePointerRelative:
            location = .framePointerRelative(try r.i32())
        case K.defRangeSubfieldRegister:
            let register = try r.u16()
            _ = try r.u16()
            location = .subfieldRegister(register, offsetInParent: try r.u32() & 0xfff)
        case K.defRangeFramePointerRelativeFullScope:
            location = .framePointerRelativeFullScope(try r.i32())
            isFullScope = true
            rangeSection = 0
            rangeOffset = 0
            rangeLength = 0
            gaps = []
            return
        default:
            let register = try r.u16()
            _ = try r.u16()  // flags
            location = .registerRelative(register, offset: try r.i32())
        }
        rangeOffset = try r.u32()
        rangeSection = try r.u16()
        rangeLength = try r.u16()
        var gaps: [(UInt16, UInt16)] = []
        while r.remaining >= 4 {
            gaps.append((try r.u16(), try r.u16()))
        }
        self.gaps = gaps
    }

    /// True when the section-relative `offset` lies in the range and not in a gap.
    public func covers(section: UInt16, offset: UInt32) -> Bool {
        if isFullScope { return true }
        guard section == rangeSection, offset >= rangeOffset,
            offset - rangeOffset < UInt32(rangeLength)
        else { return false }
        let within = offset - rangeOffset
        for (start, length) in gaps
        where within >= UInt32(start) && within - UInt32(start) < UInt32(length) {
            return false
        }
        return true
    }
}
