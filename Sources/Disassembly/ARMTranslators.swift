import CCapstone

/// ARM64 and ARM/Thumb keep Capstone's operand syntax (as the brief allows), made CDB-like:
/// no space after commas, `x29`/`x30` named `fp`/`lr` on ARM64 (as CDB names them), and direct
/// branch targets as `symbol (address)`.
enum ARMText {
    /// Restyles one Capstone operand.
    static func restyle(_ piece: String, arm64: Bool) -> String {
        let compact = piece.replacingAll(", ", with: ",")
        guard arm64 else { return compact }
        return renameWords(compact, ["x29": "fp", "x30": "lr"])
    }

    /// Replaces whole alphanumeric words.
    static func renameWords(_ text: String, _ names: [String: String]) -> String {
        var result = ""
        var word = ""
        func flush() {
            result += names[word] ?? word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// Operands from Capstone's text, with the last one replaced by a branch target when the
    /// instruction is a direct branch.
    static func operands(_ text: String, arm64: Bool, branchTarget: UInt64?) -> [Operand] {
        var pieces = OperandText.splitTopLevel(text).map { Operand.text(restyle($0, arm64: arm64)) }
        if let branchTarget, !pieces.isEmpty {
            pieces[pieces.count - 1] = .branchTarget(branchTarget)
        }
        return pieces
    }
}

/// Translates Capstone's AArch64 output.
struct ARM64Translator {
    let engine: CapstoneEngine
    let insn: UnsafeMutablePointer<cs_insn>
    let bytes: [UInt8]

    func translate() -> Instruction {
        let id = insn.pointee.id
        let detail = xcdb_arm64(insn)
        let count = Int(detail.op_count)
        let flow: ControlFlow
        var hasDirectTarget = false
        switch id {
        case ARM64_INS_BL.rawValue:
            flow = .call
            hasDirectTarget = true
        case ARM64_INS_BLR.rawValue:
            flow = .call
        case ARM64_INS_RET.rawValue, ARM64_INS_ERET.rawValue:
            flow = .return
        case ARM64_INS_B.rawValue:
            let unconditional = [ARM64_CC_INVALID, ARM64_CC_AL, ARM64_CC_NV].contains(detail.cc)
            flow = unconditional ? .jump : .conditionalJump
            hasDirectTarget = true
        case ARM64_INS_CBZ.rawValue, ARM64_INS_CBNZ.rawValue, ARM64_INS_TBZ.rawValue,
            ARM64_INS_TBNZ.rawValue:
            flow = .conditionalJump
            hasDirectTarget = true
        case ARM64_INS_BR.rawValue:
            flow = .jump
        case ARM64_INS_BRK.rawValue, ARM64_INS_SVC.rawValue, ARM64_INS_HVC.rawValue,
            ARM64_INS_SMC.rawValue, ARM64_INS_HLT.rawValue:
            flow = .interrupt
        default:
            flow = .sequential
        }
        var target: UInt64?
        var memory: MemoryOperand?
        for index in 0..<count {
            let slot = UInt8(index)
            switch xcdb_arm64_op_type(insn, slot) {
            case ARM64_OP_IMM where hasDirectTarget && index == count - 1:
                target = UInt64(bitPattern: xcdb_arm64_op_imm(insn, slot))
            case ARM64_OP_MEM where memory == nil:
                let mem = xcdb_arm64_op_mem(insn, slot)
                memory = MemoryOperand(
                    segmentOverride: nil, segment: nil,
                    base: engine.registerName(mem.base.rawValue).map(Self.cdbRegister),
                    index: engine.registerName(mem.index.rawValue).map(Self.cdbRegister),
                    scale: 1, displacement: Int64(mem.disp), size: nil, sizeKeyword: nil,
                    addressSize: 8, absoluteAddress: nil,
                    accessesMemory: id != ARM64_INS_PRFM.rawValue && id != ARM64_INS_PRFUM.rawValue)
            default:
                break
            }
        }
        let text = String(cString: xcdb_insn_op_str(insn))
        // Stores (`str`, `stp`, `stur`, `stm`...) write their memory operand.
        if memory != nil, String(cString: xcdb_insn_mnemonic(insn)).hasPrefix("st") {
            memory?.isWritten = true
        }
        return Instruction(
            architecture: .arm64, address: insn.pointee.address, bytes: bytes,
            mnemonic: String(cString: xcdb_insn_mnemonic(insn)), operands: "",
            operandList: ARMText.operands(text, arm64: true, branchTarget: target), flow: flow,
            branchTarget: target, memoryOperand: memory, status: .valid)
    }

    static func cdbRegister(_ name: String) -> String {
        switch name {
        case "x29": "fp"
        case "x30": "lr"
        default: name
        }
    }
}

/// Translates Capstone's A32 and Thumb output.
struct ARMTranslator {
    let engine: CapstoneEngine
    let insn: UnsafeMutablePointer<cs_insn>
    let bytes: [UInt8]

    func translate() -> Instruction {
        let id = insn.pointee.id
        let detail = xcdb_arm(insn)
        let count = Int(detail.op_count)
        let conditional = detail.cc != ARM_CC_AL && detail.cc != ARM_CC_INVALID
        var registers: [String] = []
        var immediates: [Int32] = []
        var memory: MemoryOperand?
        let address = insn.pointee.address
        for index in 0..<count {
            let slot = UInt8(index)
            switch xcdb_arm_op_type(insn, slot) {
            case ARM_OP_REG:
                registers.append(engine.registerName(xcdb_arm_op_reg(insn, slot)) ?? "?")
            case ARM_OP_IMM:
                immediates.append(xcdb_arm_op_imm(insn, slot))
            case ARM_OP_MEM where memory == nil:
                let mem = xcdb_arm_op_mem(insn, slot)
                let base = engine.registerName(mem.base.rawValue)
                var absolute: UInt64?
                if base == "pc" {
                    // PC reads as the instruction address + 8 (A32) or + 4 word-aligned (Thumb).
                    let pc =
                        engine.architecture == .thumb ? (address &+ 4) & ~3 : address &+ 8
                    absolute = (pc &+ UInt64(bitPattern: Int64(mem.disp))) & 0xFFFF_FFFF
                }
                memory = MemoryOperand(
                    segmentOverride: nil, segment: nil, base: base,
                    index: engine.registerName(mem.index.rawValue),
                    scale: Int(mem.scale == 0 ? 1 : mem.scale), displacement: Int64(mem.disp),
                    size: nil, sizeKeyword: nil, addressSize: 4, absoluteAddress: absolute,
                    accessesMemory: id != ARM_INS_PLD.rawValue)
            default:
                break
            }
        }
        var flow: ControlFlow = .sequential
        var target: UInt64?
        switch id {
        case ARM_INS_BL.rawValue, ARM_INS_BLX.rawValue:
            flow = .call
            if registers.isEmpty, let last = immediates.last {
                target = UInt64(UInt32(bitPattern: last))
            }
        case ARM_INS_B.rawValue:
            flow = conditional ? .conditionalJump : .jump
            if let last = immediates.last { target = UInt64(UInt32(bitPattern: last)) }
        case ARM_INS_CBZ.rawValue, ARM_INS_CBNZ.rawValue:
            flow = .conditionalJump
            if let last = immediates.last { target = UInt64(UInt32(bitPattern: last)) }
        case ARM_INS_BX.rawValue:
            flow = registers.first == "lr" ? .return : .jump
        case ARM_INS_POP.rawValue, ARM_INS_LDM.rawValue:
            if registers.contains("pc") { flow = .return }
        case ARM_INS_LDR.rawValue, ARM_INS_MOV.rawValue:
            if registers.first == "pc" {
                flow = registers.dropFirst().first == "lr" || memory?.base == "sp" ? .return : .jump
            }
        case ARM_INS_TBB.rawValue, ARM_INS_TBH.rawValue:
            flow = .jump
        case ARM_INS_SVC.rawValue, ARM_INS_BKPT.rawValue, ARM_INS_UDF.rawValue,
            ARM_INS_TRAP.rawValue:
            flow = .interrupt
        default:
            break
        }
        // A conditional return or indirect jump (`bxlt lr`, `popne {r4,pc}`) may fall through:
        // class it as a conditional jump without a known target.
        if conditional, flow == .return || (flow == .jump && target == nil) {
            flow = .conditionalJump
        }
        let text = String(cString: xcdb_insn_op_str(insn))
        // Stores (`str`, `stp`, `stur`, `stm`...) write their memory operand.
        if memory != nil, String(cString: xcdb_insn_mnemonic(insn)).hasPrefix("st") {
            memory?.isWritten = true
        }
        return Instruction(
            architecture: engine.architecture, address: address, bytes: bytes,
            mnemonic: String(cString: xcdb_insn_mnemonic(insn)), operands: "",
            operandList: ARMText.operands(text, arm64: false, branchTarget: target), flow: flow,
            branchTarget: target, memoryOperand: memory, status: .valid)
    }
}
