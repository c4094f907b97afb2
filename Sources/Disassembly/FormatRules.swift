// The CDB text rules this module follows, and how sure each one is.
//
// Tags as in shared/reference: [doc] CDB documentation, [observed] third-party transcripts of
// real CDB/KD/WinDbg, [recollection] memory of real output that no stored source confirms —
// check these against a real debugger when one is at hand.
//
// Line layout (Instruction.cdbLine)
// * `address bytes mnemonic operands`. Address: 8 lowercase hex digits on 32-bit targets,
//   16 split by a backtick on 64-bit ones [doc].
// * x86 bytes: lowercase hex, padded to 16 columns; 16 or more hex digits are followed by one
//   space (`488d842400010000 lea     rax,[rsp+100h]`) [doc, observed].
// * Mnemonic padded to 8 columns, one space minimum (`rep stos dword ptr es:[edi]`,
//   `cvtsi2sd xmm0,...`); no trailing spaces without operands (`ret`) [doc].
// * After `r`: one space, then the effective-address annotation [observed .cxr transcript].
//   Selector shown by default on x86 (`ds:0023:00000004=????????`) and not on x64
//   (``ds:00000000`00000000=????????``) [doc]; x64 kernel contexts show it
//   (`ds:002b:...`) [observed], hence the `showSelector` parameter. Segment: the override,
//   else `ss` for esp/ebp/rsp/rbp bases, else `ds` (`es` for string destinations)
//   [recollection]. Value: the operand's bytes as one little-endian number, `?` per digit
//   when unreadable [doc].
// * Unreadable memory: `??` in the byte column, mnemonic `???`, one line per byte [doc/brief].
//   Undecodable bytes: the single byte and `???`, then decoding resumes at the next byte
//   [recollection]; CDB does not print objdump's `(bad)`.
//
// Operands (X86OperandFormatter, X86Translator)
// * Bare commas, no spaces inside brackets; scale 1 omitted (`[rax+rax]`) [doc, observed].
// * Numbers: below 10 in decimal, else uppercase hex + `h`, with a leading `0` before a
//   letter (`28h`, `0Ch`, `0FFFFFFF0h`) [observed `sub rsp,138h`]. Immediates masked to the
//   operand size (`or eax,0FFFFFFFFh`, `and rsp,0FFFFFFFFFFFFFFF0h`, `push 0FFFFFFFFh`)
//   [recollection]. Negative displacements `[rbp-10h]` [brief].
// * Size keywords `byte word dword fword qword tbyte xmmword ymmword zmmword`, plus `mmword`
//   for an 8-byte memory operand beside an MMX/XMM register (`movsd xmm0,mmword ptr [rcx]`,
//   as Microsoft's disassemblers print it; integer conversions such as `cvtsi2sd` keep
//   `qword`) [recollection]. None where Capstone prints none (`lea`).
// * x64 RIP-relative and base-less operands show the absolute address:
//   `[ntdll!LdrpFoo (00007ffc`0f2a1234)]`, or `[00007ffc`0f2a1234]` without a symbol [brief];
//   with an fs/gs override, the offset as a number: `gs:[30h]` [brief, recollection].
// * x86 base-less operands: `[app!g_x (00403000)]` with a symbol, else `ds:[00403000h]` /
//   `fs:[00000018h]` with the segment always named and 8 digits [recollection:
//   kernel32!IsDebuggerPresent]. A symbolic table with an index: `app!table (00401240)[ecx*4]`
//   [recollection].
// * Pointer-sized immediates that name a symbol: `push offset app!`string' (004020d0)`,
//   `mov rax,offset app!g (…)` [recollection].
// * Branch and call targets `symbol (address)` or the bare address [doc]. Far pointers
//   `jmp 0033:776e271e` [recollection: WoW64 transitions].
// * String instructions lose the size letter and implicit register: `rep stos dword ptr
//   es:[edi]` (x86) / `rep stos dword ptr [rdi]` (x64, no `es:`, as in the documented
//   `ins byte ptr [rdi],dx`), `movs`, `cmps`, `lods`, `scas`; `ins`/`outs` keep `dx` [doc for
//   ins/outs, observed for x86 `rep stos`].
// * `int3` → `int 3` [doc]; `int1` → `int 1`; `movabs` → `mov`; `pushal`/`popal` →
//   `pushad`/`popad`; `repz`/`repnz` → `repe`/`repne`; `f3 c3` → `rep ret` [recollection].
// * Operands Capstone decorates (AVX-512 `{k1}`, `{1to8}`) keep Capstone's text, restyled.
//
// Listings
// * `u`: a `module!symbol+off:` label before the first line and before any line whose symbol
//   (the part before `+0x`) differs from the previous line's [doc].
// * `uf`: blocks in address order, each after its label, separated by an empty line;
//   conditional jumps end with two spaces and `Branch` [recollection, unverified].
//
// ARM (brief: Capstone syntax with CDB's columns)
// * Bytes as the instruction word(s) in an 8-column field (`a9bf7bfd`, Thumb halfwords run
//   together: `f7ffbf9a`), mnemonic padded to 12 columns, `x29`/`x30` named `fp`/`lr`, no
//   space after commas, direct branch targets as `symbol (address)` [recollection].
