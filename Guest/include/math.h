/* math.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_MATH_H
#define XCDB_MATH_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

#define HUGE_VAL __builtin_huge_val()
#define HUGE_VALF __builtin_huge_valf()
#ifndef INFINITY
#define INFINITY __builtin_inff()
#endif
#ifndef NAN
#define NAN __builtin_nanf("")
#endif
#define M_E 2.71828182845904523536
#define M_LOG2E 1.44269504088896340736
#define M_LOG10E 0.434294481903251827651
#define M_LN2 0.693147180559945309417
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.785398163397448309616
#define M_1_PI 0.318309886183790671538
#define M_2_PI 0.636619772367581343076
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.707106781186547524401
#define FP_NAN 0
#define FP_INFINITE 1
#define FP_ZERO 2
#define FP_SUBNORMAL 3
#define FP_NORMAL 4
#define isnan(x) __builtin_isnan(x)
#define isinf(x) __builtin_isinf(x)
#define isfinite(x) __builtin_isfinite(x)
#define isnormal(x) __builtin_isnormal(x)
#define signbit(x) __builtin_signbit(x)
#define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
#define isgreater(x, y) __builtin_isgreater(x, y)
#define isless(x, y) __builtin_isless(x, y)
#define isunordered(x, y) __builtin_isunordered(x, y)

struct _exception {
    int type;
    char *name;
    double arg1, arg2, retval;
};
#define _DOMAIN 1
#define _SING 2
#define _OVERFLOW 3
#define _UNDERFLOW 4
#define _TLOSS 5
#define _PLOSS 6

_CRTIMP double __cdecl sqrt(double x);
_CRTIMP double __cdecl sin(double x);
_CRTIMP double __cdecl cos(double x);
_CRTIMP double __cdecl tan(double x);
_CRTIMP double __cdecl asin(double x);
_CRTIMP double __cdecl acos(double x);
_CRTIMP double __cdecl atan(double x);
_CRTIMP double __cdecl atan2(double y, double x);
_CRTIMP double __cdecl sinh(double x);
_CRTIMP double __cdecl cosh(double x);
_CRTIMP double __cdecl tanh(double x);
_CRTIMP double __cdecl exp(double x);
_CRTIMP double __cdecl log(double x);
_CRTIMP double __cdecl log10(double x);
_CRTIMP double __cdecl pow(double x, double y);
_CRTIMP double __cdecl fmod(double x, double y);
_CRTIMP double __cdecl floor(double x);
_CRTIMP double __cdecl ceil(double x);
_CRTIMP double __cdecl fabs(double x);
_CRTIMP double __cdecl modf(double x, double *integer);
_CRTIMP double __cdecl frexp(double x, int *exponent);
_CRTIMP double __cdecl ldexp(double x, int exponent);
_CRTIMP double __cdecl hypot(double x, double y);
_CRTIMP double __cdecl _hypot(double x, double y);
_CRTIMP double __cdecl _copysign(double x, double y);
_CRTIMP double __cdecl copysign(double x, double y);
_CRTIMP double __cdecl _logb(double x);
_CRTIMP double __cdecl _scalb(double x, long exponent);
_CRTIMP double __cdecl _nextafter(double x, double y);
_CRTIMP int __cdecl _isnan(double x);
_CRTIMP int __cdecl _finite(double x);
_CRTIMP int __cdecl _fpclass(double x);
_CRTIMP int __cdecl _matherr(struct _exception *exception);
_CRTIMP float __cdecl sqrtf(float x);
_CRTIMP float __cdecl sinf(float x);
_CRTIMP float __cdecl cosf(float x);
_CRTIMP float __cdecl tanf(float x);
_CRTIMP float __cdecl asinf(float x);
_CRTIMP float __cdecl acosf(float x);
_CRTIMP float __cdecl atanf(float x);
_CRTIMP float __cdecl atan2f(float y, float x);
_CRTIMP float __cdecl sinhf(float x);
_CRTIMP float __cdecl coshf(float x);
_CRTIMP float __cdecl tanhf(float x);
_CRTIMP float __cdecl expf(float x);
_CRTIMP float __cdecl logf(float x);
_CRTIMP float __cdecl log10f(float x);
_CRTIMP float __cdecl powf(float x, float y);
_CRTIMP float __cdecl fmodf(float x, float y);
_CRTIMP float __cdecl floorf(float x);
_CRTIMP float __cdecl ceilf(float x);
_CRTIMP float __cdecl fabsf(float x);
_CRTIMP float __cdecl modff(float x, float *integer);
_CRTIMP float __cdecl frexpf(float x, int *exponent);
_CRTIMP float __cdecl ldexpf(float x, int exponent);
_CRTIMP float __cdecl hypotf(float x, float y);
_CRTIMP float __cdecl _hypotf(float x, float y);
_CRTIMP double __cdecl round(double x);
_CRTIMP double __cdecl trunc(double x);
_CRTIMP double __cdecl rint(double x);
_CRTIMP long __cdecl lround(double x);
_CRTIMP long __cdecl lrint(double x);
_CRTIMP double __cdecl cbrt(double x);
_CRTIMP double __cdecl exp2(double x);
_CRTIMP double __cdecl log2(double x);
_CRTIMP double __cdecl log1p(double x);
_CRTIMP double __cdecl expm1(double x);
_CRTIMP double __cdecl fmin(double x, double y);
_CRTIMP double __cdecl fmax(double x, double y);
_CRTIMP float __cdecl roundf(float x);
_CRTIMP float __cdecl truncf(float x);
static __inline long double fabsl(long double x) { return (long double)fabs((double)x); }
static __inline long double sqrtl(long double x) { return (long double)sqrt((double)x); }

_CRT_END_C_HEADER

#endif
