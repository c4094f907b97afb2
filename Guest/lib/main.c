/* mainCRTStartup for clang-cl programs (xcdbcrt.lib): runs the C initialiser tables, gets
   argc/argv from msvcrt's __getmainargs, calls main and exits with its result, as the
   Microsoft CRT's start-up does over msvcrt.dll. */
#include <stdlib.h>

typedef void(__cdecl *_PVFV)(void);
typedef int(__cdecl *_PIFV)(void);
typedef struct {
    int newmode;
} _startupinfo;

_CRTIMP int __cdecl __getmainargs(int *argc, char ***argv, char ***env, int wildcard, _startupinfo *info);
_CRTIMP int __cdecl __wgetmainargs(int *argc, wchar_t ***argv, wchar_t ***env, int wildcard, _startupinfo *info);
_CRTIMP void __cdecl __set_app_type(int type);
_CRTIMP void __cdecl _initterm(_PVFV *begin, _PVFV *end);
_CRTIMP int __cdecl _initterm_e(_PIFV *begin, _PIFV *end);
_CRTIMP _CRT_NORETURN void __cdecl _amsg_exit(int number);

extern _PIFV __xi_a[], __xi_z[];
extern _PVFV __xc_a[], __xc_z[];
void __cdecl __security_init_cookie(void);

int main(int argc, char **argv, char **envp);
int __cdecl mainCRTStartup(void) {
    __security_init_cookie();
    __set_app_type(1); /* console */
    if (_initterm_e(__xi_a, __xi_z)) _amsg_exit(8);
    int argc;
    char **argv, **envp;
    _startupinfo info = {0};
    if (__getmainargs(&argc, &argv, &envp, 0, &info) < 0) _amsg_exit(8);
    _initterm(__xc_a, __xc_z);
    exit(main(argc, argv, envp));
}
