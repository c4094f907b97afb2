/* Compares the guest printf engine (common/format.c) with glibc's printf over many formats
   and values. Prints each mismatch and exits 1 if any. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/format.h"

typedef struct {
    xc_out out;
    char buffer[4096];
    size_t used;
} string_out;

static void string_write(xc_out *out, const void *text, size_t count) {
    string_out *s = (string_out *)out;
    if (s->used + count >= sizeof(s->buffer)) {
        out->error = 1;
        return;
    }
    memcpy(s->buffer + s->used, text, count);
    s->used += count;
}

static int mine(char *result, const char *format, ...) {
    string_out s = {{string_write, 0, 0}, {0}, 0};
    va_list args;
    va_start(args, format);
    int n = xc_vformat(&s.out, 0, format, args);
    va_end(args);
    s.buffer[s.used] = 0;
    strcpy(result, s.buffer);
    return n;
}

static int failures, checks;
#define first_arg(a, ...) (a)

#define CHECK(...)                                                                      \
    do {                                                                                \
        char a[4096], b[4096];                                                          \
        int na = mine(a, __VA_ARGS__);                                                  \
        int nb = snprintf(b, sizeof b, __VA_ARGS__);                                    \
        checks++;                                                                       \
        if (na != nb || strcmp(a, b)) {                                                 \
            if (failures++ < 50) printf("MISMATCH %s: mine [%s] (%d) glibc [%s] (%d)\n", \
                first_arg(__VA_ARGS__, 0), a, na, b, nb);                               \
        }                                                                               \
    } while (0)

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static double random_double(void) {
    for (;;) {
        uint64_t b = next();
        double d;
        memcpy(&d, &b, 8);
        if (isfinite(d)) return d;
    }
}

int main(void) {
    static const char *intFormats[] = {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d",
        "%8.3d", "%-8.3d|", "%+08d", "%.0d", "%u", "%x", "%X", "%#x", "%#X", "%o", "%#o", "%08x",
        "%#10x", "%-#10o|", "%hd", "%hhd", "%hu", "%hhx", "%lld", "%llu", "%llx", "%zd", "%zu",
        "%jd", "%td", "%.0x", "%#.0o", "%+.0d", "% 05d", "%10.0d"};
    int ints[] = {0, 1, -1, 7, -7, 42, 255, 256, 65535, 65536, 123456789, -123456789, 2147483647,
        -2147483647 - 1};
    for (size_t f = 0; f < sizeof intFormats / sizeof *intFormats; f++) {
        const char *fmt = intFormats[f];
        int isLong = strstr(fmt, "ll") || strchr(fmt, 'z') || strchr(fmt, 'j') || strchr(fmt, 't');
        for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
            if (isLong) CHECK(fmt, (long long)ints[i] * 1000003LL);
            else CHECK(fmt, ints[i]);
        }
    }
    CHECK("%lld %llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
    CHECK("%s|%10s|%-10s|%.2s|%10.3s|%-10.1s|", "hello", "abc", "abc", "hello", "hello", "hello");
    CHECK("%c%c%5c%-5c|", 'a', 'b', 'c', 'd');
    CHECK("%%|");
    CHECK("%s", "");
    CHECK("%.0s|", "abc");
    CHECK("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
    CHECK("%.*f|%.*d", 3, 3.14159, 4, 7);
    CHECK("%s", (char *)NULL);
    {
        int n1 = 0, n2 = 0;
        char a[64];
        mine(a, "abc%nxyz", &n1);
        snprintf(a, sizeof a, "abc%nxyz", &n2);
        checks++;
        if (n1 != n2) failures++, printf("MISMATCH %%n: %d vs %d\n", n1, n2);
    }
    static const char *floatFormats[] = {"%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.17f",
        "%.20f", "%10.3f", "%-10.3f|", "%+f", "% f", "%010.3f", "%#.0f", "%g", "%.0g", "%.1g",
        "%.2g", "%.3g", "%.10g", "%.17g", "%#g", "%#.3g", "%10g", "%-12g|", "%+g", "%G", "%e",
        "%.0e", "%.3e", "%.16e", "%E", "%#.0e", "%+.2e", "%12.4e", "%a", "%A", "%.0a", "%.3a",
        "%.13a", "%.20a", "%#a", "%F", "%.30f", "%+010.2f", "%-+10.2f|", "%015.6g", "%.40g"};
    double values[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
        3.14159265358979, 2.718281828459045, 1e-5, 1e-4, 1.5e-4, 9.9999e-5, 123456.0, 1234567.0,
        99999.95, 999999.5, 0.000123456, 1e10, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 1e100, 1e300,
        1.7976931348623157e308, 2.2250738585072014e-308, 4.9e-324, 1e-310, 5e-324, 0.05, 0.15,
        0.25, 0.35, 0.45, 1.005, 2.675, 1e-7, 123.456, -987.654321, 6.02214076e23, 1.6e-19,
        4503599627370496.5, 9007199254740993.0, 0.9999995, 9.5, 10.5, 0.0009765625, 100, 1000,
        1e6, 1e-6};
    for (size_t f = 0; f < sizeof floatFormats / sizeof *floatFormats; f++)
        for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
            /* glibc writes "1.e+06" here, dropping the zeros # keeps (C11 7.21.6.1 says
               "1.00000e+06"); the engine follows the standard. */
            if (!strcmp(floatFormats[f], "%#g") && values[i] == 999999.5) continue;
            CHECK(floatFormats[f], values[i]);
        }
    CHECK("%f %F %e %g %a", INFINITY, INFINITY, -INFINITY, INFINITY, -INFINITY);
    CHECK("%5f|%-6f|%+f|%f", NAN, NAN, INFINITY, -NAN);
    CHECK("%010f|%-010f|", INFINITY, -INFINITY);
    /* Random doubles through every floating conversion. */
    static const char *randomFormats[] = {"%.17g", "%g", "%.6e", "%.25e", "%f", "%.3f", "%a",
        "%.15g", "%.1e"};
    int count = getenv("XC_COUNT") ? atoi(getenv("XC_COUNT")) : 20000;
    for (int i = 0; i < count; i++) {
        double d = random_double();
        for (size_t f = 0; f < sizeof randomFormats / sizeof *randomFormats; f++) {
            if (randomFormats[f][1] == 'f' && fabs(d) > 1e30) continue;
            CHECK(randomFormats[f], d);
        }
        double small = (double)(int64_t)(next() % 2000001 - 1000000) / 1000.0;
        CHECK("%f|%.2f|%g|%.3g|%e", small, small, small, small, small);
    }
    printf("%d checks, %d mismatches\n", checks, failures);
    return failures != 0;
}
