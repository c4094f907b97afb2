// An ARM64 function described by a packed .pdata entry (Flag 1), linked into
// exports-arm64.dll next to the compiler's unpacked (.xdata) entries.
    .text
    .globl packed_fn
    .p2align 2
packed_fn:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    bl packed_fn
    ldp x29, x30, [sp], #16
    ret

    .section .pdata,"dr"
    .p2align 2
    .rva packed_fn
    // Flag 1, FunctionLength 5 words, RegF 0, RegI 0, H 0, CR 3 (fp/lr chained), FrameSize 1*16
    .long 0x00e00015
