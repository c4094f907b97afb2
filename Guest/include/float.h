/* float.h: the compiler's limits plus msvcrt's floating-point control functions. */
#ifndef XCDB_FLOAT_H
#define XCDB_FLOAT_H
#include_next <float.h>
#include <xcdb/crtdefs.h>
_CRT_BEGIN_C_HEADER
_CRTIMP unsigned int __cdecl _controlfp(unsigned int value, unsigned int mask);
_CRTIMP unsigned int __cdecl _control87(unsigned int value, unsigned int mask);
_CRTIMP unsigned int __cdecl _clearfp(void);
_CRTIMP unsigned int __cdecl _statusfp(void);
_CRTIMP void __cdecl _fpreset(void);
_CRTIMP int __cdecl _isnan(double x);
_CRTIMP int __cdecl _finite(double x);
_CRTIMP double __cdecl _copysign(double x, double y);
_CRT_END_C_HEADER
#define _MCW_EM 0x0008001F
#define _MCW_RC 0x00000300
#define _MCW_PC 0x00030000
#define _MCW_DN 0x03000000
#define _EM_INEXACT 0x00000001
#define _EM_UNDERFLOW 0x00000002
#define _EM_OVERFLOW 0x00000004
#define _EM_ZERODIVIDE 0x00000008
#define _EM_INVALID 0x00000010
#define _EM_DENORMAL 0x00080000
#define _RC_NEAR 0x00000000
#define _RC_DOWN 0x00000100
#define _RC_UP 0x00000200
#define _RC_CHOP 0x00000300
#define _SW_INEXACT 0x00000001
#define _SW_UNDERFLOW 0x00000002
#define _SW_OVERFLOW 0x00000004
#define _SW_ZERODIVIDE 0x00000008
#define _SW_INVALID 0x00000010
#define _SW_DENORMAL 0x00080000
#define _FPCLASS_SNAN 0x0001
#define _FPCLASS_QNAN 0x0002
#define _FPCLASS_NINF 0x0004
#define _FPCLASS_NN 0x0008
#define _FPCLASS_ND 0x0010
#define _FPCLASS_NZ 0x0020
#define _FPCLASS_PZ 0x0040
#define _FPCLASS_PD 0x0080
#define _FPCLASS_PN 0x0100
#define _FPCLASS_PINF 0x0200
#endif
