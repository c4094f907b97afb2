/// CodeView symbol record kinds (`SYM_ENUM_e` in Microsoft's cvinfo.h) that the reader uses.
enum SymbolRecordKind {
    static let end: UInt16 = 0x0006
    static let compile3: UInt16 = 0x113c
    static let objectName: UInt16 = 0x1101
    static let thunk32: UInt16 = 0x1102
    static let block32: UInt16 = 0x1103
    static let label32: UInt16 = 0x1105
    static let register: UInt16 = 0x1106
    static let constant: UInt16 = 0x1107
    static let userDefinedType: UInt16 = 0x1108
    static let basePointerRelative32: UInt16 = 0x110b
    static let localData32: UInt16 = 0x110c
    static let globalData32: UInt16 = 0x110d
    static let public32: UInt16 = 0x110e
    static let localProcedure32: UInt16 = 0x110f
    static let globalProcedure32: UInt16 = 0x1110
    static let registerRelative32: UInt16 = 0x1111
    static let localThread32: UInt16 = 0x1112
    static let globalThread32: UInt16 = 0x1113
    static let frameProcedure: UInt16 = 0x1012
    static let procedureReference: UInt16 = 0x1125
    static let dataReference: UInt16 = 0x1126
    static let localProcedureReference: UInt16 = 0x1127
    static let separatedCode: UInt16 = 0x1132
    static let local: UInt16 = 0x113e
    static let defRange: UInt16 = 0x113f
    static let defRangeSubfield: UInt16 = 0x1140
    static let defRangeRegister: UInt16 = 0x1141
    static let defRangeFramePointerRelative: UInt16 = 0x1142
    static let defRangeSubfieldRegister: UInt16 = 0x1143
    static let defRangeFramePointerRelativeFullScope: UInt16 = 0x1144
    static let defRangeRegisterRelative: UInt16 = 0x1145
    static let localProcedure32ID: UInt16 = 0x1146
    static let globalProcedure32ID: UInt16 = 0x1147
    static let inlineSite: UInt16 = 0x114d
    static let inlineSiteEnd: UInt16 = 0x114e
    static let procedureIDEnd: UInt16 = 0x114f
    static let localProcedure32DPC: UInt16 = 0x1155
    static let localProcedure32DPCID: UInt16 = 0x1156
    static let inlineSite2: UInt16 = 0x115d

    static let procedures: Set<UInt16> = [
        localProcedure32, globalProcedure32, localProcedure32ID, globalProcedure32ID,
        localProcedure32DPC, localProcedure32DPCID,
    ]
    /// Records that open a scope closed by `S_END` (or `S_PROC_ID_END`/`S_INLINESITE_END`).
    static let scopes: Set<UInt16> = procedures.union([
        block32, thunk32, inlineSite, inlineSite2, separatedCode,
    ])
    static let scopeEnds: Set<UInt16> = [end, procedureIDEnd, inlineSiteEnd]
}
