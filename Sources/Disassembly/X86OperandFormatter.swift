/// Renders x86/x64 operands in CDB's MASM-like syntax.
///
/// Rules (each a difference from Capstone's Intel text):
/// * operands are separated by a bare comma; no spaces inside brackets;
/// * numbers follow `CDBText.number`: `8`, `28h`, `0FFFFFFF0h`; immediates are masked to the
///   operand size (`or eax,0FFFFFFFFh`, `and rsp,0FFFFFFFFFFFFFFF0h`);
/// * memory is `[base+index*scale±disp]`, scale 1 omitted (`[rax+rax]`), disp 0 omitted,
///   negative displacements `[rbp-10h]`, size keywords `byte word dword fword qword mmword
///   tbyte xmmword ymmword zmmword` + ` ptr ` (none for `lea`);
/// * RIP-relative and other absolute x64 operands show the address: `[ntdll!Foo (00007ffc`0f2a1234)]`,
///   or `[00007ffc`0f2a1234]` with no symbol; with an `fs`/`gs` override they show the offset as a
///   number, `gs:[30h]`;
/// * absolute x86 operands show `[app!g_x (00403000)]` when a symbol covers them and
///   `ds:[00403000h]` / `fs:[00000018h]` (segment always named, 8 digits) otherwise; an x86
///   table reference with an index and a 32-bit symbolic displacement prints as
///   `app!table (00401240)[ecx*4]`;
/// * branch and call targets print as `symbol (address)` or the bare address;
/// * an immediate encoded with the full pointer width that names a symbol prints as
///   `offset app!`string' (0040f7a0)` (x86 `push`/`mov` of addresses, x64 `mov r64,imm64`);
/// * far pointers print as `0033:776e271e`.
struct X86OperandFormatter {
    let architecture: Architecture
    let symbolizer: Symbolizer?

    func format(_ operands: [Operand]) -> String {
        var text = ""
        for (position, operand) in operands.enumerated() {
            if position > 0 { text += "," }
            text += format(operand)
        }
        return text
    }

    func format(_ operand: Operand) -> String {
        switch operand {
        case .register(let name):
            return name
        case .immediate(let value, _, let encodedSize):
            if encodedSize == architecture.pointerSize, let name = symbolizer?(value) {
                return "offset \(name) (\(address(value)))"
            }
            return CDBText.number(value)
        case .branchTarget(let target):
            return symbolic(target)
        case .farPointer(let selector, let offset):
            return CDBText.hex(UInt64(selector), digits: 4) + ":" + CDBText.hex(offset, digits: 8)
        case .memory(let memory):
            return format(memory)
        case .text(let text):
            return text
        }
    }

    func format(_ memory: MemoryOperand) -> String {
        var text = ""
        if let keyword = memory.sizeKeyword { text += keyword + " ptr " }
        let segmentPrefix = memory.segmentOverride.map { $0 + ":" } ?? ""
        let isFlatSegment = memory.segmentOverride.map { $0 != "fs" && $0 != "gs" } ?? true

        if let absolute = memory.absoluteAddress {
            if architecture == .x64 || memory.isRIPRelative {
                if !isFlatSegment, !memory.isRIPRelative {
                    return text + segmentPrefix + "[" + CDBText.number(absolute) + "]"
                }
                return text + segmentPrefix + "[" + symbolic(absolute) + "]"
            }
            if isFlatSegment, let name = symbolizer?(absolute) {
                return text + segmentPrefix + "[\(name) (\(address(absolute)))]"
            }
            let segment = memory.segmentOverride ?? "ds"
            return text + segment + ":[" + CDBText.paddedNumber(absolute, digits: 8) + "]"
        }

        var inside = ""
        if let base = memory.base { inside += base }
        if let index = memory.index {
            if !inside.isEmpty { inside += "+" }
            inside += index
            if memory.scale > 1 { inside += "*" + String(memory.scale) }
        }
        if architecture == .x86, memory.base == nil, memory.index != nil, isFlatSegment,
            memory.displacement > 0xFFFF
        {
            let table = UInt64(bitPattern: memory.displacement) & 0xFFFF_FFFF
            if let name = symbolizer?(table) {
                return text + segmentPrefix + "\(name) (\(address(table)))[" + inside + "]"
            }
        }
        if memory.displacement != 0 {
            inside += CDBText.signedDisplacement(memory.displacement)
        }
        return text + segmentPrefix + "[" + inside + "]"
    }

    private func address(_ value: UInt64) -> String {
        CDBText.address(value, is64Bit: architecture.is64Bit)
    }

    private func symbolic(_ value: UInt64) -> String {
        if let name = symbolizer?(value) { return "\(name) (\(address(value)))" }
        return address(value)
    }
}
