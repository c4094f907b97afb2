import Disassembly
import Testing

/// 32-bit x86 lines: 8-digit addresses, `es:` on string destinations, `ds:[…h]` absolutes.
struct X86RenderingTests {
    static let disassembler = try? Disassembler(architecture: .x86)

    static func symbol(_ address: UInt64) -> String? {
        switch address {
        case 0x7255_b29f: "dwmcore!CComposition::ProcessComposition+0x131"
        case 0x0040_1000: "app!_imp__GetLastError"
        case 0x0040_20d0: "app!`string'"
        case 0x0040_1240: "app!wmain+0x70"
        case 0x7813_8e10: "MSVCR80!_except_handler4"
        default: nil
        }
    }

    static let cases: [X64RenderingTests.Case] = [
        // The brief's example.
        .init(
            0x725f_b99e, "e9fcf8f5ff",
            "725fb99e e9fcf8f5ff      jmp     dwmcore!CComposition::ProcessComposition+0x131 (7255b29f)"
        ),
        .init(
            0x725f_b99e, "e9fcf8f5ff", "725fb99e e9fcf8f5ff      jmp     7255b29f", symbols: false),
        // kernel32!IsDebuggerPresent, the classic.
        .init(
            0x7c81_3093, "64a118000000",
            "7c813093 64a118000000    mov     eax,dword ptr fs:[00000018h]"),
        .init(0x7c81_3099, "8b4030", "7c813099 8b4030          mov     eax,dword ptr [eax+30h]"),
        .init(0x7c81_309c, "0fb64002", "7c81309c 0fb64002        movzx   eax,byte ptr [eax+2]"),
        .init(0x7c81_30a0, "c3", "7c8130a0 c3              ret"),
        // Prologue and SEH frame.
        .init(0x0040_1000, "8bff", "00401000 8bff            mov     edi,edi"),
        .init(0x0040_1000, "55", "00401000 55              push    ebp"),
        .init(0x0040_1000, "8bec", "00401000 8bec            mov     ebp,esp"),
        .init(0x0040_1000, "6aff", "00401000 6aff            push    0FFFFFFFFh"),
        .init(
            0x0040_1000, "68108e1378",
            "00401000 68108e1378      push    offset MSVCR80!_except_handler4 (78138e10)"),
        .init(
            0x0040_1000, "64a100000000",
            "00401000 64a100000000    mov     eax,dword ptr fs:[00000000h]"),
        .init(
            0x0040_1000, "64892500000000",
            "00401000 64892500000000  mov     dword ptr fs:[00000000h],esp"),
        .init(0x0040_1000, "81eccc000000", "00401000 81eccc000000    sub     esp,0CCh"),
        .init(0x0040_1000, "83e4f8", "00401000 83e4f8          and     esp,0FFFFFFF8h"),
        .init(0x0040_1000, "8dbd34ffffff", "00401000 8dbd34ffffff    lea     edi,[ebp-0CCh]"),
        .init(0x0040_1000, "b8cccccccc", "00401000 b8cccccccc      mov     eax,0CCCCCCCCh"),
        .init(0x0040_1000, "f3ab", "00401000 f3ab            rep stos dword ptr es:[edi]"),
        .init(
            0x0040_1000, "f3a5",
            "00401000 f3a5            rep movs dword ptr es:[edi],dword ptr [esi]"),
        .init(0x0040_1000, "f2ae", "00401000 f2ae            repne scas byte ptr es:[edi]"),
        .init(0x0040_1000, "ac", "00401000 ac              lods    byte ptr [esi]"),
        // Stack operands and displacements.
        .init(0x0040_1000, "8b4508", "00401000 8b4508          mov     eax,dword ptr [ebp+8]"),
        .init(0x0040_1000, "8b450c", "00401000 8b450c          mov     eax,dword ptr [ebp+0Ch]"),
        .init(0x0040_1000, "8b45f8", "00401000 8b45f8          mov     eax,dword ptr [ebp-8]"),
        .init(
            0x0040_1000, "8b8578ffffff", "00401000 8b8578ffffff    mov     eax,dword ptr [ebp-88h]"),
        .init(0x0040_1000, "8b44240c", "00401000 8b44240c        mov     eax,dword ptr [esp+0Ch]"),
        .init(
            0x0040_1000, "c745fcfeffffff",
            "00401000 c745fcfeffffff  mov     dword ptr [ebp-4],0FFFFFFFEh"),
        // Absolute memory: symbol when known, else ds:[8 digits h].
        .init(
            0x0040_2000, "ff1500104000",
            "00402000 ff1500104000    call    dword ptr [app!_imp__GetLastError (00401000)]"),
        .init(
            0x0040_2000, "ff1500104000",
            "00402000 ff1500104000    call    dword ptr ds:[00401000h]", symbols: false),
        .init(
            0x0040_2000, "a10010ffbf",
            "00402000 a10010ffbf      mov     eax,dword ptr ds:[0BFFF1000h]"),
        .init(
            0x0040_2000, "ff248d40124000",
            "00402000 ff248d40124000  jmp     dword ptr app!wmain+0x70 (00401240)[ecx*4]"),
        .init(
            0x0040_2000, "ff248d40124000",
            "00402000 ff248d40124000  jmp     dword ptr [ecx*4+401240h]", symbols: false),
        .init(
            0x0040_2000, "68d0204000",
            "00402000 68d0204000      push    offset app!`string' (004020d0)"),
        .init(
            0x0040_2000, "68d0204000", "00402000 68d0204000      push    4020D0h", symbols: false),
        .init(0x0040_2000, "6a10", "00402000 6a10            push    10h"),
        // Returns, far jumps, interrupts, x87.
        .init(0x0040_2000, "c20c00", "00402000 c20c00          ret     0Ch"),
        .init(0x7731_2000, "ea1e276e773300", "77312000 ea1e276e773300  jmp     0033:776e271e"),
        .init(0x0040_2000, "cd2e", "00402000 cd2e            int     2Eh"),
        .init(0x0040_2000, "cc", "00402000 cc              int     3"),
        .init(0x0040_2000, "dd4508", "00402000 dd4508          fld     qword ptr [ebp+8]"),
        .init(0x0040_2000, "dd1c24", "00402000 dd1c24          fstp    qword ptr [esp]"),
        .init(0x0040_2000, "60", "00402000 60              pushad"),
        .init(0x0040_2000, "9c", "00402000 9c              pushfd"),
        .init(0x0040_2000, "99", "00402000 99              cdq"),
        .init(
            0x0040_2000, "e8fbefffff", "00402000 e8fbefffff      call    00401000", symbols: false),
        // Branch wrapping at 4 GB.
        .init(0xffff_fff0, "eb20", "fffffff0 eb20            jmp     00000012"),
    ]

    @Test("x86 CDB lines", arguments: cases)
    func lines(_ sample: X64RenderingTests.Case) throws {
        let disassembler = try #require(Self.disassembler)
        var symbolizer: Symbolizer?
        if sample.useSymbols { symbolizer = Self.symbol }
        let instruction = disassembler.decode(
            hex(sample.bytes), at: sample.address, symbolizer: symbolizer)
        #expect(instruction.cdbLine == sample.line)
    }
}
