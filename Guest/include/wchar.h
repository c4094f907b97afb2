/* wchar.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_WCHAR_H
#define XCDB_WCHAR_H

#include <xcdb/crtdefs.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>

_CRT_BEGIN_C_HEADER

typedef int mbstate_t;
#ifndef WCHAR_MIN
#define WCHAR_MIN 0
#define WCHAR_MAX 0xFFFF
#endif
struct tm;

_CRTIMP wint_t __cdecl btowc(int c);
_CRTIMP int __cdecl wctob(wint_t c);
_CRTIMP size_t __cdecl mbrlen(const char *text, size_t count, mbstate_t *state);
_CRTIMP size_t __cdecl mbrtowc(wchar_t *wide, const char *text, size_t count, mbstate_t *state);
_CRTIMP size_t __cdecl wcrtomb(char *text, wchar_t wide, mbstate_t *state);
_CRTIMP size_t __cdecl mbsrtowcs(wchar_t *wide, const char **text, size_t count, mbstate_t *state);
_CRTIMP size_t __cdecl wcsrtombs(char *text, const wchar_t **wide, size_t count, mbstate_t *state);
_CRTIMP int __cdecl mbsinit(const mbstate_t *state);
_CRTIMP size_t __cdecl wcsftime(wchar_t *buffer, size_t size, const wchar_t *format, const struct tm *time);

static __inline wchar_t *wmemcpy(wchar_t *d, const wchar_t *s, size_t n) {
    return (wchar_t *)memcpy(d, s, n * sizeof(wchar_t));
}
static __inline wchar_t *wmemmove(wchar_t *d, const wchar_t *s, size_t n) {
    return (wchar_t *)memmove(d, s, n * sizeof(wchar_t));
}
static __inline wchar_t *wmemset(wchar_t *d, wchar_t c, size_t n) {
    for (size_t i = 0; i < n; i++) d[i] = c;
    return d;
}
static __inline int wmemcmp(const wchar_t *a, const wchar_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}
static __inline wchar_t *wmemchr(const wchar_t *s, wchar_t c, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] == c) return (wchar_t *)(s + i);
    return 0;
}

_CRT_END_C_HEADER

#endif
