/* sscanf: integers, floating point, strings, characters, scan sets, widths, assignment
   suppression, %n, return counts and failures. */
#include <stdio.h>

int main(void) {
    int a = 0, b = 0, c = 0;
    unsigned u = 0;
    int n = sscanf("12 -34 0x1f", "%d %d %i", &a, &b, &c);
    printf("%d: %d %d %d\n", n, a, b, c);
    n = sscanf("ff 777 1010", "%x %o %u", &a, &b, &u);
    printf("%d: %d %d %u\n", n, a, b, u);
    double d = 0;
    float f = 0;
    n = sscanf("3.25 -1.5e3", "%lf %f", &d, &f);
    printf("%d: %.2f %.1f\n", n, d, f);
    char word[32] = "", rest[32] = "";
    n = sscanf("hello world and more", "%s %31[^\n]", word, rest);
    printf("%d: [%s] [%s]\n", n, word, rest);
    char ch = 0;
    n = sscanf("  x", " %c", &ch);
    printf("%d: [%c]\n", n, ch);
    n = sscanf("abc123def", "%[a-z]%d%s", word, &a, rest);
    printf("%d: [%s] %d [%s]\n", n, word, a, rest);
    n = sscanf("12345", "%3d%2d", &a, &b);
    printf("%d: %d %d\n", n, a, b);
    int consumed = 0;
    n = sscanf("skip 99 end", "%*s %d%n", &a, &consumed);
    printf("%d: %d consumed %d\n", n, a, consumed);
    n = sscanf("abc", "%d", &a);
    printf("no match: %d\n", n);
    n = sscanf("", "%d", &a);
    printf("empty: %d\n", n);
    n = sscanf("10,20;30", "%d,%d;%d", &a, &b, &c);
    printf("%d: %d %d %d\n", n, a, b, c);
    long long big = 0;
    n = sscanf("-9000000000", "%lld", &big);
    printf("%d: %lld\n", n, big);
    char line[64];
    n = sscanf("key = value # comment", "%*s = %63[^#]", line);
    printf("%d: [%s]\n", n, line);
    return 0;
}
