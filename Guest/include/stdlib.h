/* stdlib.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_STDLIB_H
#define XCDB_STDLIB_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7FFF
#define MB_CUR_MAX ___mb_cur_max_func()
#define _MAX_PATH 260
#define _MAX_DRIVE 3
#define _MAX_DIR 256
#define _MAX_FNAME 256
#define _MAX_EXT 256

typedef struct {
    int quot, rem;
} div_t;
typedef struct {
    long quot, rem;
} ldiv_t;
typedef struct {
    long long quot, rem;
} lldiv_t;
typedef int(__cdecl *_onexit_t)(void);

_CRTIMP void *__cdecl malloc(size_t size);
_CRTIMP void *__cdecl calloc(size_t count, size_t size);
_CRTIMP void *__cdecl realloc(void *block, size_t size);
_CRTIMP void __cdecl free(void *block);
_CRTIMP size_t __cdecl _msize(void *block);
_CRTIMP void *__cdecl _expand(void *block, size_t size);
_CRTIMP void *__cdecl _recalloc(void *block, size_t count, size_t size);
_CRTIMP void *__cdecl _aligned_malloc(size_t size, size_t alignment);
_CRTIMP void *__cdecl _aligned_realloc(void *block, size_t size, size_t alignment);
_CRTIMP void __cdecl _aligned_free(void *block);

_CRT_NORETURN _CRTIMP void __cdecl exit(int code);
_CRT_NORETURN _CRTIMP void __cdecl _exit(int code);
_CRT_NORETURN _CRTIMP void __cdecl abort(void);
_CRTIMP int __cdecl atexit(void(__cdecl *function)(void));
_CRTIMP _onexit_t __cdecl _onexit(_onexit_t function);
_CRTIMP void __cdecl _cexit(void);
_CRTIMP void __cdecl _c_exit(void);

_CRTIMP int __cdecl atoi(const char *text);
_CRTIMP long __cdecl atol(const char *text);
_CRTIMP long long __cdecl atoll(const char *text);
_CRTIMP long long __cdecl _atoi64(const char *text);
_CRTIMP double __cdecl atof(const char *text);
_CRTIMP long __cdecl strtol(const char *text, char **end, int base);
_CRTIMP unsigned long __cdecl strtoul(const char *text, char **end, int base);
_CRTIMP long long __cdecl strtoll(const char *text, char **end, int base);
_CRTIMP unsigned long long __cdecl strtoull(const char *text, char **end, int base);
_CRTIMP long long __cdecl _strtoi64(const char *text, char **end, int base);
_CRTIMP unsigned long long __cdecl _strtoui64(const char *text, char **end, int base);
_CRTIMP double __cdecl strtod(const char *text, char **end);
_CRTIMP float __cdecl strtof(const char *text, char **end);
_CRTIMP long double __cdecl strtold(const char *text, char **end);
_CRTIMP long __cdecl wcstol(const wchar_t *text, wchar_t **end, int base);
_CRTIMP unsigned long __cdecl wcstoul(const wchar_t *text, wchar_t **end, int base);
_CRTIMP double __cdecl wcstod(const wchar_t *text, wchar_t **end);
_CRTIMP int __cdecl _wtoi(const wchar_t *text);
_CRTIMP long __cdecl _wtol(const wchar_t *text);
_CRTIMP char *__cdecl _itoa(int value, char *buffer, int radix);
_CRTIMP char *__cdecl _ltoa(long value, char *buffer, int radix);
_CRTIMP char *__cdecl _ultoa(unsigned long value, char *buffer, int radix);
_CRTIMP char *__cdecl _i64toa(long long value, char *buffer, int radix);
_CRTIMP char *__cdecl _ui64toa(unsigned long long value, char *buffer, int radix);
_CRTIMP wchar_t *__cdecl _itow(int value, wchar_t *buffer, int radix);
_CRTIMP char *__cdecl _ecvt(double value, int digits, int *decimal, int *sign);
_CRTIMP char *__cdecl _fcvt(double value, int digits, int *decimal, int *sign);
_CRTIMP char *__cdecl _gcvt(double value, int digits, char *buffer);

_CRTIMP int __cdecl abs(int value);
_CRTIMP long __cdecl labs(long value);
_CRTIMP long long __cdecl llabs(long long value);
_CRTIMP long long __cdecl _abs64(long long value);
_CRTIMP div_t __cdecl div(int numerator, int denominator);
_CRTIMP ldiv_t __cdecl ldiv(long numerator, long denominator);
_CRTIMP lldiv_t __cdecl lldiv(long long numerator, long long denominator);
_CRTIMP int __cdecl rand(void);
_CRTIMP void __cdecl srand(unsigned int seed);
_CRTIMP void __cdecl qsort(void *base, size_t count, size_t size, int(__cdecl *compare)(const void *, const void *));
_CRTIMP void *__cdecl bsearch(const void *key, const void *base, size_t count, size_t size,
    int(__cdecl *compare)(const void *, const void *));
_CRTIMP void *__cdecl _lfind(const void *key, const void *base, unsigned int *count, unsigned int size,
    int(__cdecl *compare)(const void *, const void *));

_CRTIMP char *__cdecl getenv(const char *name);
_CRTIMP wchar_t *__cdecl _wgetenv(const wchar_t *name);
_CRTIMP int __cdecl _putenv(const char *assignment);
_CRTIMP int __cdecl _wputenv(const wchar_t *assignment);
_CRTIMP int __cdecl system(const char *command);
_CRTIMP char *__cdecl _fullpath(char *buffer, const char *path, size_t size);
_CRTIMP void __cdecl _splitpath(const char *path, char *drive, char *dir, char *name, char *ext);
_CRTIMP void __cdecl _makepath(char *path, const char *drive, const char *dir, const char *name, const char *ext);

_CRTIMP int __cdecl mblen(const char *text, size_t count);
_CRTIMP int __cdecl mbtowc(wchar_t *wide, const char *text, size_t count);
_CRTIMP int __cdecl wctomb(char *text, wchar_t wide);
_CRTIMP size_t __cdecl mbstowcs(wchar_t *wide, const char *text, size_t count);
_CRTIMP size_t __cdecl wcstombs(char *text, const wchar_t *wide, size_t count);
_CRTIMP int __cdecl ___mb_cur_max_func(void);
_CRTIMP int *__cdecl _errno(void);
_CRTIMP unsigned long *__cdecl __doserrno(void);
#define errno (*_errno())
#define _doserrno (*__doserrno())
_CRTIMP extern int __argc;
_CRTIMP extern char **__argv;
_CRTIMP extern wchar_t **__wargv;
_CRTIMP extern char **_environ;
_CRTIMP extern wchar_t **_wenviron;
_CRTIMP extern char *_pgmptr;
_CRTIMP extern unsigned int _osver;
_CRTIMP extern int _fmode;
#define environ _environ
_CRTIMP int __cdecl _set_error_mode(int mode);
_CRTIMP unsigned long long __cdecl _byteswap_uint64(unsigned long long value);
_CRTIMP unsigned long __cdecl _byteswap_ulong(unsigned long value);
_CRTIMP unsigned short __cdecl _byteswap_ushort(unsigned short value);
_CRTIMP unsigned int __cdecl _rotl(unsigned int value, int shift);
_CRTIMP unsigned int __cdecl _rotr(unsigned int value, int shift);
_CRTIMP void __cdecl _sleep(unsigned long milliseconds);

#define itoa _itoa
#define ltoa _ltoa
#define putenv _putenv

_CRT_END_C_HEADER

#endif
