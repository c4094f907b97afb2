/* Elementary functions (xmath.h). The ideas are the classic ones (Tang's table-driven exp
   and log, Cody-Waite and Payne-Hanek reduction for the trigonometric functions, atan by a
   table of atan(j/64)); the code carries an extra double of precision (a "double-double",
   value = hi + lo with |lo| <= ulp(hi)/2) through each reduction and kernel so that the one
   rounding at the end dominates the error. Polynomials are Taylor series, with enough terms
   for the reduced ranges. */
#include <stddef.h>
#include <stdint.h>

#include "xmath.h"
#include "xmath_tables.h"

#define SET_ERROR(e) \
    do { \
        if (error) *error = (e); \
    } while (0)

static uint64_t bits(double x) {
    uint64_t b;
    __builtin_memcpy(&b, &x, 8);
    return b;
}

static double fromBits(uint64_t b) {
    double x;
    __builtin_memcpy(&x, &b, 8);
    return x;
}

static const double INF = __builtin_inf();
#define NAN_VALUE (__builtin_nan(""))

static int isNan(double x) { return (bits(x) & 0x7FFFFFFFFFFFFFFFull) > 0x7FF0000000000000ull; }
static int isInf(double x) { return (bits(x) & 0x7FFFFFFFFFFFFFFFull) == 0x7FF0000000000000ull; }
static double absolute(double x) { return fromBits(bits(x) & 0x7FFFFFFFFFFFFFFFull); }
static double withSign(double x, double sign) {
    return fromBits((bits(x) & 0x7FFFFFFFFFFFFFFFull) | (bits(sign) & 0x8000000000000000ull));
}

/* 2^n for -1022 <= n <= 1023. */
static double power2(int n) { return fromBits((uint64_t)(n + 1023) << 52); }

/* ---- Double-double arithmetic ---- */

typedef struct {
    double hi, lo;
} dd;

/* a + b exactly, as hi + lo (any order of magnitude). */
static dd twoSum(double a, double b) {
    double s = a + b;
    double bb = s - a;
    dd r = {s, (a - (s - bb)) + (b - bb)};
    return r;
}

/* a + b exactly when |a| >= |b|. */
static dd fastTwoSum(double a, double b) {
    double s = a + b;
    dd r = {s, b - (s - a)};
    return r;
}

/* Dekker's split: a = hi + lo with 26 bits each (no overflow for |a| < 2^996). */
static void splitDouble(double a, double *hi, double *lo) {
    double c = 134217729.0 * a; /* 2^27 + 1 */
    *hi = c - (c - a);
    *lo = a - *hi;
}

/* a * b exactly, as hi + lo. */
static dd twoProduct(double a, double b) {
    double p = a * b, ah, al, bh, bl;
    splitDouble(a, &ah, &al);
    splitDouble(b, &bh, &bl);
    dd r = {p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
    return r;
}

static dd ddAdd(dd a, dd b) {
    dd s = twoSum(a.hi, b.hi);
    return fastTwoSum(s.hi, s.lo + a.lo + b.lo);
}

static dd ddMulDouble(dd a, double b) {
    dd p = twoProduct(a.hi, b);
    return fastTwoSum(p.hi, p.lo + a.lo * b);
}

static dd ddMul(dd a, dd b) {
    dd p = twoProduct(a.hi, b.hi);
    return fastTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static dd ddDiv(dd a, dd b) {
    double q = a.hi / b.hi;
    dd p = ddMulDouble(b, q);
    double remainder = ((a.hi - p.hi) - p.lo + a.lo);
    return fastTwoSum(q, remainder / b.hi);
}

static dd ddFromDouble(double a) {
    dd r = {a, 0};
    return r;
}

/* sqrt(a) for a > 0. */
static dd ddSqrt(dd a) {
    double s = __builtin_sqrt(a.hi);
    dd square = twoProduct(s, s);
    double correction = ((a.hi - square.hi) - square.lo + a.lo) / (2 * s);
    return fastTwoSum(s, correction);
}

static double ddValue(dd a) { return a.hi + a.lo; }

/* ---- Rounding and decomposition ---- */

double xm_trunc(double x) {
    uint64_t b = bits(x);
    int e = (int)((b >> 52) & 0x7FF) - 1023;
    if (e >= 52) return x;
    if (e < 0) return withSign(0.0, x);
    uint64_t mask = (1ull << (52 - e)) - 1;
    return fromBits(b & ~mask);
}

double xm_floor(double x) {
    double t = xm_trunc(x);
    if (t != x && x < 0) return t - 1;
    return t;
}

double xm_ceil(double x) {
    double t = xm_trunc(x);
    if (t != x && x > 0) return t + 1;
    return t;
}

double xm_round(double x) {
    double t = xm_trunc(x);
    if (absolute(x - t) >= 0.5) t += x > 0 ? 1 : -1;
    return t;
}

/* To nearest, ties to even (the default rounding mode). */
double xm_rint(double x) {
    if (absolute(x) >= 4503599627370496.0 || x != x) return x; /* 2^52 */
    double big = withSign(4503599627370496.0, x);
    double r = (x + big) - big;
    return withSign(r, x);
}

double xm_modf(double x, double *integer) {
    if (isInf(x)) {
        *integer = x;
        return withSign(0.0, x);
    }
    double t = xm_trunc(x);
    *integer = t;
    if (isNan(x)) return x;
    return withSign(x - t, x);
}

double xm_frexp(double x, int *exponent) {
    uint64_t b = bits(x);
    int e = (int)((b >> 52) & 0x7FF);
    if (!e) {
        if (!(b << 1)) {
            *exponent = 0;
            return x;
        }
        /* Subnormal: normalise first. */
        x *= 18014398509481984.0; /* 2^54 */
        b = bits(x);
        e = (int)((b >> 52) & 0x7FF) - 54;
    } else if (e == 0x7FF) {
        *exponent = 0;
        return x;
    }
    *exponent = e - 1022;
    return fromBits((b & 0x800FFFFFFFFFFFFFull) | (1022ull << 52));
}

/* x * 2^n with one rounding (also into the subnormal range). */
double xm_ldexp(double x, int n, int *error) {
    if (x == 0 || isInf(x) || isNan(x)) return x;
    if (n > 2200) n = 2200;
    if (n < -2200) n = -2200;
    while (n > 1000) {
        x *= power2(1000);
        n -= 1000;
    }
    /* Going down, scale in exact steps while the result stays normal, then once. */
    while (n < -1000) {
        double scaled = x * power2(-1000);
        if (absolute(scaled) < 2.2250738585072014e-308) break;
        x = scaled;
        n += 1000;
    }
    double result;
    if (n >= -1022) {
        result = x * power2(n);
    } else {
        /* n < -1022: two exact steps would round twice; split so the last one rounds. */
        int first = n + 60 < -1022 ? -1022 : n + 60;
        double partial = x * power2(first);
        int rest = n - first;
        while (rest < -1022) {
            partial *= power2(-1022);
            rest += 1022;
        }
        result = partial * power2(rest);
    }
    if (isInf(result) || result == 0) SET_ERROR(XM_ERANGE);
    return result;
}

/* fmod: the exact remainder, by long division of the significands. */
double xm_fmod(double x, double y, int *error) {
    if (isNan(x) || isNan(y)) return x + y;
    if (isInf(x) || y == 0) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (isInf(y) || x == 0) return x;
    double ax = absolute(x), ay = absolute(y);
    if (ax < ay) return x;
    int ex, ey;
    double mx = xm_frexp(ax, &ex), my = xm_frexp(ay, &ey);
    uint64_t a = (uint64_t)(mx * 9007199254740992.0); /* 53-bit integers */
    uint64_t b = (uint64_t)(my * 9007199254740992.0);
    int shift = ex - ey;
    while (shift-- > 0) {
        if (a >= b) a -= b;
        a <<= 1;
    }
    if (a >= b) a -= b;
    /* a * 2^(ey - 53) */
    double result = xm_ldexp((double)a, ey - 53, NULL);
    return withSign(result, x);
}

double xm_sqrt(double x, int *error) {
    if (x < 0) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    return __builtin_sqrt(x);
}

/* ---- exp ---- */

/* exp(x.hi + x.lo) = 2^*scale * result, result a double-double in [1, 2) or about, for
   |x| <= 746. */
static dd expCore(dd x, int *scale) {
    double fn = xm_rint(x.hi * XM_32_OVER_LN2);
    int n = (int)fn;
    /* r = x - n * ln2/32 in three parts (the first two products are exact). */
    double a = x.hi - fn * XM_LN2_32_1; /* exact (Sterbenz) */
    dd r = twoSum(a, -fn * XM_LN2_32_2);
    r.lo += x.lo - fn * XM_LN2_32_3;
    r = fastTwoSum(r.hi, r.lo);
    int j = n & 31;
    *scale = (n - j) / 32;
    /* exp(r) - 1 for |r| <= ln2/64: r + r^2/2 + ... + r^8/8! */
    double t = r.hi;
    double tail = t * t *
                  (1.0 / 2 +
                      t * (1.0 / 6 +
                              t * (1.0 / 24 +
                                      t * (1.0 / 120 + t * (1.0 / 720 + t * (1.0 / 5040 + t * (1.0 / 40320)))))));
    /* p = r + tail as a double-double, with the low part of r folded in (times exp'(r) ~ 1). */
    dd p = fastTwoSum(t, tail + r.lo * (1 + t));
    /* T[j] * (1 + p) */
    dd table = {xm_exp_table[j][0], xm_exp_table[j][1]};
    dd product = ddMul(table, p);
    return ddAdd(table, product);
}

/* 2^scale * v rounded once (also when subnormal). */
static double scaled(dd v, int scale) {
    if (scale >= -1021 && scale <= 1023) return ddValue(v) * power2(scale);
    if (scale > 1023) return ddValue(v) * power2(1023) * power2(scale - 1023);
    /* Subnormal: add the parts after scaling the high part exactly into range. */
    double high = v.hi * power2(scale + 100);
    double low = v.lo * power2(scale + 100);
    return xm_ldexp(high + low, -100, NULL);
}

double xm_exp(double x, int *error) {
    if (isNan(x)) return x;
    if (x > 709.782712893384) {
        SET_ERROR(XM_ERANGE);
        return INF;
    }
    if (x < -745.1332191019412) {
        if (!isInf(x)) SET_ERROR(XM_ERANGE);
        return 0;
    }
    if (absolute(x) < 0x1p-60) return 1 + x;
    int scale;
    dd v = expCore(ddFromDouble(x), &scale);
    double result = scaled(v, scale);
    if (result == 0 || result < 2.2250738585072014e-308) SET_ERROR(XM_ERANGE);
    return result;
}

double xm_exp2(double x, int *error) {
    if (isNan(x)) return x;
    if (x >= 1024) {
        SET_ERROR(XM_ERANGE);
        return INF;
    }
    if (x < -1075) {
        if (!isInf(x)) SET_ERROR(XM_ERANGE);
        return 0;
    }
    if (x == xm_trunc(x)) return xm_ldexp(1.0, (int)x, error);
    dd ln2 = {XM_LN2, XM_LN2_TAIL};
    int scale;
    dd v = expCore(ddMulDouble(ln2, x), &scale);
    return scaled(v, scale);
}

/* exp(x) - 1 for |x| <= 0.35, accurate to well below an ulp: its Taylor series. */
static double expm1Small(double x) {
    static const double c[] = {1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
        1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0, 1.0 / 87178291200.0};
    double p = c[11];
    for (int i = 10; i >= 0; i--) p = c[i] + x * p;
    double poly = 0.5 + x * p;
    dd r = fastTwoSum(x, x * x * poly);
    return ddValue(r);
}

double xm_expm1(double x, int *error) {
    if (isNan(x)) return x;
    if (x > 709.782712893384) {
        SET_ERROR(XM_ERANGE);
        return INF;
    }
    if (x < -40) return -1;
    if (absolute(x) < 0x1p-60) return x;
    if (absolute(x) <= 0.35) return expm1Small(x);
    if (x > 700) return xm_exp(x, error);
    int scale;
    dd v = expCore(ddFromDouble(x), &scale);
    /* 2^scale * v - 1 */
    dd s = {v.hi * power2(scale), v.lo * power2(scale)};
    return ddValue(ddAdd(s, ddFromDouble(-1)));
}

/* ---- log ---- */

/* log(x) for finite x > 0, as a double-double. */
static dd logCore(double x) {
    int e = 0;
    if (x < 2.2250738585072014e-308) {
        x *= 18014398509481984.0; /* 2^54 */
        e -= 54;
    }
    uint64_t b = bits(x);
    e += (int)(b >> 52) - 1023;
    double m = fromBits((b & 0x000FFFFFFFFFFFFFull) | (1023ull << 52)); /* [1, 2) */
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e++;
    }
    int k = (int)(m * 128 + 0.5);
    double c = k / 128.0;
    double f = m - c; /* exact */
    /* r = f / c as a double-double */
    double rh = f / c;
    dd p = twoProduct(rh, c);
    double rl = ((f - p.hi) - p.lo) / c;
    /* log1p(r) - r for |r| <= 1/180: -r^2/2 + r^3/3 - ... + r^9/9 */
    double poly =
        rh * rh *
        (-1.0 / 2 +
            rh * (1.0 / 3 +
                     rh * (-1.0 / 4 + rh * (1.0 / 5 + rh * (-1.0 / 6 + rh * (1.0 / 7 + rh * (-1.0 / 8 + rh / 9)))))));
    dd table = {xm_log_table[k - XM_LOG_FIRST][0], xm_log_table[k - XM_LOG_FIRST][1]};
    dd exponent = {e * XM_LN2_HI, e * XM_LN2_LO};
    dd s = ddAdd(exponent, table);
    dd t = twoSum(s.hi, rh);
    double low = t.lo + s.lo + rl - rh * rl + poly;
    return fastTwoSum(t.hi, low);
}

double xm_log(double x, int *error) {
    if (isNan(x)) return x;
    if (x < 0) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (x == 0) {
        SET_ERROR(XM_ERANGE);
        return -INF;
    }
    if (isInf(x)) return x;
    return ddValue(logCore(x));
}

double xm_log10(double x, int *error) {
    if (isNan(x)) return x;
    if (x < 0) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (x == 0) {
        SET_ERROR(XM_ERANGE);
        return -INF;
    }
    if (isInf(x)) return x;
    dd factor = {XM_LOG10E, XM_LOG10E_TAIL};
    return ddValue(ddMul(logCore(x), factor));
}

double xm_log2(double x, int *error) {
    if (isNan(x)) return x;
    if (x < 0) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (x == 0) {
        SET_ERROR(XM_ERANGE);
        return -INF;
    }
    if (isInf(x)) return x;
    int e;
    double m = xm_frexp(x, &e);
    if (m == 0.5) return e - 1;
    dd factor = {XM_INV_LN2, XM_INV_LN2_TAIL};
    return ddValue(ddMul(logCore(x), factor));
}

double xm_log1p(double x, int *error) {
    if (isNan(x)) return x;
    if (x < -1) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (x == -1) {
        SET_ERROR(XM_ERANGE);
        return -INF;
    }
    if (isInf(x)) return x;
    if (absolute(x) < 0x1p-60) return x;
    /* 1 + x as a double-double, then log(u) with u = hi + lo: log(hi) + lo/hi. */
    dd u = twoSum(1, x);
    dd l = logCore(u.hi);
    return ddValue(fastTwoSum(l.hi, l.lo + u.lo / u.hi));
}

/* ---- pow ---- */

/* Whether y is an integer, and whether an odd one. */
static int integerKind(double y) {
    if (isInf(y) || isNan(y)) return 0;
    if (xm_trunc(y) != y) return 0;
    if (absolute(y) >= 9007199254740992.0) return 2; /* even */
    return (int64_t)y % 2 ? 1 : 2;
}

double xm_pow(double x, double y, int *error) {
    if (y == 0) return 1;
    if (x == 1) return 1;
    if (isNan(x) || isNan(y)) return x + y;
    int kind = integerKind(y); /* 0 not an integer, 1 odd, 2 even */
    if (x == 0) {
        if (y < 0) {
            SET_ERROR(XM_ERANGE);
            return kind == 1 ? withSign(INF, x) : INF;
        }
        return kind == 1 ? x : 0.0;
    }
    if (isInf(y)) {
        double ax = absolute(x);
        if (ax == 1) return 1;
        if ((ax < 1) == (y < 0)) return INF;
        return 0;
    }
    if (isInf(x)) {
        if (x > 0) return y < 0 ? 0.0 : INF;
        if (y < 0) return kind == 1 ? -0.0 : 0.0;
        return kind == 1 ? -INF : INF;
    }
    double sign = 1;
    if (x < 0) {
        if (!kind) {
            SET_ERROR(XM_EDOM);
            return NAN_VALUE;
        }
        if (kind == 1) sign = -1;
        x = -x;
    }
    if (x == 1) return sign;
    if (y == 1) return sign * x;
    if (y == 2) return sign * x * x;
    if (y == 0.5) return __builtin_sqrt(x);
    if (absolute(y) > 0x1p900) {
        /* |y log x| is enormous (x != 1): overflow or underflow */
        SET_ERROR(XM_ERANGE);
        return (x > 1) == (y > 0) ? sign * INF : sign * 0.0;
    }
    dd l = logCore(x);
    /* z = y * log(x) */
    dd z = twoProduct(y, l.hi);
    z = fastTwoSum(z.hi, z.lo + y * l.lo);
    if (z.hi > 709.79) {
        SET_ERROR(XM_ERANGE);
        return sign * INF;
    }
    if (z.hi < -745.2) {
        SET_ERROR(XM_ERANGE);
        return sign * 0.0;
    }
    int scale;
    dd v = expCore(z, &scale);
    double result = scaled(v, scale);
    if (isInf(result) || result == 0) SET_ERROR(XM_ERANGE);
    return sign * result;
}

/* ---- Trigonometric functions ---- */

/* x = n * pi/2 + r, |r| <= pi/4 (about), r as a double-double; returns n mod 4. */
static int reduce(double x, dd *r) {
    double ax = absolute(x);
    if (ax <= 0.7853981633974483) {
        r->hi = x;
        r->lo = 0;
        return 0;
    }
    if (ax < 1048576.0) { /* 2^20: Cody-Waite with four parts of pi/2 */
        double fn = xm_rint(x * XM_2_OVER_PI);
        double a = x - fn * XM_PIO2_1; /* exact */
        dd s = twoSum(a, -fn * XM_PIO2_2);
        dd t = twoSum(s.hi, -fn * XM_PIO2_3);
        double low = s.lo + t.lo - fn * XM_PIO2_4;
        *r = fastTwoSum(t.hi, low);
        return (int)((int64_t)fn & 3);
    }
    /* Payne-Hanek: the bits of x * 2/pi around the binary point, from a window of 2/pi. */
    uint64_t b = bits(ax);
    int e = (int)(b >> 52) - 1075; /* x = m * 2^e */
    uint64_t m = (b & 0x000FFFFFFFFFFFFFull) | 0x0010000000000000ull;
    /* Window of 192 bits of 2/pi starting after bit s = e - 2 (bits before 1 are 0). */
    int s = e - 2;
    uint32_t window[6];
    for (int i = 0; i < 6; i++) {
        uint32_t w = 0;
        for (int k = 0; k < 32; k++) {
            int position = s + 1 + i * 32 + k; /* bit index, 1 = the first after the point */
            int bit = 0;
            if (position >= 1 && position <= 42 * 32)
                bit = (int)((xm_two_over_pi[(position - 1) / 32] >> (31 - (position - 1) % 32)) & 1);
            w = (w << 1) | (uint32_t)bit;
        }
        window[i] = w;
    }
    /* P = m * W, W = window as a 192-bit integer (most significant word first); the value is
       P * 2^-190. */
    uint32_t product[8] = {0};
    uint32_t mw[2] = {(uint32_t)m, (uint32_t)(m >> 32)};
    for (int i = 5; i >= 0; i--) {
        uint64_t carry = 0;
        int wordIndex = 5 - i; /* little-endian position of window[i] */
        for (int k = 0; k < 2; k++) {
            uint64_t t = (uint64_t)window[i] * mw[k] + product[wordIndex + k] + carry;
            product[wordIndex + k] = (uint32_t)t;
            carry = t >> 32;
        }
        int p = wordIndex + 2;
        while (carry && p < 8) {
            uint64_t t = (uint64_t)product[p] + carry;
            product[p] = (uint32_t)t;
            carry = t >> 32;
            p++;
        }
    }
    /* Bits 190 and 191: n mod 4; bits 189 down: the fraction. */
    uint64_t top = ((uint64_t)product[5] << 32) | product[4]; /* bits 191..128 */
    int n = (int)((top >> 62) & 3);
    uint64_t f1 = (top << 2) | (product[3] >> 30);                              /* fraction bits 189..126 */
    uint64_t f2 = ((uint64_t)(product[3] & 0x3FFFFFFF) << 34) | ((uint64_t)product[2] << 2); /* 125..62 */
    /* fraction in [0, 1); fold to [-1/2, 1/2) */
    double fh = (double)(f1 >> 11) * 0x1p-53;
    double fl = ((double)(f1 & 0x7FF) * 0x1p-64) + (double)(f2 >> 11) * 0x1p-117;
    dd frac = fastTwoSum(fh, fl);
    if (frac.hi >= 0.5) {
        frac = ddAdd(frac, ddFromDouble(-1));
        n = (n + 1) & 3;
    }
    dd pio2 = {XM_PIO2, XM_PIO2_TAIL};
    *r = ddMul(frac, pio2);
    if (x < 0) {
        r->hi = -r->hi;
        r->lo = -r->lo;
        n = (4 - n) & 3;
    }
    return n;
}

/* sin(r) for |r| <= pi/4 + a little, as a double-double. */
static dd sinKernel(dd r) {
    double x = r.hi, z = x * x;
    double p = -1.0 / 6 +
               z * (1.0 / 120 +
                       z * (-1.0 / 5040 +
                               z * (1.0 / 362880 +
                                       z * (-1.0 / 39916800 +
                                               z * (1.0 / 6227020800.0 +
                                                       z * (-1.0 / 1307674368000.0 +
                                                               z * (1.0 / 355687428096000.0 +
                                                                       z * (-1.0 / 121645100408832000.0))))))));
    double tail = x * z * p + r.lo * (1 - z * 0.5);
    return fastTwoSum(x, tail);
}

/* cos(r) for |r| <= pi/4 + a little, as a double-double. */
static dd cosKernel(dd r) {
    double x = r.hi, z = x * x;
    double p = 1.0 / 24 +
               z * (-1.0 / 720 +
                       z * (1.0 / 40320 +
                               z * (-1.0 / 3628800 +
                                       z * (1.0 / 479001600 +
                                               z * (-1.0 / 87178291200.0 +
                                                       z * (1.0 / 20922789888000.0 +
                                                               z * (-1.0 / 6402373705728000.0 +
                                                                       z * (1.0 / 2432902008176640000.0))))))));
    /* 1 - z/2 exactly as a double-double, then the rest. */
    dd half = twoProduct(x, x);
    half.hi *= 0.5;
    half.lo *= 0.5;
    dd w = twoSum(1, -half.hi);
    double tail = w.lo - half.lo + z * z * p - x * r.lo;
    return fastTwoSum(w.hi, tail);
}

double xm_sin(double x, int *error) {
    if (isNan(x)) return x;
    if (isInf(x)) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (absolute(x) < 0x1p-27) return x;
    dd r;
    int n = reduce(x, &r);
    dd v;
    switch (n) {
    case 0: v = sinKernel(r); break;
    case 1: v = cosKernel(r); break;
    case 2: v = sinKernel(r), v.hi = -v.hi, v.lo = -v.lo; break;
    default: v = cosKernel(r), v.hi = -v.hi, v.lo = -v.lo; break;
    }
    return ddValue(v);
}

double xm_cos(double x, int *error) {
    if (isNan(x)) return x;
    if (isInf(x)) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (absolute(x) < 0x1p-27) return 1;
    dd r;
    int n = reduce(x, &r);
    dd v;
    switch (n) {
    case 0: v = cosKernel(r); break;
    case 1: v = sinKernel(r), v.hi = -v.hi, v.lo = -v.lo; break;
    case 2: v = cosKernel(r), v.hi = -v.hi, v.lo = -v.lo; break;
    default: v = sinKernel(r); break;
    }
    return ddValue(v);
}

double xm_tan(double x, int *error) {
    if (isNan(x)) return x;
    if (isInf(x)) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (absolute(x) < 0x1p-27) return x;
    dd r;
    int n = reduce(x, &r);
    dd s = sinKernel(r), c = cosKernel(r);
    dd q;
    if (n & 1) {
        q = ddDiv(c, s);
        q.hi = -q.hi;
        q.lo = -q.lo;
    } else {
        q = ddDiv(s, c);
    }
    return ddValue(q);
}

/* atan(n/d) in [0, pi/2] for n, d >= 0 (not both 0), as a double-double. */
static dd atanCore(dd n, dd d) {
    int swapped = 0;
    if (n.hi > d.hi) {
        dd t = n;
        n = d;
        d = t;
        swapped = 1;
    }
    /* Scale d to [0.5, 1) (n <= d): the products below then stay far from overflow. */
    int e;
    xm_frexp(d.hi, &e);
    if (e > 60 || e < -60) {
        double f = xm_ldexp(1.0, -e, NULL);
        d.hi *= f, d.lo *= f;
        n.hi *= f, n.lo *= f;
    }
    if (n.hi < d.hi * 0x1p-60) {
        /* atan(q) = q for tiny q */
        dd tiny = {n.hi / d.hi, 0};
        if (swapped) {
            dd pio2 = {XM_PIO2, XM_PIO2_TAIL};
            tiny.hi = -tiny.hi;
            return ddAdd(pio2, tiny);
        }
        return tiny;
    }
    dd q = ddDiv(n, d); /* [0, 1] */
    int j = (int)(q.hi * 64 + 0.5);
    double c = j / 64.0;
    /* t = (q - c) / (1 + q c) */
    dd numerator = ddAdd(q, ddFromDouble(-c));
    dd denominator = ddAdd(ddFromDouble(1), ddMulDouble(q, c));
    dd t = ddDiv(numerator, denominator);
    double x = t.hi, z = x * x;
    double poly = x * z *
                  (-1.0 / 3 +
                      z * (1.0 / 5 + z * (-1.0 / 7 + z * (1.0 / 9 + z * (-1.0 / 11 + z * (1.0 / 13 - z / 15))))));
    dd table = {xm_atan_table[j][0], xm_atan_table[j][1]};
    dd angle = ddAdd(table, fastTwoSum(x, t.lo + poly));
    if (swapped) {
        dd pio2 = {XM_PIO2, XM_PIO2_TAIL};
        angle.hi = -angle.hi;
        angle.lo = -angle.lo;
        angle = ddAdd(pio2, angle);
    }
    return angle;
}

double xm_atan(double x) {
    if (isNan(x)) return x;
    if (absolute(x) < 0x1p-27) return x;
    if (isInf(x)) return withSign(XM_PIO2, x);
    dd a = atanCore(ddFromDouble(absolute(x)), ddFromDouble(1));
    return withSign(ddValue(a), x);
}

/* The angle of (x, y) from angle = atan(|y|/|x|) by quadrant. */
static double quadrantAngle(dd angle, double y, double x) {
    if (x < 0 || (x == 0 && __builtin_signbit(x))) {
        dd pi = {XM_PI, XM_PI_TAIL};
        angle.hi = -angle.hi;
        angle.lo = -angle.lo;
        angle = ddAdd(pi, angle);
    }
    return withSign(ddValue(angle), y);
}

double xm_atan2(double y, double x) {
    if (isNan(x) || isNan(y)) return x + y;
    if (y == 0) {
        if (__builtin_signbit(x)) return withSign(XM_PI, y);
        return y;
    }
    if (x == 0) return withSign(XM_PIO2, y);
    if (isInf(x)) {
        if (isInf(y)) return withSign(x > 0 ? XM_PIO4 : 3 * XM_PIO4, y);
        return x > 0 ? withSign(0.0, y) : withSign(XM_PI, y);
    }
    if (isInf(y)) return withSign(XM_PIO2, y);
    /* Scale both into a comfortable range (the quotient is what counts). */
    double ay = absolute(y), ax = absolute(x);
    int ey, ex;
    xm_frexp(ay, &ey);
    xm_frexp(ax, &ex);
    if (ey - ex > 60) return quadrantAngle(ddFromDouble(XM_PIO2), y, x);
    if (ex - ey > 60) {
        /* tiny angle: |y/x| (or pi minus it) */
        double q = ay / ax;
        if (x > 0) return withSign(q, y);
        return withSign(XM_PI - q, y);
    }
    int shift = -(ex > ey ? ex : ey);
    ay = xm_ldexp(ay, shift, NULL);
    ax = xm_ldexp(ax, shift, NULL);
    dd angle = atanCore(ddFromDouble(ay), ddFromDouble(ax));
    return quadrantAngle(angle, y, x);
}

/* sqrt(1 - x^2) as a double-double, |x| <= 1. */
static dd cofunction(double x) {
    dd square = twoProduct(x, x);
    dd d = twoSum(1, -square.hi);
    d = fastTwoSum(d.hi, d.lo - square.lo);
    return ddSqrt(d);
}

double xm_asin(double x, int *error) {
    if (isNan(x)) return x;
    double ax = absolute(x);
    if (ax > 1) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (ax < 0x1p-27) return x;
    if (ax == 1) return withSign(XM_PIO2, x);
    dd a = atanCore(ddFromDouble(ax), cofunction(ax));
    return withSign(ddValue(a), x);
}

double xm_acos(double x, int *error) {
    if (isNan(x)) return x;
    double ax = absolute(x);
    if (ax > 1) {
        SET_ERROR(XM_EDOM);
        return NAN_VALUE;
    }
    if (x == 1) return 0;
    if (x == -1) return XM_PI + XM_PI_TAIL;
    dd a = atanCore(cofunction(ax), ddFromDouble(ax));
    if (x < 0) {
        dd pi = {XM_PI, XM_PI_TAIL};
        a.hi = -a.hi;
        a.lo = -a.lo;
        a = ddAdd(pi, a);
    }
    return ddValue(a);
}

/* ---- Hyperbolic functions ---- */

/* exp(|x|) as 2^scale * v. */
static dd expLarge(double x, int *scale) { return expCore(ddFromDouble(x), scale); }

double xm_sinh(double x, int *error) {
    if (isNan(x) || isInf(x)) return x;
    double ax = absolute(x);
    if (ax < 0x1p-27) return x;
    if (ax < 1) {
        /* x + x^3/3! + ... + x^17/17! */
        double z = x * x;
        double p = 1.0 / 6 +
                   z * (1.0 / 120 +
                           z * (1.0 / 5040 +
                                   z * (1.0 / 362880 +
                                           z * (1.0 / 39916800 +
                                                   z * (1.0 / 6227020800.0 +
                                                           z * (1.0 / 1307674368000.0 + z * (1.0 / 355687428096000.0)))))));
        return ddValue(fastTwoSum(x, x * z * p));
    }
    if (ax > 710.4758600739439) {
        SET_ERROR(XM_ERANGE);
        return withSign(INF, x);
    }
    int scale;
    if (ax > 40) {
        /* e^ax / 2 = e^(ax - ln2) */
        dd arg = twoSum(ax, -XM_LN2);
        arg.lo -= XM_LN2_TAIL;
        dd v = expCore(arg, &scale);
        double r = scaled(v, scale);
        if (isInf(r)) SET_ERROR(XM_ERANGE);
        return withSign(r, x);
    }
    dd e = expLarge(ax, &scale);
    dd big = {e.hi * power2(scale), e.lo * power2(scale)};
    dd small = ddDiv(ddFromDouble(1), big);
    small.hi = -small.hi;
    small.lo = -small.lo;
    dd d = ddAdd(big, small);
    return withSign(ddValue(d) * 0.5, x);
}

double xm_cosh(double x, int *error) {
    if (isNan(x)) return x;
    double ax = absolute(x);
    if (isInf(x)) return INF;
    if (ax < 0x1p-27) return 1;
    if (ax > 710.4758600739439) {
        SET_ERROR(XM_ERANGE);
        return INF;
    }
    int scale;
    if (ax > 40) {
        dd arg = twoSum(ax, -XM_LN2);
        arg.lo -= XM_LN2_TAIL;
        dd v = expCore(arg, &scale);
        double r = scaled(v, scale);
        if (isInf(r)) SET_ERROR(XM_ERANGE);
        return r;
    }
    dd e = expLarge(ax, &scale);
    dd big = {e.hi * power2(scale), e.lo * power2(scale)};
    dd small = ddDiv(ddFromDouble(1), big);
    dd d = ddAdd(big, small);
    return ddValue(d) * 0.5;
}

double xm_tanh(double x) {
    if (isNan(x)) return x;
    double ax = absolute(x);
    if (ax < 0x1p-27) return x;
    if (ax > 22) return withSign(1.0, x);
    if (ax < 0.17) {
        /* tanh(x) = -expm1(-2x) / (expm1(-2x) + 2) */
        double m = expm1Small(-2 * ax);
        dd num = ddFromDouble(-m);
        dd den = twoSum(m, 2);
        return withSign(ddValue(ddDiv(num, den)), x);
    }
    /* 1 - 2 / (e^(2x) + 1) */
    int scale;
    dd e = expCore(ddFromDouble(2 * ax), &scale);
    dd big = {e.hi * power2(scale), e.lo * power2(scale)};
    dd den = ddAdd(big, ddFromDouble(1));
    dd q = ddDiv(ddFromDouble(2), den);
    q.hi = -q.hi;
    q.lo = -q.lo;
    return withSign(ddValue(ddAdd(ddFromDouble(1), q)), x);
}

/* ---- hypot, cbrt ---- */

double xm_hypot(double x, double y, int *error) {
    if (isInf(x) || isInf(y)) return INF;
    if (isNan(x) || isNan(y)) return x + y;
    double ax = absolute(x), ay = absolute(y);
    if (ax < ay) {
        double t = ax;
        ax = ay;
        ay = t;
    }
    if (ay == 0) return ax;
    int e;
    xm_frexp(ax, &e);
    if (e > 500 || e < -500) {
        ax = xm_ldexp(ax, -e, NULL);
        ay = xm_ldexp(ay, -e, NULL);
    } else {
        e = 0;
    }
    dd sum = ddAdd(twoProduct(ax, ax), twoProduct(ay, ay));
    double r = ddValue(ddSqrt(sum));
    if (e) r = xm_ldexp(r, e, error);
    return r;
}

double xm_cbrt(double x) {
    if (x == 0 || isNan(x) || isInf(x)) return x;
    double ax = absolute(x);
    int e;
    double m = xm_frexp(ax, &e); /* [0.5, 1) */
    /* make e a multiple of 3 */
    while (e % 3) {
        m *= 0.5;
        e++;
    }
    /* Newton on m, then one double-double correction step. */
    double r = 0.7 + 0.3 * m;
    for (int i = 0; i < 6; i++) r = r - (r * r * r - m) / (3 * r * r);
    dd r2 = twoProduct(r, r);
    dd r3 = ddMulDouble(r2, r);
    double residual = (r3.hi - m) + r3.lo;
    r = r - residual / (3 * r * r);
    /* Of r and its neighbours, the one whose cube is nearest m (the cubes as
       double-doubles). */
    double best = r, bestError = -1;
    for (int step = -1; step <= 1; step++) {
        double candidate = fromBits(bits(r) + (uint64_t)(int64_t)step);
        dd square = twoProduct(candidate, candidate);
        dd cube = ddMulDouble(square, candidate);
        double difference = absolute((cube.hi - m) + cube.lo);
        if (bestError < 0 || difference < bestError) best = candidate, bestError = difference;
    }
    return withSign(xm_ldexp(best, e / 3, NULL), x);
}
