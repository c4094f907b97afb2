/* The floating-point environment: msvcrt's _controlfp family over MXCSR and the x87 control
   word, and the classification helpers. */
#include "crt.h"
#include <float.h>

#define _PC_53_DEFAULT 0x00010000

/* MXCSR <-> msvcrt's control bits. */
static unsigned int FromMxcsr(unsigned int m) {
    unsigned int c = 0;
    if (m & 0x0080) c |= _EM_INVALID;
    if (m & 0x0100) c |= _EM_DENORMAL;
    if (m & 0x0200) c |= _EM_ZERODIVIDE;
    if (m & 0x0400) c |= _EM_OVERFLOW;
    if (m & 0x0800) c |= _EM_UNDERFLOW;
    if (m & 0x1000) c |= _EM_INEXACT;
    switch (m & 0x6000) {
    case 0x2000: c |= _RC_DOWN; break;
    case 0x4000: c |= _RC_UP; break;
    case 0x6000: c |= _RC_CHOP; break;
    }
    if (m & 0x8040) c |= 0x01000000; /* _DN_FLUSH */
    return c;
}

static unsigned int ToMxcsr(unsigned int c, unsigned int m) {
    m &= ~0xFFC0u;
    if (c & _EM_INVALID) m |= 0x0080;
    if (c & _EM_DENORMAL) m |= 0x0100;
    if (c & _EM_ZERODIVIDE) m |= 0x0200;
    if (c & _EM_OVERFLOW) m |= 0x0400;
    if (c & _EM_UNDERFLOW) m |= 0x0800;
    if (c & _EM_INEXACT) m |= 0x1000;
    switch (c & _MCW_RC) {
    case _RC_DOWN: m |= 0x2000; break;
    case _RC_UP: m |= 0x4000; break;
    case _RC_CHOP: m |= 0x6000; break;
    }
    if (c & 0x01000000) m |= 0x8040;
    return m;
}

unsigned int __cdecl _controlfp(unsigned int value, unsigned int mask) {
    unsigned int m = __builtin_ia32_stmxcsr();
    unsigned int current = FromMxcsr(m);
    mask &= _MCW_EM | _MCW_RC | _MCW_DN;
    unsigned int next = (current & ~mask) | (value & mask);
    if (mask) __builtin_ia32_ldmxcsr(ToMxcsr(next, m));
    return next | _PC_53_DEFAULT;
}


unsigned int __cdecl _control87(unsigned int value, unsigned int mask) { return _controlfp(value, mask); }

unsigned int __cdecl _statusfp(void) {
    unsigned int m = __builtin_ia32_stmxcsr(), s = 0;
    if (m & 0x01) s |= _SW_INVALID;
    if (m & 0x02) s |= _SW_DENORMAL;
    if (m & 0x04) s |= _SW_ZERODIVIDE;
    if (m & 0x08) s |= _SW_OVERFLOW;
    if (m & 0x10) s |= _SW_UNDERFLOW;
    if (m & 0x20) s |= _SW_INEXACT;
    return s;
}

unsigned int __cdecl _clearfp(void) {
    unsigned int s = _statusfp();
    __builtin_ia32_ldmxcsr(__builtin_ia32_stmxcsr() & ~0x3Fu);
    __asm__ volatile("fnclex");
    return s;
}

void __cdecl _fpreset(void) {
    __asm__ volatile("fninit");
    __builtin_ia32_ldmxcsr(0x1F80);
}

int *__cdecl __fpecode(void) {
    static int code;
    return &code;
}

int __cdecl _isnan(double x) { return __builtin_isnan(x); }
int __cdecl _finite(double x) { return __builtin_isfinite(x); }
int __cdecl _isnanf(float x) { return __builtin_isnan(x); }
int __cdecl _finitef(float x) { return __builtin_isfinite(x); }
double __cdecl _copysign(double x, double y) { return __builtin_copysign(x, y); }
double __cdecl copysign(double x, double y) { return __builtin_copysign(x, y); }
float __cdecl _copysignf(float x, float y) { return __builtin_copysignf(x, y); }

int __cdecl _fpclass(double x) {
    int negative = __builtin_signbit(x);
    switch (__builtin_fpclassify(0, 1, 2, 3, 4, x)) {
    case 0: {
        unsigned long long bits;
        __builtin_memcpy(&bits, &x, 8);
        return (bits & 0x0008000000000000ull) ? _FPCLASS_QNAN : _FPCLASS_SNAN;
    }
    case 1: return negative ? _FPCLASS_NINF : _FPCLASS_PINF;
    case 2: return negative ? _FPCLASS_NN : _FPCLASS_PN;
    case 3: return negative ? _FPCLASS_ND : _FPCLASS_PD;
    default: return negative ? _FPCLASS_NZ : _FPCLASS_PZ;
    }
}
