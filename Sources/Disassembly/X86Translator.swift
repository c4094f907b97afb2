import CCapstone

/// Turns one Capstone x86/x64 instruction into an `Instruction` with CDB mnemonics and
/// structured operands. The operand *text* is produced later by `X86OperandFormatter`, because
/// it needs the caller's symbolizer.
///
/// Mnemonic rules (CDB differs from Capstone's Intel syntax here):
/// * string instructions drop the size letter and their implicit register operand:
///   `rep stos dword ptr es:[edi]`, `lods byte ptr [rsi]`, `movs qword ptr [rdi],qword ptr [rsi]`
///   (`ins`/`outs` keep `dx`); x64 shows no `es:`, as Capstone and CDB both omit it there;
/// * `int3` is `int 3`, `int1` is `int 1`, `movabs` is `mov`, `pushal`/`popal` are
///   `pushad`/`popad`, `ljmp`/`lcall` are `jmp`/`call` with a `0033:77c5271e` far pointer;
/// * `repz`/`repnz` print as `repe`/`repne`; `f3 c3` is `rep ret`.
struct X86Translator {
    let engine: CapstoneEngine
    let insn: UnsafeMutablePointer<cs_insn>
    let bytes: [UInt8]

    func translate() -> Instruction {
        let architecture = engine.architecture
        let address = insn.pointee.address
        let id = insn.pointee.id
        let detail = xcdb_x86(insn)
        let capstoneMnemonic = String(cString: xcdb_insn_mnemonic(insn))
        let capstoneOperands = String(cString: xcdb_insn_op_str(insn))

        let opcode0 = xcdb_x86_opcode(insn, 0)
        let stringBase = Self.stringInstructionBase(opcode0, xcdb_x86_opcode(insn, 1))
        let (prefixes, mnemonicBase) = cdbMnemonic(capstoneMnemonic, stringBase: stringBase)
        var base = mnemonicBase

        let flow = classifyFlow(id: id)
        let pieces = OperandText.splitTopLevel(capstoneOperands)
        let count = Int(detail.op_count)
        let vectorContext = (0..<count).contains { index in
            guard xcdb_x86_op_type(insn, UInt8(index)) == X86_OP_REG,
                let name = engine.registerName(xcdb_x86_op_reg(insn, UInt8(index)).rawValue)
            else { return false }
            return name.hasPrefix("xmm") || name.hasPrefix("ymm") || name.hasPrefix("zmm")
                || name.hasPrefix("mm")
        }

        var operands: [Operand] = []
        var firstMemory: MemoryOperand?
        var immediates: [(value: UInt64, size: Int)] = []
        for index in 0..<count {
            let slot = UInt8(index)
            let size = Int(xcdb_x86_op_size(insn, slot))
            switch xcdb_x86_op_type(insn, slot) {
            case X86_OP_REG:
                let name = engine.registerName(xcdb_x86_op_reg(insn, slot).rawValue) ?? "?"
                if stringBase != nil, stringBase != "ins", stringBase != "outs" { continue }
                operands.append(.register(name))
            case X86_OP_IMM:
                let raw = UInt64(bitPattern: xcdb_x86_op_imm(insn, slot))
                let value = size > 0 && size < 8 ? raw & ((1 << UInt64(size * 8)) - 1) : raw
                immediates.append((value, size))
                if engine.inGroup(CS_GRP_BRANCH_RELATIVE) {
                    operands.append(.branchTarget(raw & architecture.addressMask))
                } else {
                    let encoded = Int(detail.encoding.imm_size)
                    operands.append(
                        .immediate(
                            value, size: size,
                            encodedSize: (1...8).contains(encoded) ? encoded : 0))
                }
            case X86_OP_MEM:
                let piece = index < pieces.count ? pieces[index] : ""
                var memory = makeMemoryOperand(
                    xcdb_x86_op_mem(insn, slot), size: size, piece: piece, id: id,
                    isStringDestination: stringBase != nil && index == 0 && opcode0 != 0xA6
                        && opcode0 != 0xA7,
                    vectorContext: vectorContext, detail: detail)
                memory.isWritten =
                    memory.accessesMemory
                    && Self.writes(
                        access: xcdb_x86_op_access(insn, slot), operandIndex: index,
                        operandCount: count, id: id, mnemonic: mnemonicBase)
                if firstMemory == nil { firstMemory = memory }
                operands.append(.memory(memory))
            default:
                break
            }
        }

        // Far pointers (`ljmp 0x33:0x776e271e`) come as two immediates.
        if id == X86_INS_LJMP.rawValue || id == X86_INS_LCALL.rawValue, immediates.count == 2 {
            operands = [
                .farPointer(
                    selector: UInt16(truncatingIfNeeded: immediates[0].value),
                    offset: immediates[1].value)
            ]
        } else if pieces.count != count, stringBase == nil {
            // Decorations Capstone prints outside its operand list ({k1}, {1to8}, {sae}):
            // keep its text, restyled.
            operands =
                capstoneOperands.isEmpty ? [] : [.text(OperandText.cdbStyle(capstoneOperands))]
        }

        if id == X86_INS_INT3.rawValue {
            base = "int"
            operands = [.immediate(3, size: 1, encodedSize: 0)]
        } else if id == X86_INS_INT1.rawValue {
            base = "int"
            operands = [.immediate(1, size: 1, encodedSize: 0)]
        }

        let mnemonic = (prefixes + [base]).joined(separator: " ")
        var branchTarget: UInt64?
        if flow == .call || flow == .jump || flow == .conditionalJump {
            for case .branchTarget(let target) in operands { branchTarget = target }
        }
        return Instruction(
            architecture: architecture, address: address, bytes: bytes, mnemonic: mnemonic,
            operands: "", operandList: operands, flow: flow, branchTarget: branchTarget,
            memoryOperand: firstMemory, status: .valid)
    }

    /// Capstone's mnemonic (`rep stosd`, `repz cmpsb`, `movabs`) as CDB prints it, split into
    /// prefix words and the mnemonic proper.
    private func cdbMnemonic(
        _ capstoneMnemonic: String, stringBase: String?
    ) -> (prefixes: [String], base: String) {
        var words = capstoneMnemonic.split(separator: " ").map(String.init)
        var base = words.popLast() ?? capstoneMnemonic
        var prefixes = words.map { word in
            switch word {
            case "repz": "repe"
            case "repnz": "repne"
            default: word
            }
        }
        if let stringBase { base = stringBase }
        let opcode0 = xcdb_x86_opcode(insn, 0)
        if opcode0 == 0xC3 || opcode0 == 0xC2, prefixes.isEmpty, bytes.first == 0xF3 {
            prefixes = ["rep"]
        }
        switch base {
        case "movabs": base = "mov"
        case "pushal": base = "pushad"
        case "popal": base = "popad"
        case "ljmp": base = "jmp"
        case "lcall": base = "call"
        default: break
        }
        return (prefixes, base)
    }

    private func classifyFlow(id: UInt32) -> ControlFlow {
        if engine.inGroup(CS_GRP_CALL) { return .call }
        if engine.inGroup(CS_GRP_RET) || engine.inGroup(CS_GRP_IRET) { return .return }
        // Capstone 4 leaves `loop`/`loope`/`loopne` out of the jump group.
        let loops = [X86_INS_LOOP.rawValue, X86_INS_LOOPE.rawValue, X86_INS_LOOPNE.rawValue]
        if engine.inGroup(CS_GRP_JUMP) || loops.contains(id) {
            return id == X86_INS_JMP.rawValue || id == X86_INS_LJMP.rawValue
                ? .jump : .conditionalJump
        }
        if engine.inGroup(CS_GRP_INT) { return .interrupt }
        return .sequential
    }

    private func makeMemoryOperand(
        _ mem: x86_op_mem, size: Int, piece: String, id: UInt32, isStringDestination: Bool,
        vectorContext: Bool, detail: cs_x86
    ) -> MemoryOperand {
        let architecture = engine.architecture
        let is64BitMode = architecture == .x64
        var segmentOverride = engine.registerName(mem.segment.rawValue)
        // In 64-bit mode cs/ds/es/ss overrides have no effect; Capstone still reports some.
        // Keep them only where Capstone prints them (`nop word ptr cs:[rax+rax]`).
        if is64BitMode, let segment = segmentOverride, segment != "fs", segment != "gs",
            OperandText.find(Array((segment + ":").utf8), in: Array(piece.utf8)) == nil
        {
            segmentOverride = nil
        }
        let base = engine.registerName(mem.base.rawValue)
        let index = engine.registerName(mem.index.rawValue)
        let addressSize = Int(detail.addr_size)
        let addressMask: UInt64 =
            addressSize >= 8 ? .max : (addressSize == 2 ? 0xFFFF : 0xFFFF_FFFF)

        var absolute: UInt64?
        if base == "rip" || base == "eip" {
            let next = insn.pointee.address &+ UInt64(insn.pointee.size)
            absolute = (next &+ UInt64(bitPattern: mem.disp)) & addressMask
        } else if base == nil, index == nil {
            absolute = UInt64(bitPattern: mem.disp) & addressMask
        }

        var keyword: String?
        if let word = OperandText.sizeKeyword(piece) {
            switch word {
            case "xword": keyword = "tbyte"
            case "qword" where vectorContext && !Self.integerVectorInstructions.contains(id):
                keyword = "mmword"
            default: keyword = word
            }
        }

        let defaultSegment: String
        if let segmentOverride {
            defaultSegment = segmentOverride
        } else if let base, Self.stackRegisters.contains(base) {
            defaultSegment = "ss"
        } else if isStringDestination {
            defaultSegment = "es"
        } else {
            defaultSegment = "ds"
        }
        let touchesMemory =
            !(id == X86_INS_LEA.rawValue || id == X86_INS_NOP.rawValue
            || Self.prefetchInstructions.contains(id))

        return MemoryOperand(
            segmentOverride: segmentOverride, segment: defaultSegment, base: base, index: index,
            scale: Int(mem.scale), displacement: mem.disp, size: size > 0 ? size : nil,
            sizeKeyword: keyword, addressSize: addressSize, absoluteAddress: absolute,
            accessesMemory: touchesMemory)
    }

    /// Whether an operand is written: Capstone's access flags (CS_AC_WRITE), except that
    /// Capstone 4 marks SSE/AVX stores (`movups [rax],xmm0`) as reads, so a move's first
    /// operand is always its destination; where the flags are empty, a first operand of an
    /// instruction that is not a comparison.
    static func writes(
        access: UInt8, operandIndex: Int, operandCount: Int, id: UInt32, mnemonic: String
    ) -> Bool {
        if operandIndex == 0, operandCount >= 2,
            mnemonic.hasPrefix("mov") || mnemonic.hasPrefix("vmov")
        {
            return true
        }
        if access != 0 { return access & 2 != 0 }
        return operandIndex == 0 && operandCount >= 2 && !readOnlyDestinations.contains(id)
    }

    /// Two-operand instructions that only read their first operand.
    private static let readOnlyDestinations: Set<UInt32> = [
        X86_INS_CMP.rawValue, X86_INS_TEST.rawValue, X86_INS_BT.rawValue,
        X86_INS_UCOMISS.rawValue, X86_INS_UCOMISD.rawValue, X86_INS_COMISS.rawValue,
        X86_INS_COMISD.rawValue, X86_INS_PTEST.rawValue, X86_INS_VPTEST.rawValue,
    ]

    /// Instructions whose 8-byte memory operand is an integer even beside an XMM register,
    /// so it stays `qword ptr` rather than `mmword ptr`.
    private static let integerVectorInstructions: Set<UInt32> = [
        X86_INS_CVTSI2SD.rawValue, X86_INS_CVTSI2SS.rawValue, X86_INS_VCVTSI2SD.rawValue,
        X86_INS_VCVTSI2SS.rawValue, X86_INS_PINSRQ.rawValue, X86_INS_VPINSRQ.rawValue,
        X86_INS_PEXTRQ.rawValue, X86_INS_VPEXTRQ.rawValue,
    ]

    private static let stackRegisters: Set<String> = ["esp", "ebp", "rsp", "rbp", "sp", "bp"]

    private static let prefetchInstructions: Set<UInt32> = [
        X86_INS_PREFETCH.rawValue, X86_INS_PREFETCHNTA.rawValue, X86_INS_PREFETCHT0.rawValue,
        X86_INS_PREFETCHT1.rawValue, X86_INS_PREFETCHT2.rawValue, X86_INS_PREFETCHW.rawValue,
    ]

    /// CDB's size-less name for a one-byte string instruction opcode, nil for other opcodes.
    static func stringInstructionBase(_ opcode0: UInt8, _ opcode1: UInt8) -> String? {
        guard opcode1 == 0 else { return nil }
        switch opcode0 {
        case 0xA4, 0xA5: return "movs"
        case 0xA6, 0xA7: return "cmps"
        case 0xAA, 0xAB: return "stos"
        case 0xAC, 0xAD: return "lods"
        case 0xAE, 0xAF: return "scas"
        case 0x6C, 0x6D: return "ins"
        case 0x6E, 0x6F: return "outs"
        default: return nil
        }
    }
}
