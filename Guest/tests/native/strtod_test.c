/* Compares the guest strtod (common/fltconv.c) with glibc's: round trips of random doubles,
   random decimal strings near halfway points, hex floats, specials and end positions. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/fltconv.h"

static int failures, checks;
static uint64_t state = 0x243F6A8885A308D3ull;
static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void check(const char *text) {
    const char *endMine;
    int range;
    double mine = xc_strtod(text, &endMine, &range);
    char *endGlibc;
    double glibc = strtod(text, &endGlibc);
    checks++;
    uint64_t a, b;
    memcpy(&a, &mine, 8);
    memcpy(&b, &glibc, 8);
    int same = a == b || (isnan(mine) && isnan(glibc));
    if (!same || endMine != endGlibc) {
        if (failures++ < 40)
            printf("MISMATCH [%s]: mine %.17g (end %d) glibc %.17g (end %d)\n", text, mine,
                (int)(endMine - text), glibc, (int)(endGlibc - text));
    }
}

int main(void) {
    static const char *fixed[] = {"0", "-0", "1", "+1", "  42", "3.14159", ".5", "5.", ".",
        "-.e3", "1e", "1e+", "1e-", "1e5x", "0x", "0x1p3", "0x1.8p-1", "0X1P+10", "0x.8p1",
        "0x1.fffffffffffff8p1023", "0x1p-1074", "0x1p-1075", "0x1.8p-1074", "0x3p-1076",
        "inf", "-INF", "infinity", "infinit", "nan", "NaN(123)", "nan(", "1e308", "1e309",
        "-1e400", "1e-320", "1e-400", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.797693134862315807e308",
        "9007199254740993", "9007199254740992.5", "9007199254740993.0000000000000000001",
        "0.1", "0.30000000000000004", "123456789012345678901234567890", "1e23", "8.5e-1",
        "000000000000000000001.5", "1.000000000000000000000000000000000000000000000001",
        "7.2057594037927933e16", "  \t\n-12.5e-1xyz", "e5", "-", "+", "", "0.000001e6",
        "100000000000000000000000000000000000000000000000000000000000000000000000000000e-78"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) check(fixed[i]);
    char text[1200];
    int count = getenv("XC_COUNT") ? atoi(getenv("XC_COUNT")) : 100000;
    for (int i = 0; i < count; i++) {
        uint64_t bits = next();
        double d;
        memcpy(&d, &bits, 8);
        if (!isfinite(d)) continue;
        snprintf(text, sizeof text, "%.17g", d);
        check(text);
        snprintf(text, sizeof text, "%.16e", d);
        check(text);
        snprintf(text, sizeof text, "%a", d);
        check(text);
        /* Near a halfway point: the exact decimal of the midpoint, nudged. */
        double up = nextafter(d, INFINITY);
        if (isfinite(up) && i % 10 == 0) {
            snprintf(text, sizeof text, "%.800e", d / 2 + up / 2);
            check(text);
            long double mid = ((long double)d + (long double)up) / 2;
            snprintf(text, sizeof text, "%.60Le", mid);
            check(text);
        }
        /* Random short decimals. */
        snprintf(text, sizeof text, "%llu.%llue%d", (unsigned long long)(next() % 1000000000),
            (unsigned long long)(next() % 1000000), (int)(next() % 700) - 350);
        check(text);
    }
    printf("%d checks, %d mismatches\n", checks, failures);
    return failures != 0;
}
