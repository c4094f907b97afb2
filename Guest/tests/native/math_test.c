/* Checks the guest math functions (common/xmath.c) against glibc's long double functions
   rounded to double (64-bit significands: a reference about 2^11 times finer than the
   result): every result within one unit in the last place, special values as C99 says.
   Prints the failures and the share of correctly rounded results; exits 1 on any result
   off by more than 1 ulp. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/xmath.h"

static uint64_t state = 0x853C49E6748FEA9Bull;
static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}
static double uniform(double low, double high) { return low + (high - low) * ((double)(next() >> 11) * 0x1p-53); }

/* Distance in ulps (as ordered integers). */
static double ulps(double a, double b) {
    if (isnan(a) && isnan(b)) return 0;
    if (isnan(a) || isnan(b)) return 1e9;
    if (a == b) return 0;
    int64_t x, y;
    memcpy(&x, &a, 8);
    memcpy(&y, &b, 8);
    if (x < 0) x = INT64_MIN - x;
    if (y < 0) y = INT64_MIN - y;
    uint64_t d = x > y ? (uint64_t)x - (uint64_t)y : (uint64_t)y - (uint64_t)x;
    return (double)d;
}

static int failures;
static long total, exact;

static void check1(const char *name, double x, double mine, double glibc) {
    double u = ulps(mine, glibc);
    total++;
    if (u == 0) exact++;
    if (u > 1) {
        if (failures++ < 30) printf("FAIL %s(%a = %.17g): mine %a glibc %a (%.0f ulps)\n", name, x, x, mine, glibc, u);
    }
}

static void check2(const char *name, double x, double y, double mine, double glibc) {
    double u = ulps(mine, glibc);
    total++;
    if (u == 0) exact++;
    if (u > 1) {
        if (failures++ < 30)
            printf("FAIL %s(%.17g, %.17g): mine %a glibc %a (%.0f ulps)\n", name, x, y, mine, glibc, u);
    }
}

/* The argument is evaluated once (it may be a call to the generator). */
#define ONE(f, x) \
    do { \
        double argument = (x); \
        check1(#f, argument, xm_##f(argument, NULL), (double)f##l(argument)); \
    } while (0)
#define ONE_NOERR(f, x) \
    do { \
        double argument = (x); \
        check1(#f, argument, xm_##f(argument), (double)f##l(argument)); \
    } while (0)

int main(void) {
    static const double specials[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 10.0, 1e-300, -1e-300, 4.9e-324, 1e300,
        -1e300, 709.78, -745.0, 710.0, -746.0, 3.141592653589793, 1.5707963267948966, 0.7853981633974483, 1e22,
        1e100, 1e308, 6.0e-310, 0.1, 100.0, 1048576.0, 1048575.5, 2.2250738585072014e-308, 1.0000000000000002,
        0.9999999999999999, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
        double x = specials[i];
        ONE(exp, x);
        ONE(log, x);
        ONE(log10, x);
        ONE(log2, x);
        ONE(log1p, x);
        ONE(expm1, x);
        ONE(exp2, x);
        ONE(sin, x);
        ONE(cos, x);
        ONE(tan, x);
        ONE(asin, x);
        ONE(acos, x);
        ONE_NOERR(atan, x);
        ONE(sinh, x);
        ONE(cosh, x);
        ONE_NOERR(tanh, x);
        ONE_NOERR(cbrt, x);
        ONE_NOERR(floor, x);
        ONE_NOERR(ceil, x);
        ONE_NOERR(trunc, x);
        ONE_NOERR(round, x);
        ONE_NOERR(rint, x);
        for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
            double y = specials[k];
            check2("pow", x, y, xm_pow(x, y, NULL), (double)powl(x, y));
            check2("atan2", x, y, xm_atan2(x, y), (double)atan2l(x, y));
            check2("hypot", x, y, xm_hypot(x, y, NULL), (double)hypotl(x, y));
            check2("fmod", x, y, xm_fmod(x, y, NULL), fmod(x, y));
        }
    }
    int count = getenv("XM_COUNT") ? atoi(getenv("XM_COUNT")) : 200000;
    for (int i = 0; i < count; i++) {
        double small = uniform(-10, 10), wide = uniform(-710, 710), positive = exp(uniform(-700, 700));
        double unit = uniform(-1, 1), angle = uniform(-1e6, 1e6);
        uint64_t b = next();
        double any;
        memcpy(&any, &b, 8);
        if (!isfinite(any)) any = 1.5;
        ONE(exp, wide);
        ONE(exp, small);
        ONE(expm1, small);
        ONE(exp2, uniform(-1070, 1023));
        ONE(log, positive);
        ONE(log, uniform(0.5, 2));
        ONE(log, fabs(any));
        ONE(log10, positive);
        ONE(log2, positive);
        ONE(log1p, uniform(-0.99, 10));
        ONE(sin, small);
        ONE(cos, small);
        ONE(tan, small);
        ONE(sin, angle);
        ONE(cos, angle);
        ONE(tan, angle);
        ONE(sin, any);
        ONE(cos, any);
        ONE(asin, unit);
        ONE(acos, unit);
        ONE_NOERR(atan, small * 1000);
        ONE_NOERR(atan, any);
        ONE(sinh, small * 70);
        ONE(cosh, small * 70);
        ONE_NOERR(tanh, small);
        ONE_NOERR(cbrt, any);
        double y = uniform(-30, 30);
        check2("pow", positive, y / 100, xm_pow(positive, y / 100, NULL), (double)powl(positive, y / 100));
        double base = uniform(0, 50);
        check2("pow", base, y, xm_pow(base, y, NULL), (double)powl(base, y));
        check2("pow", -base, floor(y), xm_pow(-base, floor(y), NULL), (double)powl(-base, floor(y)));
        check2("atan2", small, unit, xm_atan2(small, unit), (double)atan2l(small, unit));
        check2("hypot", any, small, xm_hypot(any, small, NULL), (double)hypotl(any, small));
        check2("fmod", wide, small, xm_fmod(wide, small, NULL), fmod(wide, small));
        check2("fmod", any, small, xm_fmod(any, small, NULL), fmod(any, small));
        int e1, e2;
        double m1 = xm_frexp(any, &e1), m2 = frexp(any, &e2);
        check2("frexp", any, 0, m1 + e1, m2 + e2);
        int n = (int)(next() % 2200) - 1100;
        check2("ldexp", small, n, xm_ldexp(small, n, NULL), ldexp(small, n));
        double ip1, ip2;
        check2("modf", any, 0, xm_modf(any, &ip1) + ip1, modf(any, &ip2) + ip2);
    }
    /* Errors. */
    int error = 0;
    xm_log(-1, &error);
    if (error != XM_EDOM) failures++, printf("FAIL log(-1) error %d\n", error);
    error = 0;
    xm_exp(1000, &error);
    if (error != XM_ERANGE) failures++, printf("FAIL exp(1000) error %d\n", error);
    error = 0;
    xm_pow(-2, 0.5, &error);
    if (error != XM_EDOM) failures++, printf("FAIL pow(-2, 0.5) error %d\n", error);
    printf("%ld results, %.4f%% correctly rounded, %d more than 1 ulp away\n", total, 100.0 * exact / total, failures);
    return failures != 0;
}
