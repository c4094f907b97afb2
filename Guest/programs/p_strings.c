/* string.h and ctype.h work. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char buffer[128];
    strcpy(buffer, "Hello");
    strcat(buffer, ", ");
    strncat(buffer, "World!!!", 6);
    printf("%s (%u)\n", buffer, (unsigned)strlen(buffer));
    printf("cmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
    printf("ncmp %d\n", strncmp("prefix-one", "prefix-two", 7));
    printf("chr [%s] rchr [%s] str [%s]\n", strchr(buffer, 'o'), strrchr(buffer, 'o'), strstr(buffer, "Wor"));
    printf("spn %u cspn %u pbrk [%s]\n", (unsigned)strspn("aabbcx", "ab"), (unsigned)strcspn("hello world", " "),
        strpbrk("hello world", "ow"));
    char tokens[] = "one, two,,three four";
    for (char *t = strtok(tokens, ", "); t; t = strtok(NULL, ", ")) printf("<%s>", t);
    printf("\n");
    char block[16];
    memset(block, '*', sizeof(block));
    memcpy(block, "abcdef", 6);
    memmove(block + 2, block, 6);
    printf("%.16s %d\n", block, memcmp("abc", "abd", 3) < 0);
    printf("memchr [%s]\n", (char *)memchr("find the x here", 'x', 15));
    strncpy(buffer, "short", 10);
    printf("strncpy [%s] %d\n", buffer, buffer[7]);
    int letters = 0, digits = 0, spaces = 0, punct = 0, upper = 0, lower = 0;
    const char *text = "The 3 quick brown foxes, 12 lazy dogs!\tEnd.";
    for (const char *p = text; *p; p++) {
        letters += isalpha((unsigned char)*p) != 0;
        digits += isdigit((unsigned char)*p) != 0;
        spaces += isspace((unsigned char)*p) != 0;
        punct += ispunct((unsigned char)*p) != 0;
        upper += isupper((unsigned char)*p) != 0;
        lower += islower((unsigned char)*p) != 0;
    }
    printf("letters %d digits %d spaces %d punct %d upper %d lower %d\n", letters, digits, spaces, punct, upper, lower);
    for (const char *p = "MiXeD cAsE 123"; *p; p++) putchar(islower((unsigned char)*p) ? toupper(*p) : tolower(*p));
    putchar('\n');
    printf("xdigit %d %d alnum %d %d print %d cntrl %d graph %d\n", isxdigit('F') != 0, isxdigit('g') != 0,
        isalnum('5') != 0, isalnum('-') != 0, isprint(' ') != 0, iscntrl('\n') != 0, isgraph(' ') != 0);
    printf("atoi %d strtol %ld %ld %ld\n", atoi("  -123abc"), strtol("0x1f", NULL, 16), strtol("777", NULL, 8),
        strtol("-101", NULL, 2));
    char *end;
    long v = strtol("  42 rest", &end, 10);
    printf("strtol %ld rest [%s]\n", v, end);
    printf("strtoul %lu\n", strtoul("4000000000", NULL, 10) == 4000000000UL ? 1UL : 0UL);
    double d = strtod("  -12.5e2xyz", &end);
    printf("strtod %.1f rest [%s] atof %.3f\n", d, end, atof("3.14159"));
    return 0;
}
