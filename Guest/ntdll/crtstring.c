/* The C string and memory functions ntdll exports (Windows' ntdll has them too) and uses
   itself. memcpy and memset use the string instructions: one instruction for the debugger to
   step over, and far fewer emulated instructions than a loop. */
#include "ntdll.h"

void *memcpy(void *dst, const void *src, size_t n) {
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    /* Overlapping with the destination above: copy backwards. */
    d += n - 1;
    s += n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

size_t wcslen(const wchar_t *s) {
    const wchar_t *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        if (!*a) break;
    }
    return 0;
}

char *strcpy(char *d, const char *s) {
    char *r = d;
    while ((*d++ = *s++)) {}
    return r;
}

char *strcat(char *d, const char *s) {
    strcpy(d + strlen(d), s);
    return d;
}

char *strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return NULL;
    }
}

char *strrchr(const char *s, int c) {
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c) last = s;
        if (!*s) return (char *)last;
    }
}

char *strstr(const char *h, const char *n) {
    size_t len = strlen(n);
    if (!len) return (char *)h;
    for (; *h; h++)
        if (*h == *n && !strncmp(h, n, len)) return (char *)h;
    return NULL;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int _stricmp(const char *a, const char *b) {
    int x, y;
    do {
        x = lower((unsigned char)*a++);
        y = lower((unsigned char)*b++);
    } while (x && x == y);
    return x - y;
}

int _strnicmp(const char *a, const char *b, size_t n) {
    int x = 0, y = 0;
    while (n--) {
        x = lower((unsigned char)*a++);
        y = lower((unsigned char)*b++);
        if (!x || x != y) break;
    }
    return x - y;
}

int wcscmp(const wchar_t *a, const wchar_t *b) {
    while (*a && *a == *b) a++, b++;
    return *a < *b ? -1 : *a > *b;
}

int wcsncmp(const wchar_t *a, const wchar_t *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return *a < *b ? -1 : 1;
        if (!*a) break;
    }
    return 0;
}

wchar_t *wcscpy(wchar_t *d, const wchar_t *s) {
    wchar_t *r = d;
    while ((*d++ = *s++)) {}
    return r;
}

wchar_t *wcscat(wchar_t *d, const wchar_t *s) {
    wcscpy(d + wcslen(d), s);
    return d;
}

wchar_t *wcschr(const wchar_t *s, wchar_t c) {
    for (;; s++) {
        if (*s == c) return (wchar_t *)s;
        if (!*s) return NULL;
    }
}

wchar_t *wcsrchr(const wchar_t *s, wchar_t c) {
    const wchar_t *last = NULL;
    for (;; s++) {
        if (*s == c) last = s;
        if (!*s) return (wchar_t *)last;
    }
}

int _wcsicmp(const wchar_t *a, const wchar_t *b) {
    wchar_t x, y;
    do {
        x = RtlDowncaseUnicodeChar(*a++);
        y = RtlDowncaseUnicodeChar(*b++);
    } while (x && x == y);
    return (int)x - (int)y;
}

int _wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n) {
    wchar_t x = 0, y = 0;
    while (n--) {
        x = RtlDowncaseUnicodeChar(*a++);
        y = RtlDowncaseUnicodeChar(*b++);
        if (!x || x != y) break;
    }
    return (int)x - (int)y;
}

int toupper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
int tolower(int c) { return lower(c); }
wchar_t towupper(wchar_t c) { return RtlUpcaseUnicodeChar(c); }
wchar_t towlower(wchar_t c) { return RtlDowncaseUnicodeChar(c); }
int isdigit(int c) { return c >= '0' && c <= '9'; }
int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
int isalpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
int isxdigit(int c) { return isdigit(c) || (lower(c) >= 'a' && lower(c) <= 'f'); }

long strtol(const char *s, char **end, int base) {
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    int negative = 0;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    unsigned long long value = 0;
    const char *digits = p;
    for (;; p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0'
                : isalpha((unsigned char)*p) ? lower((unsigned char)*p) - 'a' + 10
                                             : 99;
        if (d >= base) break;
        if (value < 0x100000000ull) value = value * (unsigned)base + (unsigned)d;
    }
    if (end) *end = (char *)(p == digits ? s : p);
    if (negative) return value > 0x80000000ull ? (long)0x80000000 : -(long)value;
    return value > 0x7fffffff ? 0x7fffffff : (long)value;
}

unsigned long strtoul(const char *s, char **end, int base) {
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    int negative = 0;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    long value = strtol(p, end, base);
    if (end && *end == p) *end = (char *)s;
    return negative ? (unsigned long)-value : (unsigned long)value;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }

static void swap(char *a, char *b, size_t size) {
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Insertion sort over small ranges, quicksort with a median pivot above. */
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *)) {
    char *b = base;
    while (count > 8) {
        char *mid = b + (count / 2) * size, *last = b + (count - 1) * size;
        if (compare(mid, b) < 0) swap(mid, b, size);
        if (compare(last, mid) < 0) {
            swap(last, mid, size);
            if (compare(mid, b) < 0) swap(mid, b, size);
        }
        swap(mid, last, size);
        size_t store = 0;
        for (size_t i = 0; i + 1 < count; i++)
            if (compare(b + i * size, last) < 0) swap(b + i * size, b + store++ * size, size);
        swap(b + store * size, last, size);
        if (store < count - store - 1) {
            qsort(b, store, size, compare);
            b += (store + 1) * size;
            count -= store + 1;
        } else {
            qsort(b + (store + 1) * size, count - store - 1, size, compare);
            count = store;
        }
    }
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && compare(b + (j - 1) * size, b + j * size) > 0; j--)
            swap(b + (j - 1) * size, b + j * size, size);
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
    int (*compare)(const void *, const void *)) {
    const char *b = base;
    while (count) {
        const char *mid = b + (count / 2) * size;
        int c = compare(key, mid);
        if (!c) return (void *)mid;
        if (c > 0) {
            b = mid + size;
            count -= count / 2 + 1;
        } else {
            count /= 2;
        }
    }
    return NULL;
}

/* The compiler references this symbol from any code that uses floating point. */
int _fltused = 0x9875;

void NTAPI RtlMoveMemory(void *dst, const void *src, SIZE_T n) { memmove(dst, src, n); }
void NTAPI RtlCopyMemory(void *dst, const void *src, SIZE_T n) { memmove(dst, src, n); }
void NTAPI RtlFillMemory(void *dst, SIZE_T n, UCHAR c) { memset(dst, c, n); }
void NTAPI RtlZeroMemory(void *dst, SIZE_T n) { memset(dst, 0, n); }

SIZE_T NTAPI RtlCompareMemory(const void *a, const void *b, SIZE_T n) {
    const UCHAR *x = a, *y = b;
    SIZE_T i = 0;
    while (i < n && x[i] == y[i]) i++;
    return i;
}

/* Pointer encoding: XOR with a per-process value and a rotation, as a tamper check only. */
static ULONG_PTR PointerCookie(void) {
    return 0x5A3C96E1F00DBEEFull ^ (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
}

PVOID NTAPI RtlEncodePointer(PVOID p) {
    ULONG_PTR v = (ULONG_PTR)p ^ PointerCookie();
    return (PVOID)((v >> 13) | (v << 51));
}

PVOID NTAPI RtlDecodePointer(PVOID p) {
    ULONG_PTR v = (ULONG_PTR)p;
    v = (v << 13) | (v >> 51);
    return (PVOID)(v ^ PointerCookie());
}
