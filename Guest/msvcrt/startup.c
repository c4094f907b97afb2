/* The CRT start-up interface that mingw-w64's start-up code and Guest/lib's use: the command
   line and argv, the environment, initialiser tables, atexit/onexit and exit. */
#include "crt.h"
#include <winternl.h>
#include <math.h>

typedef struct {
    int newmode;
} _startupinfo;
typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);

char *_acmdln;
wchar_t *_wcmdln;
int __argc;
char **__argv;
wchar_t **__wargv;
char **_environ;
wchar_t **_wenviron;
char **__initenv;
wchar_t **__winitenv;
int _fmode;
int _commode;
char *_pgmptr;
wchar_t *_wpgmptr;
unsigned int _osver, _winver, _winmajor, _winminor, _osplatform;
int __app_type;
static int (*UserMathErr)(void *);

int *__cdecl __p___argc(void) { return &__argc; }
char ***__cdecl __p___argv(void) { return &__argv; }
wchar_t ***__cdecl __p___wargv(void) { return &__wargv; }
char ***__cdecl __p__environ(void) { return &_environ; }
wchar_t ***__cdecl __p__wenviron(void) { return &_wenviron; }
char ***__cdecl __p___initenv(void) { return &__initenv; }
wchar_t ***__cdecl __p___winitenv(void) { return &__winitenv; }
char **__cdecl __p__acmdln(void) { return &_acmdln; }
wchar_t **__cdecl __p__wcmdln(void) { return &_wcmdln; }
int *__cdecl __p__fmode(void) { return &_fmode; }
int *__cdecl __p__commode(void) { return &_commode; }
char **__cdecl __p__pgmptr(void) { return &_pgmptr; }
wchar_t **__cdecl __p__wpgmptr(void) { return &_wpgmptr; }
unsigned int *__cdecl __p__osver(void) { return &_osver; }
unsigned int *__cdecl __p__winver(void) { return &_winver; }
unsigned int *__cdecl __p__winmajor(void) { return &_winmajor; }
unsigned int *__cdecl __p__winminor(void) { return &_winminor; }

void __cdecl __set_app_type(int type) { __app_type = type; }
void __cdecl __setusermatherr(int (*handler)(void *)) { UserMathErr = handler; }
int __cdecl _set_error_mode(int mode) {
    (void)mode;
    return 0;
}

/* ---- The environment as char and wchar_t arrays ---- */

/* Builds an array of "NAME=VALUE" strings from the process environment, skipping the
   per-drive "=C:=..." entries as msvcrt does. */
static wchar_t **WideEnvironment(void) {
    wchar_t *block = GetEnvironmentStringsW();
    if (!block) return NULL;
    size_t count = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        if (*p != '=') count++;
    wchar_t **array = HeapAlloc(_CRT_HEAP, 0, (count + 1) * sizeof(wchar_t *));
    if (!array) return NULL;
    size_t i = 0;
    for (wchar_t *p = block; *p; p += wcslen(p) + 1)
        if (*p != '=') array[i++] = _wcsdup(p);
    array[i] = NULL;
    FreeEnvironmentStringsW(block);
    return array;
}

static char **AnsiEnvironment(wchar_t **wide) {
    size_t count = 0;
    while (wide && wide[count]) count++;
    char **array = HeapAlloc(_CRT_HEAP, 0, (count + 1) * sizeof(char *));
    if (!array) return NULL;
    for (size_t i = 0; i < count; i++) {
        size_t n = wcslen(wide[i]);
        array[i] = malloc(n + 1);
        if (array[i]) _crt_wide_to_ansi(wide[i], n + 1, array[i], n + 1);
    }
    array[count] = NULL;
    return array;
}

void _crt_init_environment(void) {
    _wcmdln = GetCommandLineW();
    _acmdln = GetCommandLineA();
    _wenviron = WideEnvironment();
    _environ = AnsiEnvironment(_wenviron);
    __initenv = _environ;
    __winitenv = _wenviron;
    DWORD version = GetVersion();
    _winmajor = version & 0xFF;
    _winminor = (version >> 8) & 0xFF;
    _winver = (_winmajor << 8) | _winminor;
    _osver = version >> 16;
    _osplatform = 2;
    static wchar_t path[MAX_PATH];
    static char ansiPath[MAX_PATH];
    GetModuleFileNameW(NULL, path, MAX_PATH);
    GetModuleFileNameA(NULL, ansiPath, MAX_PATH);
    _wpgmptr = path;
    _pgmptr = ansiPath;
}

/* ---- argv ---- */

/* Splits a command line by msvcrt's rules: argv[0] up to the closing quote or the first
   blank; then blanks separate, quotes group, 2n backslashes before a quote give n and the
   quote toggles, 2n+1 give n and a literal quote, "" inside quotes is a literal quote.
   Writes the arguments (each NUL-terminated) to `text` and their starts to `argv` when they
   are not NULL; returns the count and the characters needed. */
static int Split(const wchar_t *line, wchar_t **argv, wchar_t *text, size_t *chars) {
    const wchar_t *p = line;
    int argc = 0;
    size_t n = 0;
#define EMIT(c) \
    do { \
        wchar_t emitted = (c); /* evaluated once: c may advance p */ \
        if (text) text[n] = emitted; \
        n++; \
    } while (0)
    /* argv[0] */
    if (argv) argv[argc] = text + n;
    argc++;
    if (*p == '"') {
        p++;
        while (*p && *p != '"') EMIT(*p++);
        if (*p == '"') p++;
    } else {
        while (*p && *p != ' ' && *p != '\t') EMIT(*p++);
    }
    EMIT(0);
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (argv) argv[argc] = text + n;
        argc++;
        int quoted = 0;
        while (*p) {
            if (!quoted && (*p == ' ' || *p == '\t')) break;
            if (*p == '\\') {
                size_t slashes = 0;
                while (*p == '\\') slashes++, p++;
                if (*p == '"') {
                    for (size_t i = 0; i < slashes / 2; i++) EMIT('\\');
                    if (slashes % 2) {
                        EMIT('"');
                        p++;
                    }
                } else {
                    for (size_t i = 0; i < slashes; i++) EMIT('\\');
                }
                continue;
            }
            if (*p == '"') {
                if (quoted && p[1] == '"') {
                    EMIT('"');
                    p += 2;
                    continue;
                }
                quoted = !quoted;
                p++;
                continue;
            }
            EMIT(*p++);
        }
        EMIT(0);
    }
#undef EMIT
    if (argv) argv[argc] = NULL;
    *chars = n;
    return argc;
}

static int WideArguments(wchar_t ***result) {
    size_t chars;
    const wchar_t *line = _wcmdln ? _wcmdln : L"";
    int argc = Split(line, NULL, NULL, &chars);
    wchar_t **argv = HeapAlloc(_CRT_HEAP, 0, (argc + 1) * sizeof(wchar_t *) + chars * sizeof(wchar_t));
    if (!argv) return -1;
    Split(line, argv, (wchar_t *)(argv + argc + 1), &chars);
    *result = argv;
    return argc;
}

int __cdecl __wgetmainargs(int *argc, wchar_t ***argv, wchar_t ***env, int wildcard, _startupinfo *info) {
    (void)wildcard;
    (void)info;
    if (!__wargv) {
        int n = WideArguments(&__wargv);
        if (n < 0) return -1;
        __argc = n;
    }
    *argc = __argc;
    *argv = __wargv;
    *env = _wenviron;
    return 0;
}

int __cdecl __getmainargs(int *argc, char ***argv, char ***env, int wildcard, _startupinfo *info) {
    (void)wildcard;
    (void)info;
    if (!__argv) {
        wchar_t **wide;
        int n = WideArguments(&wide);
        if (n < 0) return -1;
        size_t chars = 0;
        for (int i = 0; i < n; i++) chars += wcslen(wide[i]) + 1;
        char **narrow = HeapAlloc(_CRT_HEAP, 0, (n + 1) * sizeof(char *) + chars);
        if (!narrow) return -1;
        char *text = (char *)(narrow + n + 1);
        for (int i = 0; i < n; i++) {
            size_t length = wcslen(wide[i]) + 1;
            _crt_wide_to_ansi(wide[i], length, text, length);
            narrow[i] = text;
            text += length;
        }
        narrow[n] = NULL;
        if (!__wargv) __wargv = wide;
        else HeapFree(_CRT_HEAP, 0, wide);
        __argv = narrow;
        __argc = n;
    }
    *argc = __argc;
    *argv = __argv;
    *env = _environ;
    return 0;
}

/* ---- Initialiser tables ---- */

void __cdecl _initterm(_PVFV *begin, _PVFV *end) {
    for (; begin < end; begin++)
        if (*begin) (*begin)();
}

int __cdecl _initterm_e(_PIFV *begin, _PIFV *end) {
    for (; begin < end; begin++)
        if (*begin) {
            int result = (*begin)();
            if (result) return result;
        }
    return 0;
}

/* ---- atexit and exit ---- */

static _PVFV *ExitTable;
static size_t ExitCount, ExitCapacity;

static int Register(_PVFV **table, size_t *count, size_t *capacity, _PVFV function) {
    if (*count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 32;
        _PVFV *bigger = *table ? HeapReAlloc(_CRT_HEAP, 0, *table, grown * sizeof(_PVFV))
                               : HeapAlloc(_CRT_HEAP, 0, grown * sizeof(_PVFV));
        if (!bigger) return -1;
        *table = bigger;
        *capacity = grown;
    }
    (*table)[(*count)++] = function;
    return 0;
}

_onexit_t __cdecl _onexit(_onexit_t function) {
    _lock(_EXIT_LOCK1);
    int result = Register(&ExitTable, &ExitCount, &ExitCapacity, (_PVFV)function);
    _unlock(_EXIT_LOCK1);
    return result ? NULL : function;
}

int __cdecl atexit(_PVFV function) { return _onexit((_onexit_t)function) ? 0 : -1; }

/* A DLL's own table (mingw's DLL start-up code keeps one per DLL): *begin..*end. */
_onexit_t __cdecl __dllonexit(_onexit_t function, _PVFV **begin, _PVFV **end) {
    _lock(_EXIT_LOCK1);
    size_t count = (size_t)(*end - *begin);
    SIZE_T bytes = *begin ? HeapSize(_CRT_HEAP, 0, *begin) : 0;
    size_t capacity = bytes == (SIZE_T)-1 ? count : bytes / sizeof(_PVFV);
    _PVFV *table = *begin;
    int result = Register(&table, &count, &capacity, (_PVFV)function);
    if (!result) {
        *begin = table;
        *end = table + count;
    }
    _unlock(_EXIT_LOCK1);
    return result ? NULL : function;
}

static void RunExitTable(void) {
    /* Handlers may register more: take them one at a time from the end. */
    for (;;) {
        _lock(_EXIT_LOCK1);
        _PVFV function = ExitCount ? ExitTable[--ExitCount] : NULL;
        _unlock(_EXIT_LOCK1);
        if (!function) break;
        function();
    }
}

void _crt_flush_on_exit(void) {
    if (_crt_exiting != 2) _crt_flushall_streams(1);
}

static void DoExit(int code, int quick, int returnToCaller) {
    if (!quick) {
        _crt_exiting = 1;
        RunExitTable();
        _crt_flushall_streams(1);
    } else if (!returnToCaller) {
        _crt_exiting = 2;
    }
    if (!returnToCaller) ExitProcess((UINT)code);
}

_CRT_NORETURN void __cdecl exit(int code) {
    DoExit(code, 0, 0);
    for (;;) ExitProcess((UINT)code);
}

_CRT_NORETURN void __cdecl _exit(int code) {
    DoExit(code, 1, 0);
    for (;;) ExitProcess((UINT)code);
}

void __cdecl _cexit(void) { DoExit(0, 0, 1); }
void __cdecl _c_exit(void) { DoExit(0, 1, 1); }

/* A fatal run-time error: msvcrt's "runtime error" message, then exit code 255. */
_CRT_NORETURN void __cdecl _amsg_exit(int number) {
    const char *text;
    switch (number) {
    case 2: text = "- floating point support not loaded\r\n"; break;
    case 8: text = "- not enough space for arguments\r\n"; break;
    case 9: text = "- not enough space for environment\r\n"; break;
    case 24: text = "- pure virtual function call\r\n"; break;
    case 27: text = "- not enough space for thread data\r\n"; break;
    default: text = "- unexpected error\r\n"; break;
    }
    char message[128];
    int n = _snprintf(message, sizeof(message), "\r\nruntime error R60%02d\r\n%s", number, text);
    if (n > 0) _crt_write_raw(2, message, (unsigned)n);
    _exit(255);
}

_CRT_NORETURN void __cdecl _purecall(void) { _amsg_exit(25); }

int __cdecl _matherr(struct _exception *e) {
    if (UserMathErr) return UserMathErr(e);
    return 0;
}
