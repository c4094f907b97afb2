/* setjmp.h of the simulated machine's msvcrt.dll: msvcrt's x64 _JUMP_BUFFER. A non-zero
   Frame makes longjmp unwind with RtlUnwindEx, running __finally blocks on the way. */
#ifndef XCDB_SETJMP_H
#define XCDB_SETJMP_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

typedef struct __declspec(align(16)) _SETJMP_FLOAT128 {
    unsigned long long Part[2];
} SETJMP_FLOAT128;

typedef struct _JUMP_BUFFER {
    unsigned long long Frame;
    unsigned long long Rbx;
    unsigned long long Rsp;
    unsigned long long Rbp;
    unsigned long long Rsi;
    unsigned long long Rdi;
    unsigned long long R12;
    unsigned long long R13;
    unsigned long long R14;
    unsigned long long R15;
    unsigned long long Rip;
    unsigned long MxCsr;
    unsigned short FpCsr;
    unsigned short Spare;
    SETJMP_FLOAT128 Xmm6, Xmm7, Xmm8, Xmm9, Xmm10, Xmm11, Xmm12, Xmm13, Xmm14, Xmm15;
} _JUMP_BUFFER;

#define _JBLEN 16
typedef SETJMP_FLOAT128 _JBTYPE;
typedef _JBTYPE jmp_buf[_JBLEN];

/* clang-cl knows _setjmp and _setjmpex as intrinsics: it passes the frame in rdx, as MSVC
   does, though the declarations name only the buffer. */
_CRTIMP int __cdecl _setjmp(jmp_buf buffer);
_CRTIMP int __cdecl _setjmpex(jmp_buf buffer);
_CRT_NORETURN _CRTIMP void __cdecl longjmp(jmp_buf buffer, int value);
#define setjmp _setjmp

_CRT_END_C_HEADER

#endif
