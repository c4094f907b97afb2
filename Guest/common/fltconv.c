/* Exact float <-> decimal conversion (fltconv.h) with big integers: printing multiplies the
   binary significand out into a decimal integer; parsing compares the decimal value with
   binary candidates. Slow for extreme exponents, always exact. */
#include "fltconv.h"
#include "bigint.h"

static uint64_t bits_of(double v) {
    uint64_t b;
    __builtin_memcpy(&b, &v, 8);
    return b;
}

static double double_of(uint64_t b) {
    double v;
    __builtin_memcpy(&v, &b, 8);
    return v;
}

int xc_exact_digits(double value, char digits[XC_MAX_DIGITS], int *exponent) {
    uint64_t b = bits_of(value) & 0x7FFFFFFFFFFFFFFFull;
    int biased = (int)(b >> 52);
    uint64_t mantissa = b & 0xFFFFFFFFFFFFFull;
    if (!biased && !mantissa) {
        *exponent = 0;
        return 0;
    }
    int e; /* value = mantissa * 2^e */
    if (biased) mantissa |= 1ull << 52, e = biased - 1075;
    else e = -1074;
    while (!(mantissa & 1)) mantissa >>= 1, e++;
    xc_big n;
    xc_big_set(&n, mantissa);
    int fraction = 0; /* decimal digits after the point */
    if (e >= 0) xc_big_shift_left(&n, e);
    else xc_big_mul_pow5(&n, -e), fraction = -e;
    /* Digits of n, least significant first, nine at a time. */
    char reversed[XC_MAX_DIGITS + 16];
    int count = 0;
    while (n.length) {
        uint32_t chunk = xc_big_div_small(&n, 1000000000u);
        for (int i = 0; i < 9 && count < XC_MAX_DIGITS + 9; i++) {
            reversed[count++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    while (count > 0 && reversed[count - 1] == '0') count--;
    int skip = 0; /* trailing zeros */
    while (skip < count && reversed[skip] == '0') skip++;
    int length = count - skip;
    for (int i = 0; i < length; i++) digits[i] = reversed[count - 1 - i];
    *exponent = count - fraction;
    return length;
}

int xc_round_digits(char *digits, int count, int keep, int *exponent) {
    if (keep >= count) return count;
    if (keep < 0) {
        *exponent += -keep;
        keep = 0;
        /* Everything is below half of the kept unit: rounds to zero. */
        return 0;
    }
    int up;
    if (digits[keep] > '5') up = 1;
    else if (digits[keep] < '5') up = 0;
    else {
        up = 0;
        for (int i = keep + 1; i < count; i++)
            if (digits[i] != '0') up = 1;
        if (!up) up = keep > 0 ? (digits[keep - 1] - '0') & 1 : 0; /* a tie: to even */
    }
    count = keep;
    if (up) {
        int i = keep - 1;
        while (i >= 0 && digits[i] == '9') i--;
        if (i < 0) {
            digits[0] = '1';
            *exponent += 1;
            return 1;
        }
        digits[i]++;
        count = i + 1;
    }
    while (count > 0 && digits[count - 1] == '0') count--;
    return count;
}

/* ---- Parsing ---- */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int matches(void *s, xc_char_at at, size_t limit, size_t from, const char *word) {
    for (size_t i = 0; word[i]; i++)
        if (from + i >= limit || lower(at(s, from + i)) != word[i]) return 0;
    return 1;
}

/* value = digits x 10^exponent (digits an integer), correctly rounded. */
static double decimal_to_double(const char *digits, int count, int exponent, int *range) {
    if (!count) return 0;
    /* The value lies in [10^(count+exponent-1), 10^(count+exponent)). */
    int magnitude = count + exponent;
    if (magnitude > 310) {
        *range = 1;
        return double_of(0x7FF0000000000000ull);
    }
    if (magnitude < -324) {
        *range = -1;
        return 0;
    }
    /* Fast path: exact in double arithmetic. */
    if (count <= 15 && exponent >= -22 && exponent <= 22) {
        double v = 0;
        for (int i = 0; i < count; i++) v = v * 10 + (digits[i] - '0');
        static const double powers[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
            1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        return exponent >= 0 ? v * powers[exponent] : v / powers[-exponent];
    }
    /* Exact: scale numerator/denominator so that the quotient has 54 to 55 bits, divide,
       and round with the remainder as sticky. */
    static xc_big numerator, denominator, shifted; /* large: kept off the stack */
    xc_big_set(&numerator, 0);
    for (int i = 0; i < count; i += 9) {
        uint32_t chunk = 0, scale = 1;
        for (int j = i; j < count && j < i + 9; j++) chunk = chunk * 10 + (uint32_t)(digits[j] - '0'), scale *= 10;
        xc_big_mul_small(&numerator, scale);
        xc_big_add_small(&numerator, chunk);
    }
    xc_big_set(&denominator, 1);
    if (exponent >= 0) xc_big_mul_pow10(&numerator, exponent);
    else xc_big_mul_pow10(&denominator, -exponent);
    /* binary exponent b with numerator / denominator in [2^b, 2^(b+1)). */
    int b = xc_big_bits(&numerator) - xc_big_bits(&denominator);
    /* quotient wanted in [2^54, 2^55): scale by 2^(54 - b), checking the estimate. */
    int scale = 54 - b;
    /* Denormals: the unit of the last place is 2^-1074; the quotient keeps bits down to
       2^-1076 (two guard bits), so scale is at most 1076. */
    if (scale > 1076) scale = 1076;
    if (scale >= 0) xc_big_shift_left(&numerator, scale);
    else xc_big_shift_left(&denominator, -scale);
    /* Long division: at most 57 quotient bits. */
    uint64_t quotient = 0;
    int top = xc_big_bits(&numerator) - xc_big_bits(&denominator) + 1;
    if (top < 0) top = 0;
    if (top > 60) top = 60;
    for (int bit = top; bit >= 0; bit--) {
        shifted = denominator;
        xc_big_shift_left(&shifted, bit);
        if (xc_big_compare(&numerator, &shifted) >= 0) {
            xc_big_sub(&numerator, &shifted);
            quotient |= 1ull << bit;
        }
    }
    int sticky = numerator.length != 0;
    /* value = (quotient + sticky) * 2^-scale. Normalise to 53 bits plus rounding. */
    int e2 = -scale; /* exponent of the quotient's last bit */
    while (quotient >= (1ull << 55)) {
        sticky |= (int)(quotient & 1);
        quotient >>= 1;
        e2++;
    }
    /* Now quotient < 2^55. The double's last bit: normal numbers keep 53 bits, i.e. shift
       until quotient < 2^53; denormals have their last bit at 2^-1074. */
    int shift = 0;
    int bitsNow = quotient ? 64 - __builtin_clzll(quotient) : 0;
    if (bitsNow > 53) shift = bitsNow - 53;
    if (e2 + shift < -1074) shift = -1074 - e2;
    uint64_t kept = shift >= 64 ? 0 : quotient >> shift;
    uint64_t rest = shift >= 64 ? quotient : quotient & ((1ull << shift) - 1);
    uint64_t half = shift == 0 ? 0 : shift >= 64 ? (1ull << 63) : (1ull << (shift - 1));
    int roundUp = 0;
    if (shift > 0) {
        if (rest > half) roundUp = 1;
        else if (rest == half) roundUp = sticky ? 1 : (int)(kept & 1);
        sticky |= rest != 0;
    }
    kept += (uint64_t)roundUp;
    int e = e2 + shift;
    if (kept == (1ull << 53)) kept >>= 1, e++;
    /* kept * 2^e */
    if (!kept) {
        *range = -1;
        return 0;
    }
    int top53 = 64 - __builtin_clzll(kept);
    int unbiased = e + top53 - 1;
    if (unbiased > 1023) {
        *range = 1;
        return double_of(0x7FF0000000000000ull);
    }
    uint64_t result;
    if (top53 == 53 && unbiased >= -1022) {
        result = ((uint64_t)(unbiased + 1023) << 52) | (kept & 0xFFFFFFFFFFFFFull);
    } else {
        /* denormal: e == -1074 */
        result = kept;
        if (sticky || kept < (1ull << 52)) *range = -1;
    }
    return double_of(result);
}

double xc_parse_double(void *s, xc_char_at at, size_t limit, size_t *used, int *range) {
    size_t i = 0;
    *range = 0;
    while (i < limit) {
        int c = at(s, i);
        if (c == ' ' || (c >= '\t' && c <= '\r')) i++;
        else break;
    }
    int negative = 0;
    if (i < limit && (at(s, i) == '+' || at(s, i) == '-')) negative = at(s, i++) == '-';
    double sign = negative ? -1.0 : 1.0;
    if (matches(s, at, limit, i, "inf")) {
        i += 3;
        if (matches(s, at, limit, i, "inity")) i += 5;
        *used = i;
        return sign * double_of(0x7FF0000000000000ull);
    }
    if (matches(s, at, limit, i, "nan")) {
        i += 3;
        if (i < limit && at(s, i) == '(') {
            size_t j = i + 1;
            while (j < limit) {
                int c = lower(at(s, j));
                if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_') j++;
                else break;
            }
            if (j < limit && at(s, j) == ')') i = j + 1;
        }
        *used = i;
        return sign * double_of(0x7FF8000000000000ull);
    }
    if (i + 1 < limit && at(s, i) == '0' && lower(at(s, i + 1)) == 'x') {
        /* Hexadecimal: 0x h.hhh p±d */
        size_t j = i + 2;
        uint64_t mantissa = 0;
        int exponent = 0, any = 0, sticky = 0, point = 0;
        for (; j < limit; j++) {
            int c = lower(at(s, j)), d;
            if (c == '.' && !point) {
                point = 1;
                continue;
            }
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else break;
            any = 1;
            if (mantissa >> 58) {
                sticky |= d != 0;
                if (!point) exponent += 4;
            } else {
                mantissa = mantissa * 16 + (uint64_t)d;
                if (point) exponent -= 4;
            }
        }
        if (!any) {
            *used = i + 1; /* the "0" */
            return sign * 0.0;
        }
        if (j < limit && lower(at(s, j)) == 'p') {
            size_t k = j + 1;
            int expNegative = 0;
            if (k < limit && (at(s, k) == '+' || at(s, k) == '-')) expNegative = at(s, k++) == '-';
            if (k < limit && at(s, k) >= '0' && at(s, k) <= '9') {
                int value = 0;
                while (k < limit && at(s, k) >= '0' && at(s, k) <= '9') {
                    if (value < 100000) value = value * 10 + (at(s, k) - '0');
                    k++;
                }
                exponent += expNegative ? -value : value;
                j = k;
            }
        }
        *used = j;
        if (!mantissa) return sign * 0.0;
        /* Round mantissa * 2^exponent to a double. */
        int top = 64 - __builtin_clzll(mantissa);
        int e = exponent + top - 1;
        int shift = top - 53;
        if (e < -1022) shift += -1022 - e;
        if (e > 1023) {
            *range = 1;
            return sign * double_of(0x7FF0000000000000ull);
        }
        uint64_t kept, rest = 0, half = 0;
        if (shift > 0) {
            kept = shift >= 64 ? 0 : mantissa >> shift;
            rest = shift >= 64 ? mantissa : mantissa & ((1ull << shift) - 1);
            half = shift >= 65 ? 0 : (1ull << (shift - 1));
            if (rest > half || (rest == half && (sticky || (kept & 1)))) kept++;
        } else {
            kept = mantissa << -shift;
        }
        int lsb = exponent + shift;
        double v = (double)kept;
        /* kept < 2^54: exact; scale by 2^lsb in steps that stay exact. */
        while (lsb > 0) {
            int step = lsb > 1000 ? 1000 : lsb;
            v *= double_of((uint64_t)(1023 + step) << 52);
            lsb -= step;
        }
        while (lsb < 0) {
            int step = lsb < -1000 ? 1000 : -lsb;
            /* Dividing by a power of two is exact until the result is denormal; kept was
               rounded at the denormal boundary above, so the last step is exact too. */
            v /= double_of((uint64_t)(1023 + step) << 52);
            lsb += step;
        }
        if (v == 0 || (bits_of(v) & 0x7FF0000000000000ull) == 0) *range = -1;
        if (bits_of(v) == 0x7FF0000000000000ull) *range = 1;
        return sign * v;
    }
    /* Decimal. */
    char digits[XC_MAX_DIGITS + 2];
    int count = 0, dropped = 0, sticky = 0, point = 0, any = 0;
    long pointShift = 0; /* digits after the point that were kept */
    size_t j = i;
    for (; j < limit; j++) {
        int c = at(s, j);
        if (c == '.' && !point) {
            point = 1;
            continue;
        }
        if (c < '0' || c > '9') break;
        any = 1;
        if (c == '0' && count == 0) {
            if (point) pointShift++;
            continue;
        }
        if (count < XC_MAX_DIGITS) {
            digits[count++] = (char)c;
            if (point) pointShift++;
        } else {
            sticky |= c != '0';
            if (!point) dropped++;
        }
    }
    if (!any) {
        *used = 0;
        return 0;
    }
    long exponent = 0;
    if (j < limit && lower(at(s, j)) == 'e') {
        size_t k = j + 1;
        int expNegative = 0;
        if (k < limit && (at(s, k) == '+' || at(s, k) == '-')) expNegative = at(s, k++) == '-';
        if (k < limit && at(s, k) >= '0' && at(s, k) <= '9') {
            long value = 0;
            while (k < limit && at(s, k) >= '0' && at(s, k) <= '9') {
                if (value < 100000000) value = value * 10 + (at(s, k) - '0');
                k++;
            }
            exponent = expNegative ? -value : value;
            j = k;
        }
    }
    *used = j;
    /* A digit beyond the kept ones makes the value strictly larger than the kept prefix. */
    if (sticky) digits[count++] = '1', pointShift++;
    long e10 = exponent - pointShift + dropped;
    if (e10 > 100000) e10 = 100000;
    if (e10 < -100000) e10 = -100000;
    while (count > 0 && digits[count - 1] == '0') count--, e10++;
    double v = decimal_to_double(digits, count, (int)e10, range);
    return sign * v;
}

static int string_at(void *s, size_t i) { return ((const unsigned char *)s)[i]; }

double xc_strtod(const char *text, const char **end, int *range) {
    size_t used = 0;
    /* A string ends at its NUL, which no rule accepts, so the limit can be "unbounded". */
    double v = xc_parse_double((void *)text, string_at, (size_t)-1, &used, range);
    if (end) *end = text + used;
    return v;
}
