import Disassembly
import Testing

/// Byte sequences whose CDB rendering is known: from the documentation and transcripts in
/// `shared/reference/cdb-console.md`, or following rules stated in `X86OperandFormatter`.
struct X64RenderingTests {
    static let disassembler = try? Disassembler(architecture: .x64)

    struct Case: CustomTestStringConvertible, Sendable {
        let address: UInt64
        let bytes: String
        let line: String
        /// Whether the case runs with the suite's symbolizer.
        let useSymbols: Bool
        var testDescription: String { line }
        init(_ address: UInt64, _ bytes: String, _ line: String, symbols: Bool = true) {
            self.address = address
            self.bytes = bytes
            self.line = line
            self.useSymbols = symbols
        }
    }

    /// Symbols the cases refer to.
    static func symbol(_ address: UInt64) -> String? {
        switch address {
        case 0x7ffc_0f1d_4961: "ntdll!`string'+0x21"
        case 0x7ffc_0f2a_1234: "ntdll!LdrpFoo"
        case 0x7ff6_1a2b_3000: "app!_imp_GetLastError"
        case 0x7ffe_0308: "SharedUserData+0x308"
        case 0x7ffc_0f1d_0000: "ntdll!RtlUserThreadStart"
        case 0x7ff6_1a2b_5000: "app!g_table"
        default: nil
        }
    }

    static let documented: [Case] = [
        // cdb-console.md §11 and §2/§6 transcripts.
        Case(0x7ffc_0f1d_48fa, "6e", "00007ffc`0f1d48fa 6e              outs    dx,byte ptr [rsi]"),
        Case(
            0x7ffc_0f1d_48fb, "7464",
            "00007ffc`0f1d48fb 7464            je      ntdll!`string'+0x21 (00007ffc`0f1d4961)"),
        Case(0x7ffc_0f1d_48fd, "6c", "00007ffc`0f1d48fd 6c              ins     byte ptr [rdi],dx"),
        Case(0x7ffe_37b2_07a0, "cc", "00007ffe`37b207a0 cc              int     3"),
        // Observed kernel transcript (uf nt!KiSwapContext) and .cxr transcript.
        Case(
            0xffff_f803_5c14_3fa0, "4881ec38010000",
            "fffff803`5c143fa0 4881ec38010000  sub     rsp,138h"),
        Case(
            0xffff_f803_5c14_3fa7, "488d842400010000",
            "fffff803`5c143fa7 488d842400010000 lea     rax,[rsp+100h]"),
        Case(
            0xffff_f803_5c14_3faf, "0f29742430",
            "fffff803`5c143faf 0f29742430      movaps  xmmword ptr [rsp+30h],xmm6"),
        Case(
            0xffff_f803_5c14_3fbf, "440f29442450",
            "fffff803`5c143fbf 440f29442450    movaps  xmmword ptr [rsp+50h],xmm8"),
        Case(
            0xffff_f800_02cc_272d, "0fae1f",
            "fffff800`02cc272d 0fae1f          stmxcsr dword ptr [rdi]"),
    ]

    static let rules: [Case] = [
        // Prologues.
        Case(
            0x7ff6_1a2b_1000, "48895c2408",
            "00007ff6`1a2b1000 48895c2408      mov     qword ptr [rsp+8],rbx"),
        Case(
            0x7ff6_1a2b_1000, "48895c2410",
            "00007ff6`1a2b1000 48895c2410      mov     qword ptr [rsp+10h],rbx"),
        Case(0x7ff6_1a2b_1000, "4883ec28", "00007ff6`1a2b1000 4883ec28        sub     rsp,28h"),
        Case(0x7ff6_1a2b_1000, "55", "00007ff6`1a2b1000 55              push    rbp"),
        Case(0x7ff6_1a2b_1000, "488bec", "00007ff6`1a2b1000 488bec          mov     rbp,rsp"),
        Case(0x7ff6_1a2b_1000, "4c8bdc", "00007ff6`1a2b1000 4c8bdc          mov     r11,rsp"),
        Case(0x7ff6_1a2b_1000, "4157", "00007ff6`1a2b1000 4157            push    r15"),
        // Negative displacements, SIB forms.
        Case(
            0x7ff6_1a2b_1000, "488b45f0",
            "00007ff6`1a2b1000 488b45f0        mov     rax,qword ptr [rbp-10h]"),
        Case(
            0x7ff6_1a2b_1000, "8b4dfc",
            "00007ff6`1a2b1000 8b4dfc          mov     ecx,dword ptr [rbp-4]"),
        Case(
            0x7ff6_1a2b_1000, "488b8580feffff",
            "00007ff6`1a2b1000 488b8580feffff  mov     rax,qword ptr [rbp-180h]"),
        Case(
            0x7ff6_1a2b_1000, "8b04c8",
            "00007ff6`1a2b1000 8b04c8          mov     eax,dword ptr [rax+rcx*8]"),
        Case(
            0x7ff6_1a2b_1000, "488d0c01", "00007ff6`1a2b1000 488d0c01        lea     rcx,[rcx+rax]"),
        Case(
            0x7ff6_1a2b_1000, "8b448a10",
            "00007ff6`1a2b1000 8b448a10        mov     eax,dword ptr [rdx+rcx*4+10h]"),
        Case(
            0x7ff6_1a2b_1000, "428b0c8d00000000",
            "00007ff6`1a2b1000 428b0c8d00000000 mov     ecx,dword ptr [r9*4]"),
        Case(
            0x7ff6_1a2b_1000, "4c8b84c8a8000000",
            "00007ff6`1a2b1000 4c8b84c8a8000000 mov     r8,qword ptr [rax+rcx*8+0A8h]"),
        Case(
            0x7ff6_1a2b_1000, "0fb60401",
            "00007ff6`1a2b1000 0fb60401        movzx   eax,byte ptr [rcx+rax]"),
        Case(0x7ff6_1a2b_1000, "4863c8", "00007ff6`1a2b1000 4863c8          movsxd  rcx,eax"),
        // RIP-relative operands show the absolute address, with the symbol when known.
        Case(
            0x7ffc_0f2a_1000, "488b052d020000",
            "00007ffc`0f2a1000 488b052d020000  mov     rax,qword ptr [ntdll!LdrpFoo (00007ffc`0f2a1234)]"
        ),
        Case(
            0x7ff6_1a2b_1000, "ff15fa1f0000",
            "00007ff6`1a2b1000 ff15fa1f0000    call    qword ptr [app!_imp_GetLastError (00007ff6`1a2b3000)]"
        ),
        Case(
            0x7ff6_1a2b_1000, "ff1525000000",
            "00007ff6`1a2b1000 ff1525000000    call    qword ptr [00007ff6`1a2b102b]"),
        Case(
            0x7ff6_1a2b_1000, "488d0df93f0000",
            "00007ff6`1a2b1000 488d0df93f0000  lea     rcx,[app!g_table (00007ff6`1a2b5000)]"),
        Case(
            0x7ff6_1a2b_1000, "833df93f000010",
            "00007ff6`1a2b1000 833df93f000010  cmp     dword ptr [app!g_table (00007ff6`1a2b5000)],10h"
        ),
        // Absolute addresses without a base register.
        Case(
            0x7ff6_1a2b_1000, "8b04250803fe7f",
            "00007ff6`1a2b1000 8b04250803fe7f  mov     eax,dword ptr [SharedUserData+0x308 (00000000`7ffe0308)]"
        ),
        Case(
            0x7ff6_1a2b_1000, "8b042500100000",
            "00007ff6`1a2b1000 8b042500100000  mov     eax,dword ptr [00000000`00001000]"),
        // Segment forms.
        Case(
            0x7ff6_1a2b_1000, "65488b042530000000",
            "00007ff6`1a2b1000 65488b042530000000 mov     rax,qword ptr gs:[30h]"),
        Case(
            0x7ff6_1a2b_1000, "65488b042560000000",
            "00007ff6`1a2b1000 65488b042560000000 mov     rax,qword ptr gs:[60h]"),
        Case(
            0x7ff6_1a2b_1000, "65488b0c2508000000",
            "00007ff6`1a2b1000 65488b0c2508000000 mov     rcx,qword ptr gs:[8]"),
        // Immediates of various sizes, masked to the operand size.
        Case(0x7ff6_1a2b_1000, "b801000000", "00007ff6`1a2b1000 b801000000      mov     eax,1"),
        Case(0x7ff6_1a2b_1000, "b80a000000", "00007ff6`1a2b1000 b80a000000      mov     eax,0Ah"),
        Case(
            0x7ff6_1a2b_1000, "b9050000c0",
            "00007ff6`1a2b1000 b9050000c0      mov     ecx,0C0000005h"),
        Case(
            0x7ff6_1a2b_1000, "83c8ff", "00007ff6`1a2b1000 83c8ff          or      eax,0FFFFFFFFh"),
        Case(
            0x7ff6_1a2b_1000, "4883e4f0",
            "00007ff6`1a2b1000 4883e4f0        and     rsp,0FFFFFFFFFFFFFFF0h"),
        Case(
            0x7ff6_1a2b_1000, "4883c480",
            "00007ff6`1a2b1000 4883c480        add     rsp,0FFFFFFFFFFFFFF80h"),
        Case(
            0x7ff6_1a2b_1000, "c60000", "00007ff6`1a2b1000 c60000          mov     byte ptr [rax],0"
        ),
        Case(
            0x7ff6_1a2b_1000, "c600ff",
            "00007ff6`1a2b1000 c600ff          mov     byte ptr [rax],0FFh"),
        Case(
            0x7ff6_1a2b_1000, "66c740023412",
            "00007ff6`1a2b1000 66c740023412    mov     word ptr [rax+2],1234h"),
        Case(
            0x7ff6_1a2b_1000, "48c7c1ffffffff",
            "00007ff6`1a2b1000 48c7c1ffffffff  mov     rcx,0FFFFFFFFFFFFFFFFh"),
        Case(
            0x7ff6_1a2b_1000, "48b8efcdab8967452301",
            "00007ff6`1a2b1000 48b8efcdab8967452301 mov     rax,123456789ABCDEFh"),
        Case(
            0x7ff6_1a2b_1000, "48b800502b1af67f0000",
            "00007ff6`1a2b1000 48b800502b1af67f0000 mov     rax,offset app!g_table (00007ff6`1a2b5000)"
        ),
        Case(0x7ff6_1a2b_1000, "c1e003", "00007ff6`1a2b1000 c1e003          shl     eax,3"),
        Case(0x7ff6_1a2b_1000, "d1e8", "00007ff6`1a2b1000 d1e8            shr     eax,1"),
        Case(0x7ff6_1a2b_1000, "6bc03c", "00007ff6`1a2b1000 6bc03c          imul    eax,eax,3Ch"),
        // Branches and calls: symbol (address), or just the address.
        Case(
            0x7ffc_0f1d_1000, "e8fbefffff",
            "00007ffc`0f1d1000 e8fbefffff      call    ntdll!RtlUserThreadStart (00007ffc`0f1d0000)"
        ),
        Case(
            0x7ffc_0f1d_1000, "e800000000",
            "00007ffc`0f1d1000 e800000000      call    00007ffc`0f1d1005"),
        Case(
            0x7ffc_0f1d_1000, "ebfe", "00007ffc`0f1d1000 ebfe            jmp     00007ffc`0f1d1000"),
        Case(
            0x7ffc_0f1d_1000, "0f8400010000",
            "00007ffc`0f1d1000 0f8400010000    je      00007ffc`0f1d1106"),
        Case(0x7ffc_0f1d_1000, "ffd0", "00007ffc`0f1d1000 ffd0            call    rax"),
        Case(
            0x7ffc_0f1d_1000, "ff5008",
            "00007ffc`0f1d1000 ff5008          call    qword ptr [rax+8]"),
        Case(0x7ffc_0f1d_1000, "41ffe3", "00007ffc`0f1d1000 41ffe3          jmp     r11"),
        Case(0x7ffc_0f1d_1000, "c3", "00007ffc`0f1d1000 c3              ret"),
        Case(0x7ffc_0f1d_1000, "c20800", "00007ffc`0f1d1000 c20800          ret     8"),
        Case(0x7ffc_0f1d_1000, "f3c3", "00007ffc`0f1d1000 f3c3            rep ret"),
        // String instructions: no size letter, no implicit register, no es: in 64-bit mode.
        Case(
            0x7ff6_1a2b_1000, "f3ab", "00007ff6`1a2b1000 f3ab            rep stos dword ptr [rdi]"),
        Case(
            0x7ff6_1a2b_1000, "f348ab", "00007ff6`1a2b1000 f348ab          rep stos qword ptr [rdi]"
        ),
        Case(0x7ff6_1a2b_1000, "f3aa", "00007ff6`1a2b1000 f3aa            rep stos byte ptr [rdi]"),
        Case(
            0x7ff6_1a2b_1000, "f348a5",
            "00007ff6`1a2b1000 f348a5          rep movs qword ptr [rdi],qword ptr [rsi]"),
        Case(
            0x7ff6_1a2b_1000, "f3a6",
            "00007ff6`1a2b1000 f3a6            repe cmps byte ptr [rsi],byte ptr [rdi]"),
        Case(
            0x7ff6_1a2b_1000, "f2ae", "00007ff6`1a2b1000 f2ae            repne scas byte ptr [rdi]"),
        Case(0x7ff6_1a2b_1000, "ac", "00007ff6`1a2b1000 ac              lods    byte ptr [rsi]"),
        // nop forms.
        Case(0x7ff6_1a2b_1000, "90", "00007ff6`1a2b1000 90              nop"),
        Case(
            0x7ff6_1a2b_1000, "0f1f00", "00007ff6`1a2b1000 0f1f00          nop     dword ptr [rax]"),
        Case(
            0x7ff6_1a2b_1000, "0f1f4000",
            "00007ff6`1a2b1000 0f1f4000        nop     dword ptr [rax]"),
        Case(
            0x7ff6_1a2b_1000, "0f1f440000",
            "00007ff6`1a2b1000 0f1f440000      nop     dword ptr [rax+rax]"),
        Case(
            0x7ff6_1a2b_1000, "0f1f840000000000",
            "00007ff6`1a2b1000 0f1f840000000000 nop     dword ptr [rax+rax]"),
        Case(
            0x7ff6_1a2b_1000, "660f1f440000",
            "00007ff6`1a2b1000 660f1f440000    nop     word ptr [rax+rax]"),
        Case(
            0x7ff6_1a2b_1000, "66662e0f1f840000000000",
            "00007ff6`1a2b1000 66662e0f1f840000000000 nop     word ptr cs:[rax+rax]"),
        // SSE/AVX moves.
        Case(
            0x7ff6_1a2b_1000, "f20f104108",
            "00007ff6`1a2b1000 f20f104108      movsd   xmm0,mmword ptr [rcx+8]"),
        Case(
            0x7ff6_1a2b_1000, "f30f10442420",
            "00007ff6`1a2b1000 f30f10442420    movss   xmm0,dword ptr [rsp+20h]"),
        Case(
            0x7ff6_1a2b_1000, "660f6f01",
            "00007ff6`1a2b1000 660f6f01        movdqa  xmm0,xmmword ptr [rcx]"),
        Case(
            0x7ff6_1a2b_1000, "0f1001",
            "00007ff6`1a2b1000 0f1001          movups  xmm0,xmmword ptr [rcx]"),
        Case(
            0x7ff6_1a2b_1000, "660fd64c2408",
            "00007ff6`1a2b1000 660fd64c2408    movq    mmword ptr [rsp+8],xmm1"),
        Case(
            0x7ff6_1a2b_1000, "f2480f2a00",
            "00007ff6`1a2b1000 f2480f2a00      cvtsi2sd xmm0,qword ptr [rax]"),
        Case(
            0x7ff6_1a2b_1000, "c5fc1000",
            "00007ff6`1a2b1000 c5fc1000        vmovups ymm0,ymmword ptr [rax]"),
        Case(0x7ff6_1a2b_1000, "0f57c0", "00007ff6`1a2b1000 0f57c0          xorps   xmm0,xmm0"),
        // x87.
        Case(
            0x7ff6_1a2b_1000, "dd45f8",
            "00007ff6`1a2b1000 dd45f8          fld     qword ptr [rbp-8]"),
        Case(0x7ff6_1a2b_1000, "db29", "00007ff6`1a2b1000 db29            fld     tbyte ptr [rcx]"),
        // Prefixes, traps and system calls.
        Case(
            0x7ff6_1a2b_1000, "f0480fb111",
            "00007ff6`1a2b1000 f0480fb111      lock cmpxchg qword ptr [rcx],rdx"),
        Case(0x7ff6_1a2b_1000, "cd29", "00007ff6`1a2b1000 cd29            int     29h"),
        Case(0x7ff6_1a2b_1000, "cd2e", "00007ff6`1a2b1000 cd2e            int     2Eh"),
        Case(0x7ff6_1a2b_1000, "0f05", "00007ff6`1a2b1000 0f05            syscall"),
        Case(0x7ff6_1a2b_1000, "0f0b", "00007ff6`1a2b1000 0f0b            ud2"),
        // Undecodable bytes: one byte at a time, `???`.
        Case(0x7ff6_1a2b_1000, "ffff", "00007ff6`1a2b1000 ff              ???"),
        Case(0x7ff6_1a2b_1000, "06", "00007ff6`1a2b1000 06              ???"),
    ]

    @Test("documented CDB lines", arguments: documented)
    func documentedLines(_ sample: Case) throws {
        let disassembler = try #require(Self.disassembler)
        let instruction = disassembler.decode(
            hex(sample.bytes), at: sample.address, symbolizer: Self.symbol)
        #expect(instruction.cdbLine == sample.line)
    }

    @Test("formatting rules", arguments: rules)
    func ruleLines(_ sample: Case) throws {
        let disassembler = try #require(Self.disassembler)
        let instruction = disassembler.decode(
            hex(sample.bytes), at: sample.address, symbolizer: Self.symbol)
        #expect(instruction.cdbLine == sample.line)
    }
}
