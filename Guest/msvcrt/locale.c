/* The "C" locale, the only one the simulated machine's msvcrt has. */
#include "crt.h"
#include <locale.h>

static char C[] = "C";
static char Empty[] = "";
static char Point[] = ".";
static struct lconv Conventions = {Point, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, 127, 127,
    127, 127, 127, 127, 127, 127};

char *__cdecl setlocale(int category, const char *locale) {
    if (category < LC_ALL || category > LC_TIME) return NULL;
    if (!locale || !strcmp(locale, "C") || !*locale || !strcmp(locale, "POSIX")) return C;
    return NULL;
}

wchar_t *__cdecl _wsetlocale(int category, const wchar_t *locale) {
    static wchar_t wideC[] = L"C";
    if (category < LC_ALL || category > LC_TIME) return NULL;
    if (!locale || !*locale || !wcscmp(locale, L"C")) return wideC;
    return NULL;
}

struct lconv *__cdecl localeconv(void) { return &Conventions; }
