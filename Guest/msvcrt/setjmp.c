/* setjmp/longjmp with msvcrt's x64 _JUMP_BUFFER (setjmp.h). The compiler passes the frame
   of the function that calls setjmp; with a non-zero Frame, longjmp unwinds to it with
   RtlUnwindEx (running __finally blocks and termination handlers on the way), and
   ntdll's RtlRestoreContext loads the registers saved here (STATUS_LONGJUMP). */
#include "crt.h"
#include <setjmp.h>
#include <winternl.h>

/* The frame arrives in rdx (the compiler adds it; mingw-w64 passes it explicitly). */
__attribute__((naked)) int __cdecl _setjmpex(jmp_buf buffer) {
    __asm__("movq %rdx, 0x00(%rcx)\n\t"
            "movq %rbx, 0x08(%rcx)\n\t"
            "leaq 8(%rsp), %rax\n\t"
            "movq %rax, 0x10(%rcx)\n\t"
            "movq %rbp, 0x18(%rcx)\n\t"
            "movq %rsi, 0x20(%rcx)\n\t"
            "movq %rdi, 0x28(%rcx)\n\t"
            "movq %r12, 0x30(%rcx)\n\t"
            "movq %r13, 0x38(%rcx)\n\t"
            "movq %r14, 0x40(%rcx)\n\t"
            "movq %r15, 0x48(%rcx)\n\t"
            "movq (%rsp), %rax\n\t"
            "movq %rax, 0x50(%rcx)\n\t"
            "stmxcsr 0x58(%rcx)\n\t"
            "fnstcw 0x5c(%rcx)\n\t"
            "movdqu %xmm6, 0x60(%rcx)\n\t"
            "movdqu %xmm7, 0x70(%rcx)\n\t"
            "movdqu %xmm8, 0x80(%rcx)\n\t"
            "movdqu %xmm9, 0x90(%rcx)\n\t"
            "movdqu %xmm10, 0xa0(%rcx)\n\t"
            "movdqu %xmm11, 0xb0(%rcx)\n\t"
            "movdqu %xmm12, 0xc0(%rcx)\n\t"
            "movdqu %xmm13, 0xd0(%rcx)\n\t"
            "movdqu %xmm14, 0xe0(%rcx)\n\t"
            "movdqu %xmm15, 0xf0(%rcx)\n\t"
            "xorl %eax, %eax\n\t"
            "ret");
}

/* The same buffer layout; msvcrt exports both names. */
__attribute__((naked)) int __cdecl _setjmp(jmp_buf buffer) {
    __asm__("jmp _setjmpex");
}

/* Loads the registers of a buffer and continues after its setjmp with eax = value. */
__attribute__((naked)) static void Restore(_JUMP_BUFFER *buffer, int value) {
    __asm__("movq 0x08(%rcx), %rbx\n\t"
            "movq 0x18(%rcx), %rbp\n\t"
            "movq 0x20(%rcx), %rsi\n\t"
            "movq 0x28(%rcx), %rdi\n\t"
            "movq 0x30(%rcx), %r12\n\t"
            "movq 0x38(%rcx), %r13\n\t"
            "movq 0x40(%rcx), %r14\n\t"
            "movq 0x48(%rcx), %r15\n\t"
            "ldmxcsr 0x58(%rcx)\n\t"
            "fnclex\n\t"
            "fldcw 0x5c(%rcx)\n\t"
            "movdqu 0x60(%rcx), %xmm6\n\t"
            "movdqu 0x70(%rcx), %xmm7\n\t"
            "movdqu 0x80(%rcx), %xmm8\n\t"
            "movdqu 0x90(%rcx), %xmm9\n\t"
            "movdqu 0xa0(%rcx), %xmm10\n\t"
            "movdqu 0xb0(%rcx), %xmm11\n\t"
            "movdqu 0xc0(%rcx), %xmm12\n\t"
            "movdqu 0xd0(%rcx), %xmm13\n\t"
            "movdqu 0xe0(%rcx), %xmm14\n\t"
            "movdqu 0xf0(%rcx), %xmm15\n\t"
            "movl %edx, %eax\n\t"
            "movq 0x10(%rcx), %rsp\n\t"
            "jmpq *0x50(%rcx)");
}

_CRT_NORETURN void __cdecl longjmp(jmp_buf buffer, int value) {
    _JUMP_BUFFER *b = (_JUMP_BUFFER *)buffer;
    if (!value) value = 1;
    if (b->Frame) {
        EXCEPTION_RECORD record;
        memset(&record, 0, sizeof(record));
        record.ExceptionCode = (DWORD)STATUS_LONGJUMP;
        record.NumberParameters = 1;
        record.ExceptionInformation[0] = (ULONG_PTR)b;
        CONTEXT context;
        RtlUnwindEx((PVOID)b->Frame, (PVOID)b->Rip, &record, (PVOID)(ULONG_PTR)value, &context, NULL);
    }
    Restore(b, value);
    __builtin_unreachable();
}
