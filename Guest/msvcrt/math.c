/* math.h: msvcrt's exports over the functions of common/xmath.c, with errno set for domain
   (EDOM) and range (ERANGE) errors. The float forms compute in double and round once. */
#include "crt.h"
#include <math.h>
#include "../common/xmath.h"

static double Checked(double result, int error) {
    if (error == XM_EDOM) errno = EDOM;
    else if (error == XM_ERANGE) errno = ERANGE;
    return result;
}

#define UNARY(name) \
    double __cdecl name(double x) { \
        int error = 0; \
        double r = xm_##name(x, &error); \
        return Checked(r, error); \
    } \
    float __cdecl name##f(float x) { return (float)name(x); }

UNARY(exp)
UNARY(log)
UNARY(log10)
UNARY(log2)
UNARY(log1p)
UNARY(expm1)
UNARY(exp2)
UNARY(sin)
UNARY(cos)
UNARY(tan)
UNARY(asin)
UNARY(acos)
UNARY(sinh)
UNARY(cosh)

double __cdecl sqrt(double x) {
    int error = 0;
    double r = xm_sqrt(x, &error);
    return Checked(r, error);
}
float __cdecl sqrtf(float x) {
    if (x < 0) errno = EDOM;
    return __builtin_sqrtf(x);
}

double __cdecl atan(double x) { return xm_atan(x); }
float __cdecl atanf(float x) { return (float)xm_atan(x); }
double __cdecl atan2(double y, double x) { return xm_atan2(y, x); }
float __cdecl atan2f(float y, float x) { return (float)xm_atan2(y, x); }
double __cdecl tanh(double x) { return xm_tanh(x); }
float __cdecl tanhf(float x) { return (float)xm_tanh(x); }
double __cdecl cbrt(double x) { return xm_cbrt(x); }
float __cdecl cbrtf(float x) { return (float)xm_cbrt(x); }

double __cdecl pow(double x, double y) {
    int error = 0;
    double r = xm_pow(x, y, &error);
    return Checked(r, error);
}
float __cdecl powf(float x, float y) { return (float)pow(x, y); }

double __cdecl fmod(double x, double y) {
    int error = 0;
    double r = xm_fmod(x, y, &error);
    return Checked(r, error);
}
float __cdecl fmodf(float x, float y) { return (float)fmod(x, y); }

double __cdecl hypot(double x, double y) {
    int error = 0;
    double r = xm_hypot(x, y, &error);
    return Checked(r, error);
}
double __cdecl _hypot(double x, double y) { return hypot(x, y); }
float __cdecl hypotf(float x, float y) { return (float)hypot(x, y); }
float __cdecl _hypotf(float x, float y) { return (float)hypot(x, y); }

double __cdecl floor(double x) { return xm_floor(x); }
float __cdecl floorf(float x) { return (float)xm_floor(x); }
double __cdecl ceil(double x) { return xm_ceil(x); }
float __cdecl ceilf(float x) { return (float)xm_ceil(x); }
double __cdecl trunc(double x) { return xm_trunc(x); }
float __cdecl truncf(float x) { return (float)xm_trunc(x); }
double __cdecl round(double x) { return xm_round(x); }
float __cdecl roundf(float x) { return (float)xm_round(x); }
double __cdecl rint(double x) { return xm_rint(x); }
float __cdecl rintf(float x) { return (float)xm_rint(x); }
double __cdecl nearbyint(double x) { return xm_rint(x); }
long __cdecl lround(double x) { return (long)xm_round(x); }
long __cdecl lrint(double x) { return (long)xm_rint(x); }
long long __cdecl llround(double x) { return (long long)xm_round(x); }
long long __cdecl llrint(double x) { return (long long)xm_rint(x); }
double __cdecl fabs(double x) { return __builtin_fabs(x); }
float __cdecl fabsf(float x) { return __builtin_fabsf(x); }
double __cdecl fmin(double x, double y) { return x < y || y != y ? x : y; }
double __cdecl fmax(double x, double y) { return x > y || y != y ? x : y; }

double __cdecl modf(double x, double *integer) { return xm_modf(x, integer); }
float __cdecl modff(float x, float *integer) {
    double i;
    float r = (float)xm_modf(x, &i);
    *integer = (float)i;
    return r;
}
double __cdecl frexp(double x, int *exponent) { return xm_frexp(x, exponent); }
float __cdecl frexpf(float x, int *exponent) { return (float)xm_frexp(x, exponent); }
double __cdecl ldexp(double x, int exponent) {
    int error = 0;
    double r = xm_ldexp(x, exponent, &error);
    return Checked(r, error);
}
float __cdecl ldexpf(float x, int exponent) { return (float)ldexp(x, exponent); }
double __cdecl _scalb(double x, long exponent) { return ldexp(x, (int)exponent); }

double __cdecl _logb(double x) {
    if (x == 0) {
        errno = ERANGE;
        return -__builtin_inf();
    }
    if (!__builtin_isfinite(x)) return x * x;
    int e;
    xm_frexp(x, &e);
    return e - 1;
}

double __cdecl _nextafter(double x, double y) {
    if (x != x || y != y) return x + y;
    if (x == y) return y;
    if (x == 0) return y > 0 ? 4.9406564584124654e-324 : -4.9406564584124654e-324;
    unsigned long long b;
    __builtin_memcpy(&b, &x, 8);
    if ((x < y) == (x > 0)) b++;
    else b--;
    double r;
    __builtin_memcpy(&r, &b, 8);
    return r;
}
double __cdecl nextafter(double x, double y) { return _nextafter(x, y); }
