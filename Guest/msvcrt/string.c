/* string.h: bytes, narrow strings and wide strings. */
#include "crt.h"

void *__cdecl memcpy(void *dst, const void *src, size_t n) {
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *__cdecl memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    d += n - 1;
    s += n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

void *__cdecl memset(void *dst, int c, size_t n) {
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

int __cdecl memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

void *__cdecl memchr(const void *block, int c, size_t n) {
    const unsigned char *p = block;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c) return (void *)(p + i);
    return NULL;
}

void *__cdecl _memccpy(void *dst, const void *src, int c, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
        if (s[i] == (unsigned char)c) return d + i + 1;
    }
    return NULL;
}

static int Lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int __cdecl _memicmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        int p = Lower(x[i]), q = Lower(y[i]);
        if (p != q) return p - q;
    }
    return 0;
}

size_t __cdecl strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

size_t __cdecl strnlen(const char *s, size_t max) {
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

char *__cdecl strcpy(char *d, const char *s) {
    char *r = d;
    while ((*d++ = *s++)) {}
    return r;
}

char *__cdecl strncpy(char *d, const char *s, size_t n) {
    size_t i = 0;
    for (; i < n && s[i]; i++) d[i] = s[i];
    for (; i < n; i++) d[i] = 0;
    return d;
}

char *__cdecl strcat(char *d, const char *s) {
    strcpy(d + strlen(d), s);
    return d;
}

char *__cdecl strncat(char *d, const char *s, size_t n) {
    char *end = d + strlen(d);
    size_t i = 0;
    for (; i < n && s[i]; i++) end[i] = s[i];
    end[i] = 0;
    return d;
}

int __cdecl strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

int __cdecl strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if (!*a) break;
    }
    return 0;
}

int __cdecl strcoll(const char *a, const char *b) { return strcmp(a, b); }

size_t __cdecl strxfrm(char *d, const char *s, size_t n) {
    size_t length = strlen(s);
    if (length < n) strcpy(d, s);
    return length;
}

char *__cdecl strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return NULL;
    }
}

char *__cdecl strrchr(const char *s, int c) {
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c) last = s;
        if (!*s) return (char *)last;
    }
}

char *__cdecl strstr(const char *h, const char *n) {
    size_t length = strlen(n);
    if (!length) return (char *)h;
    for (; *h; h++)
        if (*h == *n && !strncmp(h, n, length)) return (char *)h;
    return NULL;
}

size_t __cdecl strspn(const char *s, const char *set) {
    size_t n = 0;
    while (s[n] && strchr(set, s[n])) n++;
    return n;
}

size_t __cdecl strcspn(const char *s, const char *set) {
    size_t n = 0;
    while (s[n] && !strchr(set, s[n])) n++;
    return n;
}

char *__cdecl strpbrk(const char *s, const char *set) {
    for (; *s; s++)
        if (strchr(set, *s)) return (char *)s;
    return NULL;
}

char *__cdecl strtok(char *s, const char *delimiters) {
    _ptiddata data = _getptd();
    if (!s) s = data->token;
    if (!s) return NULL;
    s += strspn(s, delimiters);
    if (!*s) {
        data->token = NULL;
        return NULL;
    }
    char *end = s + strcspn(s, delimiters);
    if (*end) *end++ = 0;
    data->token = end;
    return s;
}

char *__cdecl _strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

int __cdecl _stricmp(const char *a, const char *b) {
    int x, y;
    do {
        x = Lower((unsigned char)*a++);
        y = Lower((unsigned char)*b++);
    } while (x && x == y);
    return x - y;
}

int __cdecl _strnicmp(const char *a, const char *b, size_t n) {
    int x = 0, y = 0;
    while (n--) {
        x = Lower((unsigned char)*a++);
        y = Lower((unsigned char)*b++);
        if (!x || x != y) break;
    }
    return x - y;
}

int __cdecl _stricoll(const char *a, const char *b) { return _stricmp(a, b); }

char *__cdecl _strlwr(char *s) {
    for (char *p = s; *p; p++) *p = (char)Lower((unsigned char)*p);
    return s;
}

char *__cdecl _strupr(char *s) {
    for (char *p = s; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    return s;
}

char *__cdecl _strrev(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
    return s;
}

char *__cdecl _strset(char *s, int c) {
    for (char *p = s; *p; p++) *p = (char)c;
    return s;
}

char *__cdecl _strnset(char *s, int c, size_t n) {
    for (size_t i = 0; i < n && s[i]; i++) s[i] = (char)c;
    return s;
}

/* msvcrt's texts for the C errors. */
static const char *const ErrorTexts[] = {"No error", "Operation not permitted", "No such file or directory",
    "No such process", "Interrupted function call", "Input/output error", "No such device or address",
    "Arg list too long", "Exec format error", "Bad file descriptor", "No child processes",
    "Resource temporarily unavailable", "Not enough space", "Permission denied", "Bad address", "Unknown error",
    "Resource device", "File exists", "Improper link", "No such device", "Not a directory", "Is a directory",
    "Invalid argument", "Too many open files in system", "Too many open files",
    "Inappropriate I/O control operation", "Unknown error", "File too large", "No space left on device",
    "Invalid seek", "Read-only file system", "Too many links", "Broken pipe", "Domain error", "Result too large",
    "Unknown error", "Resource deadlock avoided", "Unknown error", "Filename too long", "No locks available",
    "Function not implemented", "Directory not empty", "Illegal byte sequence"};

char *__cdecl strerror(int error) {
    if (error >= 0 && error < (int)(sizeof(ErrorTexts) / sizeof(ErrorTexts[0]))) return (char *)ErrorTexts[error];
    return (char *)"Unknown error";
}

char *__cdecl _strerror(const char *prefix) {
    char *buffer = _getptd()->strerrorbuf;
    if (prefix && *prefix) _snprintf(buffer, 127, "%s: %s\n", prefix, strerror(errno));
    else _snprintf(buffer, 127, "%s\n", strerror(errno));
    buffer[127] = 0;
    return buffer;
}

/* ---- Wide strings ---- */

size_t __cdecl wcslen(const wchar_t *s) {
    const wchar_t *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

size_t __cdecl wcsnlen(const wchar_t *s, size_t max) {
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

wchar_t *__cdecl wcscpy(wchar_t *d, const wchar_t *s) {
    wchar_t *r = d;
    while ((*d++ = *s++)) {}
    return r;
}

wchar_t *__cdecl wcsncpy(wchar_t *d, const wchar_t *s, size_t n) {
    size_t i = 0;
    for (; i < n && s[i]; i++) d[i] = s[i];
    for (; i < n; i++) d[i] = 0;
    return d;
}

wchar_t *__cdecl wcscat(wchar_t *d, const wchar_t *s) {
    wcscpy(d + wcslen(d), s);
    return d;
}

wchar_t *__cdecl wcsncat(wchar_t *d, const wchar_t *s, size_t n) {
    wchar_t *end = d + wcslen(d);
    size_t i = 0;
    for (; i < n && s[i]; i++) end[i] = s[i];
    end[i] = 0;
    return d;
}

int __cdecl wcscmp(const wchar_t *a, const wchar_t *b) {
    while (*a && *a == *b) a++, b++;
    return *a < *b ? -1 : *a > *b;
}

int __cdecl wcsncmp(const wchar_t *a, const wchar_t *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return *a < *b ? -1 : 1;
        if (!*a) break;
    }
    return 0;
}

int __cdecl wcscoll(const wchar_t *a, const wchar_t *b) { return wcscmp(a, b); }

size_t __cdecl wcsxfrm(wchar_t *d, const wchar_t *s, size_t n) {
    size_t length = wcslen(s);
    if (length < n) wcscpy(d, s);
    return length;
}

wchar_t *__cdecl wcschr(const wchar_t *s, wchar_t c) {
    for (;; s++) {
        if (*s == c) return (wchar_t *)s;
        if (!*s) return NULL;
    }
}

wchar_t *__cdecl wcsrchr(const wchar_t *s, wchar_t c) {
    const wchar_t *last = NULL;
    for (;; s++) {
        if (*s == c) last = s;
        if (!*s) return (wchar_t *)last;
    }
}

wchar_t *__cdecl wcsstr(const wchar_t *h, const wchar_t *n) {
    size_t length = wcslen(n);
    if (!length) return (wchar_t *)h;
    for (; *h; h++)
        if (*h == *n && !wcsncmp(h, n, length)) return (wchar_t *)h;
    return NULL;
}

size_t __cdecl wcsspn(const wchar_t *s, const wchar_t *set) {
    size_t n = 0;
    while (s[n] && wcschr(set, s[n])) n++;
    return n;
}

size_t __cdecl wcscspn(const wchar_t *s, const wchar_t *set) {
    size_t n = 0;
    while (s[n] && !wcschr(set, s[n])) n++;
    return n;
}

wchar_t *__cdecl wcspbrk(const wchar_t *s, const wchar_t *set) {
    for (; *s; s++)
        if (wcschr(set, *s)) return (wchar_t *)s;
    return NULL;
}

wchar_t *__cdecl wcstok(wchar_t *s, const wchar_t *delimiters) {
    _ptiddata data = _getptd();
    if (!s) s = data->wtoken;
    if (!s) return NULL;
    s += wcsspn(s, delimiters);
    if (!*s) {
        data->wtoken = NULL;
        return NULL;
    }
    wchar_t *end = s + wcscspn(s, delimiters);
    if (*end) *end++ = 0;
    data->wtoken = end;
    return s;
}

wchar_t *__cdecl _wcsdup(const wchar_t *s) {
    if (!s) return NULL;
    size_t n = (wcslen(s) + 1) * sizeof(wchar_t);
    wchar_t *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

int __cdecl _wcsicmp(const wchar_t *a, const wchar_t *b) {
    wint_t x, y;
    do {
        x = towlower(*a++);
        y = towlower(*b++);
    } while (x && x == y);
    return (int)x - (int)y;
}

int __cdecl _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n) {
    wint_t x = 0, y = 0;
    while (n--) {
        x = towlower(*a++);
        y = towlower(*b++);
        if (!x || x != y) break;
    }
    return (int)x - (int)y;
}

wchar_t *__cdecl _wcslwr(wchar_t *s) {
    for (wchar_t *p = s; *p; p++) *p = towlower(*p);
    return s;
}

wchar_t *__cdecl _wcsupr(wchar_t *s) {
    for (wchar_t *p = s; *p; p++) *p = towupper(*p);
    return s;
}

wchar_t *__cdecl _wcsrev(wchar_t *s) {
    size_t n = wcslen(s);
    for (size_t i = 0; i < n / 2; i++) {
        wchar_t t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
    return s;
}
