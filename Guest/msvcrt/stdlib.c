/* stdlib.h: memory on the process heap, number conversions, pseudo-random numbers (msvcrt's
   LCG), sorting and searching, the environment, multibyte characters. */
#include "crt.h"
#include <ctype.h>
#include <malloc.h>
#include "../common/fltconv.h"

/* ---- Memory ---- */

void *__cdecl malloc(size_t size) {
    void *p = HeapAlloc(_CRT_HEAP, 0, size ? size : 1);
    if (!p) errno = ENOMEM;
    return p;
}

void *__cdecl calloc(size_t count, size_t size) {
    if (size && count > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    size_t total = count * size;
    void *p = HeapAlloc(_CRT_HEAP, HEAP_ZERO_MEMORY, total ? total : 1);
    if (!p) errno = ENOMEM;
    return p;
}

void __cdecl free(void *p) {
    if (p) HeapFree(_CRT_HEAP, 0, p);
}

void *__cdecl realloc(void *p, size_t size) {
    if (!p) return malloc(size);
    if (!size) {
        free(p);
        return NULL;
    }
    void *q = HeapReAlloc(_CRT_HEAP, 0, p, size);
    if (!q) errno = ENOMEM;
    return q;
}

size_t __cdecl _msize(void *p) { return HeapSize(_CRT_HEAP, 0, p); }

void *__cdecl _expand(void *p, size_t size) {
    return HeapReAlloc(_CRT_HEAP, HEAP_REALLOC_IN_PLACE_ONLY, p, size ? size : 1);
}

void *__cdecl _recalloc(void *p, size_t count, size_t size) {
    if (size && count > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    size_t old = p ? _msize(p) : 0, total = count * size;
    void *q = realloc(p, total);
    if (q && total > old) memset((char *)q + old, 0, total - old);
    return q;
}

/* Aligned blocks keep the malloc'd pointer just below the aligned one. */
void *__cdecl _aligned_malloc(size_t size, size_t alignment) {
    if (!alignment || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return NULL;
    }
    if (alignment < sizeof(void *)) alignment = sizeof(void *);
    if (size > (size_t)-1 - alignment - sizeof(void *)) {
        errno = ENOMEM;
        return NULL;
    }
    char *raw = malloc(size + alignment + sizeof(void *));
    if (!raw) return NULL;
    uintptr_t aligned = ((uintptr_t)raw + sizeof(void *) + alignment - 1) & ~(uintptr_t)(alignment - 1);
    ((void **)aligned)[-1] = raw;
    return (void *)aligned;
}

void __cdecl _aligned_free(void *p) {
    if (p) free(((void **)p)[-1]);
}

void *__cdecl _aligned_realloc(void *p, size_t size, size_t alignment) {
    if (!p) return _aligned_malloc(size, alignment);
    if (!size) {
        _aligned_free(p);
        return NULL;
    }
    void *q = _aligned_malloc(size, alignment);
    if (!q) return NULL;
    size_t old = _msize(((void **)p)[-1]) - (size_t)((char *)p - (char *)((void **)p)[-1]);
    memcpy(q, p, old < size ? old : size);
    _aligned_free(p);
    return q;
}

int __cdecl _heapchk(void) { return HeapValidate(_CRT_HEAP, 0, NULL) ? _HEAPOK : -3; }
int __cdecl _heapmin(void) { return 0; }

/* ---- Integers from text ---- */

/* strtol's grammar over [0, 2^64): the magnitude (saturated), its sign and where it ended. */
static unsigned long long ParseInteger(const char *s, char **end, int base, int *negative, int *overflow) {
    const char *p = s;
    *negative = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        if (end) *end = (char *)s;
        errno = EINVAL;
        return 0;
    }
    while (isspace((unsigned char)*p)) p++;
    if (*p == '+' || *p == '-') *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    unsigned long long value = 0;
    const char *digits = p;
    for (;; p++) {
        int c = (unsigned char)*p, d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
        else break;
        if (d >= base) break;
        if (value > (~0ull - (unsigned)d) / (unsigned)base) *overflow = 1;
        else value = value * (unsigned)base + (unsigned)d;
    }
    if (p == digits) {
        if (end) *end = (char *)s;
        return 0;
    }
    if (end) *end = (char *)p;
    return value;
}

static long long Signed(const char *s, char **end, int base, long long min, long long max) {
    int negative, overflow;
    unsigned long long v = ParseInteger(s, end, base, &negative, &overflow);
    if (negative) {
        if (overflow || v > (unsigned long long)max + 1) {
            errno = ERANGE;
            return min;
        }
        return (long long)(0 - v);
    }
    if (overflow || v > (unsigned long long)max) {
        errno = ERANGE;
        return max;
    }
    return (long long)v;
}

static unsigned long long Unsigned(const char *s, char **end, int base, unsigned long long max) {
    int negative, overflow;
    unsigned long long v = ParseInteger(s, end, base, &negative, &overflow);
    if (overflow || v > max) {
        errno = ERANGE;
        return max;
    }
    return negative ? (0 - v) & max : v;
}

long __cdecl strtol(const char *s, char **end, int base) {
    return (long)Signed(s, end, base, -2147483647L - 1, 2147483647L);
}
unsigned long __cdecl strtoul(const char *s, char **end, int base) {
    return (unsigned long)Unsigned(s, end, base, 0xFFFFFFFFul);
}
long long __cdecl strtoll(const char *s, char **end, int base) {
    return Signed(s, end, base, -9223372036854775807LL - 1, 9223372036854775807LL);
}
unsigned long long __cdecl strtoull(const char *s, char **end, int base) { return Unsigned(s, end, base, ~0ull); }
long long __cdecl _strtoi64(const char *s, char **end, int base) { return strtoll(s, end, base); }
unsigned long long __cdecl _strtoui64(const char *s, char **end, int base) { return strtoull(s, end, base); }
int __cdecl atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long __cdecl atol(const char *s) { return strtol(s, NULL, 10); }
long long __cdecl atoll(const char *s) { return strtoll(s, NULL, 10); }
long long __cdecl _atoi64(const char *s) { return strtoll(s, NULL, 10); }

double _crt_strtod(const char *s, char **end) {
    const char *stop;
    int range;
    double v = xc_strtod(s, &stop, &range);
    if (end) *end = (char *)stop;
    if (range) errno = ERANGE;
    return v;
}

double __cdecl strtod(const char *s, char **end) { return _crt_strtod(s, end); }
long double __cdecl strtold(const char *s, char **end) { return _crt_strtod(s, end); }
double __cdecl atof(const char *s) { return _crt_strtod(s, NULL); }

float __cdecl strtof(const char *s, char **end) {
    double d = _crt_strtod(s, end);
    float f = (float)d;
    if ((f == 0 && d != 0) || (__builtin_isinf(f) && !__builtin_isinf(d))) errno = ERANGE;
    return f;
}

/* Wide text is narrowed (the grammar is ASCII) and the end mapped back. */
static size_t Narrowed(const wchar_t *w, char *buffer, size_t size) {
    size_t n = 0;
    while (n + 1 < size && w[n] && w[n] < 0x80) buffer[n] = (char)w[n], n++;
    buffer[n] = 0;
    return n;
}

long __cdecl wcstol(const wchar_t *s, wchar_t **end, int base) {
    char buffer[128], *stop;
    Narrowed(s, buffer, sizeof(buffer));
    long v = strtol(buffer, &stop, base);
    if (end) *end = (wchar_t *)s + (stop - buffer);
    return v;
}

unsigned long __cdecl wcstoul(const wchar_t *s, wchar_t **end, int base) {
    char buffer[128], *stop;
    Narrowed(s, buffer, sizeof(buffer));
    unsigned long v = strtoul(buffer, &stop, base);
    if (end) *end = (wchar_t *)s + (stop - buffer);
    return v;
}

double __cdecl wcstod(const wchar_t *s, wchar_t **end) {
    char buffer[1024], *stop;
    Narrowed(s, buffer, sizeof(buffer));
    double v = strtod(buffer, &stop);
    if (end) *end = (wchar_t *)s + (stop - buffer);
    return v;
}

int __cdecl _wtoi(const wchar_t *s) { return (int)wcstol(s, NULL, 10); }
long __cdecl _wtol(const wchar_t *s) { return wcstol(s, NULL, 10); }

/* ---- Integers to text ---- */

static char *ToText(unsigned long long value, int negative, char *buffer, int radix) {
    if (radix < 2 || radix > 36) {
        buffer[0] = 0;
        return buffer;
    }
    char digits[72];
    int n = 0;
    do {
        int d = (int)(value % (unsigned)radix);
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        value /= (unsigned)radix;
    } while (value);
    char *p = buffer;
    if (negative) *p++ = '-';
    while (n) *p++ = digits[--n];
    *p = 0;
    return buffer;
}

char *__cdecl _itoa(int v, char *b, int r) {
    return r == 10 && v < 0 ? ToText(0 - (unsigned)v, 1, b, r) : ToText((unsigned)v, 0, b, r);
}
char *__cdecl _ltoa(long v, char *b, int r) {
    return r == 10 && v < 0 ? ToText(0 - (unsigned long)v, 1, b, r) : ToText((unsigned long)v, 0, b, r);
}
char *__cdecl _ultoa(unsigned long v, char *b, int r) { return ToText(v, 0, b, r); }
char *__cdecl _i64toa(long long v, char *b, int r) {
    return r == 10 && v < 0 ? ToText(0 - (unsigned long long)v, 1, b, r) : ToText((unsigned long long)v, 0, b, r);
}
char *__cdecl _ui64toa(unsigned long long v, char *b, int r) { return ToText(v, 0, b, r); }
wchar_t *__cdecl _itow(int v, wchar_t *b, int r) {
    char narrow[40];
    _itoa(v, narrow, r);
    size_t i = 0;
    for (; narrow[i]; i++) b[i] = (wchar_t)narrow[i];
    b[i] = 0;
    return b;
}

/* _ecvt/_fcvt: digits of a double without a point (from the exact expansion). */
static char *Convert(double value, int count, int *decimal, int *sign, int fixed) {
    char *out = _getptd()->ecvtbuf;
    char digits[XC_MAX_DIGITS + 8];
    *sign = __builtin_signbit(value) ? 1 : 0;
    if (value < 0) value = -value;
    int exponent;
    int n = xc_exact_digits(value, digits, &exponent);
    if (count < 0) count = 0;
    if (count > 340) count = 340;
    int keep = fixed ? exponent + count : count;
    n = xc_round_digits(digits, n, keep, &exponent);
    int total = fixed ? exponent + count : count;
    if (total < 0) total = 0;
    if (total > 340) total = 340;
    for (int i = 0; i < total; i++) out[i] = i < n ? digits[i] : '0';
    out[total] = 0;
    *decimal = n ? exponent : (fixed ? -count : 0);
    if (!n && fixed) *decimal = 0;
    return out;
}

char *__cdecl _ecvt(double value, int count, int *decimal, int *sign) { return Convert(value, count, decimal, sign, 0); }
char *__cdecl _fcvt(double value, int count, int *decimal, int *sign) { return Convert(value, count, decimal, sign, 1); }
char *__cdecl _gcvt(double value, int digits, char *buffer) {
    sprintf(buffer, "%.*g", digits, value);
    return buffer;
}

/* ---- Arithmetic ---- */

int __cdecl abs(int v) { return v < 0 ? -v : v; }
long __cdecl labs(long v) { return v < 0 ? -v : v; }
long long __cdecl llabs(long long v) { return v < 0 ? -v : v; }
long long __cdecl _abs64(long long v) { return v < 0 ? -v : v; }
div_t __cdecl div(int n, int d) {
    div_t r = {n / d, n % d};
    return r;
}
ldiv_t __cdecl ldiv(long n, long d) {
    ldiv_t r = {n / d, n % d};
    return r;
}
lldiv_t __cdecl lldiv(long long n, long long d) {
    lldiv_t r = {n / d, n % d};
    return r;
}
unsigned long long __cdecl _byteswap_uint64(unsigned long long v) { return __builtin_bswap64(v); }
unsigned long __cdecl _byteswap_ulong(unsigned long v) { return __builtin_bswap32(v); }
unsigned short __cdecl _byteswap_ushort(unsigned short v) { return __builtin_bswap16(v); }
unsigned int __cdecl crt_rotl(unsigned int v, int s) { return (v << (s & 31)) | (v >> ((32 - s) & 31)); }
unsigned int __cdecl crt_rotr(unsigned int v, int s) { return (v >> (s & 31)) | (v << ((32 - s) & 31)); }

/* msvcrt's generator, one state per thread. */
void __cdecl srand(unsigned int seed) { _getptd()->holdrand = seed; }
int __cdecl rand(void) {
    _ptiddata data = _getptd();
    data->holdrand = data->holdrand * 214013u + 2531011u;
    return (int)((data->holdrand >> 16) & 0x7FFF);
}

/* ---- Sorting and searching ---- */

static void Swap(char *a, char *b, size_t size) {
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Quicksort (median of three, smaller side first) with insertion sort for short runs. */
void __cdecl qsort(void *base, size_t count, size_t size, int(__cdecl *compare)(const void *, const void *)) {
    char *b = base;
    while (count > 8) {
        char *mid = b + (count / 2) * size, *last = b + (count - 1) * size;
        if (compare(mid, b) < 0) Swap(mid, b, size);
        if (compare(last, mid) < 0) {
            Swap(last, mid, size);
            if (compare(mid, b) < 0) Swap(mid, b, size);
        }
        Swap(mid, last, size);
        size_t store = 0;
        for (size_t i = 0; i + 1 < count; i++)
            if (compare(b + i * size, last) < 0) Swap(b + i * size, b + store++ * size, size);
        Swap(b + store * size, last, size);
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
            Swap(b + (j - 1) * size, b + j * size, size);
}

void *__cdecl bsearch(const void *key, const void *base, size_t count, size_t size,
    int(__cdecl *compare)(const void *, const void *)) {
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

void *__cdecl _lfind(const void *key, const void *base, unsigned int *count, unsigned int size,
    int(__cdecl *compare)(const void *, const void *)) {
    const char *b = base;
    for (unsigned i = 0; i < *count; i++)
        if (!compare(key, b + (size_t)i * size)) return (void *)(b + (size_t)i * size);
    return NULL;
}

/* ---- Environment ---- */

char *__cdecl getenv(const char *name) {
    if (!name || !_environ) return NULL;
    size_t n = strlen(name);
    _lock(_ENV_LOCK);
    char *result = NULL;
    for (char **e = _environ; *e && !result; e++)
        if (!_strnicmp(*e, name, n) && (*e)[n] == '=') result = *e + n + 1;
    _unlock(_ENV_LOCK);
    return result;
}

wchar_t *__cdecl _wgetenv(const wchar_t *name) {
    if (!name || !_wenviron) return NULL;
    size_t n = wcslen(name);
    _lock(_ENV_LOCK);
    wchar_t *result = NULL;
    for (wchar_t **e = _wenviron; *e && !result; e++)
        if (!_wcsnicmp(*e, name, n) && (*e)[n] == '=') result = *e + n + 1;
    _unlock(_ENV_LOCK);
    return result;
}

/* Replaces, adds or (with "NAME=") removes an entry of a NULL-terminated array. */
static int Update(char ***array, const char *assignment, size_t nameLength, int remove) {
    char **e = *array;
    size_t count = 0, found = (size_t)-1;
    for (; e && e[count]; count++)
        if (found == (size_t)-1 && !_strnicmp(e[count], assignment, nameLength) && e[count][nameLength] == '=')
            found = count;
    if (remove) {
        if (found != (size_t)-1) {
            free(e[found]);
            memmove(e + found, e + found + 1, (count - found) * sizeof(char *));
        }
        return 0;
    }
    char *copy = _strdup(assignment);
    if (!copy) return -1;
    if (found != (size_t)-1) {
        free(e[found]);
        e[found] = copy;
        return 0;
    }
    char **grown = HeapAlloc(_CRT_HEAP, 0, (count + 2) * sizeof(char *));
    if (!grown) {
        free(copy);
        return -1;
    }
    if (count) memcpy(grown, e, count * sizeof(char *));
    grown[count] = copy;
    grown[count + 1] = NULL;
    /* The old array may be __initenv's (kept for the program's envp): leave it. */
    *array = grown;
    return 0;
}

int __cdecl _putenv(const char *assignment) {
    const char *equals = assignment ? strchr(assignment, '=') : NULL;
    if (!equals || equals == assignment) {
        errno = EINVAL;
        return -1;
    }
    size_t n = (size_t)(equals - assignment);
    int remove = !equals[1];
    char name[260];
    if (n >= sizeof(name)) {
        errno = EINVAL;
        return -1;
    }
    memcpy(name, assignment, n);
    name[n] = 0;
    _lock(_ENV_LOCK);
    int result = Update(&_environ, assignment, n, remove);
    _unlock(_ENV_LOCK);
    if (result) {
        errno = ENOMEM;
        return -1;
    }
    if (!SetEnvironmentVariableA(name, remove ? NULL : equals + 1) && !remove) return -1;
    /* Keep the wide array in step (the same text, widened). */
    wchar_t wide[1024];
    size_t length = strlen(assignment);
    if (length < 1024) {
        for (size_t i = 0; i <= length; i++) wide[i] = (wchar_t)(unsigned char)assignment[i];
        _lock(_ENV_LOCK);
        wchar_t **w = _wenviron;
        size_t count = 0, found = (size_t)-1;
        for (; w && w[count]; count++)
            if (found == (size_t)-1 && !_wcsnicmp(w[count], wide, n) && w[count][n] == '=') found = count;
        if (remove && found != (size_t)-1) {
            free(w[found]);
            memmove(w + found, w + found + 1, (count - found) * sizeof(wchar_t *));
        } else if (!remove) {
            wchar_t *copy = _wcsdup(wide);
            if (copy && found != (size_t)-1) {
                free(w[found]);
                w[found] = copy;
            } else if (copy) {
                wchar_t **grown = HeapAlloc(_CRT_HEAP, 0, (count + 2) * sizeof(wchar_t *));
                if (grown) {
                    if (count) memcpy(grown, w, count * sizeof(wchar_t *));
                    grown[count] = copy;
                    grown[count + 1] = NULL;
                    _wenviron = grown;
                } else {
                    free(copy);
                }
            }
        }
        _unlock(_ENV_LOCK);
    }
    return 0;
}

int __cdecl _wputenv(const wchar_t *assignment) {
    char narrow[1024];
    size_t n = wcslen(assignment);
    if (n >= sizeof(narrow)) {
        errno = EINVAL;
        return -1;
    }
    _crt_wide_to_ansi(assignment, n + 1, narrow, sizeof(narrow));
    return _putenv(narrow);
}

int __cdecl system(const char *command) {
    if (!command) return 0; /* no command processor */
    errno = ENOENT;
    return -1;
}

char *__cdecl _fullpath(char *buffer, const char *path, size_t size) {
    char full[MAX_PATH];
    DWORD n = GetFullPathNameA(path && *path ? path : ".", MAX_PATH, full, NULL);
    if (!n || n >= MAX_PATH) {
        errno = ENOENT;
        return NULL;
    }
    if (!buffer) return _strdup(full);
    if (n + 1 > size) {
        errno = ERANGE;
        return NULL;
    }
    memcpy(buffer, full, n + 1);
    return buffer;
}

void __cdecl _splitpath(const char *path, char *drive, char *dir, char *name, char *ext) {
    const char *p = path;
    if (p[0] && p[1] == ':') {
        if (drive) drive[0] = p[0], drive[1] = ':', drive[2] = 0;
        p += 2;
    } else if (drive) {
        drive[0] = 0;
    }
    const char *lastSlash = NULL, *lastDot = NULL;
    for (const char *q = p; *q; q++) {
        if (*q == '\\' || *q == '/') lastSlash = q;
        else if (*q == '.') lastDot = q;
    }
    const char *base = lastSlash ? lastSlash + 1 : p;
    if (dir) {
        size_t n = (size_t)(base - p);
        memcpy(dir, p, n);
        dir[n] = 0;
    }
    if (lastDot && lastDot < base) lastDot = NULL;
    const char *end = lastDot ? lastDot : base + strlen(base);
    if (name) {
        memcpy(name, base, (size_t)(end - base));
        name[end - base] = 0;
    }
    if (ext) strcpy(ext, lastDot ? lastDot : "");
}

void __cdecl _makepath(char *path, const char *drive, const char *dir, const char *name, const char *ext) {
    path[0] = 0;
    if (drive && *drive) {
        path[0] = drive[0];
        path[1] = ':';
        path[2] = 0;
    }
    if (dir && *dir) {
        strcat(path, dir);
        char last = dir[strlen(dir) - 1];
        if (last != '\\' && last != '/') strcat(path, "\\");
    }
    if (name) strcat(path, name);
    if (ext && *ext) {
        if (*ext != '.') strcat(path, ".");
        strcat(path, ext);
    }
}

void __cdecl _sleep(unsigned long milliseconds) { Sleep(milliseconds); }

/* ---- Multibyte characters ("C" locale: one byte each) ---- */

int _crt_wide_to_ansi(const wchar_t *wide, size_t length, char *buffer, size_t size) {
    size_t n = length < size ? length : size;
    for (size_t i = 0; i < n; i++) {
        wchar_t c = wide[i];
        buffer[i] = c < 0x80 ? (char)c : '?';
        if (c >= 0x80) {
            BOOL usedDefault;
            char out;
            if (WideCharToMultiByte(CP_ACP, 0, &c, 1, &out, 1, NULL, &usedDefault) == 1) buffer[i] = out;
        }
    }
    return (int)n;
}

int __cdecl mblen(const char *s, size_t n) {
    if (!s || !n) return 0;
    return *s ? 1 : 0;
}

int __cdecl mbtowc(wchar_t *w, const char *s, size_t n) {
    if (!s) return 0;
    if (!n) return -1;
    if (w) *w = (wchar_t)(unsigned char)*s;
    return *s ? 1 : 0;
}

int __cdecl wctomb(char *s, wchar_t w) {
    if (!s) return 0;
    if (w > 0xFF) {
        errno = EILSEQ;
        return -1;
    }
    *s = (char)w;
    return 1;
}

size_t __cdecl mbstowcs(wchar_t *w, const char *s, size_t n) {
    size_t length = strlen(s);
    if (!w) return length;
    size_t i = 0;
    for (; i < n && s[i]; i++) w[i] = (wchar_t)(unsigned char)s[i];
    if (i < n) w[i] = 0;
    return i;
}

size_t __cdecl wcstombs(char *s, const wchar_t *w, size_t n) {
    size_t i = 0;
    if (!s) {
        for (; w[i]; i++)
            if (w[i] > 0xFF) {
                errno = EILSEQ;
                return (size_t)-1;
            }
        return i;
    }
    for (; i < n && w[i]; i++) {
        if (w[i] > 0xFF) {
            errno = EILSEQ;
            return (size_t)-1;
        }
        s[i] = (char)w[i];
    }
    if (i < n) s[i] = 0;
    return i;
}

wint_t __cdecl btowc(int c) { return c == EOF ? WEOF : (wint_t)(unsigned char)c; }
int __cdecl wctob(wint_t c) { return c <= 0xFF ? (int)c : EOF; }
int __cdecl mbsinit(const int *state) { return !state || !*state; }
size_t __cdecl mbrlen(const char *s, size_t n, int *state) {
    (void)state;
    if (!s) return 0;
    if (!n) return (size_t)-2;
    return *s ? 1 : 0;
}
size_t __cdecl mbrtowc(wchar_t *w, const char *s, size_t n, int *state) {
    (void)state;
    if (!s) return 0;
    if (!n) return (size_t)-2;
    if (w) *w = (wchar_t)(unsigned char)*s;
    return *s ? 1 : 0;
}
size_t __cdecl wcrtomb(char *s, wchar_t w, int *state) {
    (void)state;
    if (!s) return 1;
    return (size_t)wctomb(s, w);
}
size_t __cdecl mbsrtowcs(wchar_t *w, const char **s, size_t n, int *state) {
    (void)state;
    size_t r = mbstowcs(w, *s, n);
    if (w && r < n) *s = NULL;
    else if (w) *s += r;
    return r;
}
size_t __cdecl wcsrtombs(char *s, const wchar_t **w, size_t n, int *state) {
    (void)state;
    size_t r = wcstombs(s, *w, n);
    if (s && r != (size_t)-1) {
        if (r < n) *w = NULL;
        else *w += r;
    }
    return r;
}
