# x64unwind.dll: a call chain whose prologs exercise every x64 unwind code, for UnwindTests.
#
# The tests map this DLL into an emulator (Unicorn), run `scenario_main` or `scenario_trap`
# with RSP pointing at a zero return address, stop at one of the exported labels, and unwind
# from there. At every `call` on the way the emulator records the caller's registers; the
# unwinder must reproduce them exactly. Exported `ret_*` labels are the return addresses (the
# call instruction is the 5 bytes before); `stop_*` labels are places to stop.
#
# Chain: scenario_main -> fn_fp -> fn_large -> fn_huge -> chain_parent ... chain_fragment
#        -> fn_push -> leaf_fn (no .pdata: a leaf)
# Trap:  scenario_trap -> fn_interrupted =(fake interrupt: machine frame)=> trap_handler -> leaf_fn
#
# Every function overwrites the non-volatile registers it saved, so only a correct unwind
# gets the caller's values back.

    .intel_syntax noprefix
    .text

    .globl scenario_main
    .seh_proc scenario_main
scenario_main:
    push rbx
    .seh_pushreg rbx
    sub rsp, 0x20
    .seh_stackalloc 0x20
    .seh_endprologue
    mov rbx, 0x1111111111111111
    mov rbp, 0x2222222222222222
    mov rsi, 0x3333333333333333
    mov rdi, 0x4444444444444444
    mov r12, 0x5555555555555555
    mov r13, 0x6666666666666666
    mov r14, 0x7777777777777777
    mov r15, 0x8888888888888888
    call fn_fp
    .globl ret_main
ret_main:
    add rsp, 0x20
    pop rbx
    ret
    .seh_endproc

# SET_FPREG (rbp = rsp + 0x20), PUSH_NONVOL, ALLOC_SMALL, SAVE_NONVOL, SAVE_XMM128; the body
# moves RSP further (as alloca would), so only the frame register finds the frame again.
    .globl fn_fp
    .seh_proc fn_fp
fn_fp:
    push rbp
    .seh_pushreg rbp
    push rsi
    .seh_pushreg rsi
    sub rsp, 0x48
    .seh_stackalloc 0x48
    lea rbp, [rsp+0x20]
    .seh_setframe rbp, 0x20
    mov [rsp+0x30], rbx
    .seh_savereg rbx, 0x30
    movaps [rsp+0x10], xmm6
    .seh_savexmm xmm6, 0x10
    .seh_endprologue
    sub rsp, 0x30
    mov rsi, 0x0f0f0f0f0f0f0f0f
    mov rbx, 0x0e0e0e0e0e0e0e0e
    pcmpeqd xmm6, xmm6
    call fn_large
    .globl ret_fp
ret_fp:
    movaps xmm6, [rbp-0x10]
    mov rbx, [rbp+0x10]
    .globl stop_fp_epilog
stop_fp_epilog:
    lea rsp, [rbp+0x28]
    pop rsi
    pop rbp
    .globl stop_fp_ret
stop_fp_ret:
    ret
    .seh_endproc

# ALLOC_LARGE with a scaled 16-bit size, SAVE_NONVOL with a 16-bit scaled offset; version 2
# unwind info with an epilog descriptor.
    .globl fn_large
    .seh_proc fn_large
fn_large:
    .seh_unwindversion 2
    push r12
    .seh_pushreg r12
    sub rsp, 0x2000
    .seh_stackalloc 0x2000
    mov [rsp+0x1000], r13
    .seh_savereg r13, 0x1000
    .seh_endprologue
    mov r12, 0x0c0c0c0c0c0c0c0c
    mov r13, 0x0d0d0d0d0d0d0d0d
    call fn_huge
    .globl ret_large
ret_large:
    mov r13, [rsp+0x1000]
    .seh_startepilogue
    add rsp, 0x2000
    pop r12
    .seh_unwindv2start
    .seh_endepilogue
    ret
    .seh_endproc

# ALLOC_LARGE with a 32-bit size, SAVE_NONVOL_FAR and SAVE_XMM128_FAR.
    .globl fn_huge
    .seh_proc fn_huge
fn_huge:
    push r14
    .seh_pushreg r14
    sub rsp, 0x100020
    .seh_stackalloc 0x100020
    mov [rsp+0x80008], r15
    .seh_savereg r15, 0x80008
    movaps [rsp+0x100000], xmm7
    .seh_savexmm xmm7, 0x100000
    .seh_endprologue
    mov r14, 0x0a0a0a0a0a0a0a0a
    mov r15, 0x0b0b0b0b0b0b0b0b
    pcmpeqd xmm7, xmm7
    call chain_parent
    .globl ret_huge
ret_huge:
    movaps xmm7, [rsp+0x100000]
    mov r15, [rsp+0x80008]
    add rsp, 0x100020
    pop r14
    ret
    .seh_endproc

# A function split in two: chain_parent's prolog pushes rbx and allocates, then jumps to a
# separate fragment (chain_fragment) whose own UNWIND_INFO saves rsi and chains back to the
# parent's (UNW_FLAG_CHAININFO). Their .pdata/.xdata are written by hand at the end.
    .globl chain_parent
chain_parent:
    push rbx
    sub rsp, 0x30
    mov rbx, 0x0b0b0b0b0b0b0b0b
    jmp chain_fragment
chain_back:
    add rsp, 0x30
    pop rbx
    ret
chain_parent_end:

    .globl chain_fragment
chain_fragment:
    mov [rsp+0x20], rsi
    mov rsi, 0x0c0c0c0c0c0c0c0c
    call fn_push
    .globl ret_chained
ret_chained:
    mov rsi, [rsp+0x20]
    jmp chain_back
chain_fragment_end:

# PUSH_NONVOL three times and ALLOC_SMALL; stop points inside its prolog and epilog.
    .globl fn_push
    .seh_proc fn_push
fn_push:
    push rbx
    .seh_pushreg rbx
    push rsi
    .seh_pushreg rsi
    .globl stop_push_prolog
stop_push_prolog:
    push rdi
    .seh_pushreg rdi
    sub rsp, 0x20
    .seh_stackalloc 0x20
    .seh_endprologue
    mov rbx, 0x0101010101010101
    mov rsi, 0x0202020202020202
    mov rdi, 0x0303030303030303
    call leaf_fn
    .globl ret_push
ret_push:
    add rsp, 0x20
    pop rdi
    .globl stop_push_epilog
stop_push_epilog:
    pop rsi
    pop rbx
    ret
    .seh_endproc

# No .pdata entry: a leaf. RSP points at the return address the whole time.
    .globl leaf_fn
leaf_fn:
    mov rax, 0x5a5a5a5a
    .globl stop_leaf
stop_leaf:
    ret

# The trap scenario: fn_interrupted fakes an interrupt by pushing a machine frame with an error
# code (SS, RSP, RFLAGS, CS, RIP, error) and jumping to trap_handler, whose unwind info starts
# with PUSH_MACHFRAME.
    .globl scenario_trap
    .seh_proc scenario_trap
scenario_trap:
    push rdi
    .seh_pushreg rdi
    sub rsp, 0x20
    .seh_stackalloc 0x20
    .seh_endprologue
    mov rbx, 0x1212121212121212
    mov rbp, 0x1313131313131313
    mov rdi, 0x1414141414141414
    call fn_interrupted
    .globl ret_trap_scenario
ret_trap_scenario:
    add rsp, 0x20
    pop rdi
    ret
    .seh_endproc

    .globl fn_interrupted
    .seh_proc fn_interrupted
fn_interrupted:
    push rbx
    .seh_pushreg rbx
    sub rsp, 0x28
    .seh_stackalloc 0x28
    .seh_endprologue
    mov rbx, 0x1515151515151515
    mov rax, rsp
    .globl stop_machframe_build
stop_machframe_build:
    push 0x2b
    push rax
    pushfq
    push 0x33
    lea rax, [rip + interrupted_at]
    push rax
    push 0x1234
    jmp trap_handler
    .globl interrupted_at
interrupted_at:
    add rsp, 0x28
    pop rbx
    ret
    .seh_endproc

    .globl trap_handler
    .seh_proc trap_handler
trap_handler:
    .seh_pushframe @code
    push rbp
    .seh_pushreg rbp
    sub rsp, 0x20
    .seh_stackalloc 0x20
    .seh_endprologue
    mov rbp, 0x1616161616161616
    call leaf_fn
    .globl ret_trap
ret_trap:
    int3
    .seh_endproc

# Hand-written unwind data for the chained pair.
    .section .xdata,"dr"
    .p2align 2
chain_parent_xdata:
    .byte 0x01                  # version 1, no flags
    .byte 5                     # prolog: push rbx (1 byte) + sub rsp, 0x30 (4 bytes)
    .byte 2                     # two code slots
    .byte 0                     # no frame register
    .byte 5, 0x52               # at 5: UWOP_ALLOC_SMALL, info 5 -> 0x30 bytes
    .byte 1, 0x30               # at 1: UWOP_PUSH_NONVOL rbx (3)
chain_fragment_xdata:
    .byte 0x21                  # version 1, UNW_FLAG_CHAININFO
    .byte 5                     # prolog: mov [rsp+0x20], rsi (5 bytes)
    .byte 2                     # two code slots
    .byte 0
    .byte 5, 0x64               # at 5: UWOP_SAVE_NONVOL rsi (6)
    .short 4                    #       offset 4 * 8 = 0x20
    .rva chain_parent           # chained RUNTIME_FUNCTION: the parent
    .rva chain_parent_end
    .rva chain_parent_xdata

    .section .pdata,"dr"
    .p2align 2
    .rva chain_parent
    .rva chain_parent_end
    .rva chain_parent_xdata
    .rva chain_fragment
    .rva chain_fragment_end
    .rva chain_fragment_xdata
