/* printf formatting of integers, strings and fixed-point and %g floating values, into
   stdout and into strings. Portable C with nothing that differs between msvcrt and glibc by
   design (no %e, no %p, no long, no %a). */
#include <stdio.h>
#include <string.h>

int main(void) {
    int values[] = {0, 1, -1, 42, -42, 255, 1000, 65535, 123456789, -2147483647 - 1, 2147483647};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        int v = values[i];
        printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%X] [%#x] [%o] [%u] [%.3d]\n", v, v, v, v, v, v, v, v, v,
            v, (unsigned)v, v);
    }
    long long big = 1234567890123456789LL;
    printf("[%lld] [%llx] [%llu] [%20lld] [%-20lld|]\n", big, big, (unsigned long long)-big, -big, big);
    short s = -1234;
    unsigned char c = 200;
    printf("[%hd] [%hu] [%hhu] [%hhd]\n", s, (unsigned short)s, c, (signed char)c);
    printf("[%s] [%10s] [%-10s] [%.3s] [%10.2s] [%c] [%3c] [%-3c] [%%]\n", "text", "right", "left", "truncate", "ab",
        'x', 'y', 'z');
    double doubles[] = {0.0, 1.0, -1.0, 0.5, 3.14159265358979, 2.718281828, 100.0, 1234.5678, 0.001, 1e10, 123456.0,
        1.0 / 3, 2.0 / 3, 0.125, 99.995, 1e-5, 5e-7};
    for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
        double d = doubles[i];
        printf("[%f] [%.2f] [%10.3f] [%-10.1f] [%+.0f] [%g] [%.3g] [%10g] [%G] [%#.3g]\n", d, d, d, d, d, d, d, d, d,
            d);
    }
    char buffer[64];
    int n = sprintf(buffer, "%d-%s-%.1f", 7, "seven", 7.25);
    printf("sprintf wrote %d: %s\n", n, buffer);
    n = snprintf(buffer, 8, "%s", "a long string");
    printf("snprintf said %d, kept [%s]\n", n, buffer);
    n = printf("%s", "counted\n");
    printf("printf returned %d\n", n);
    fprintf(stdout, "fprintf to stdout %d\n", 1);
    fputs("fputs line\n", stdout);
    puts("puts line");
    putchar('!');
    putchar('\n');
    printf("%*d|%-*d|%.*f\n", 6, 42, 6, 42, 2, 3.14159);
    return 0;
}
