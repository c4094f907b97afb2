/* direct.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_DIRECT_H
#define XCDB_DIRECT_H
#include <xcdb/crtdefs.h>
_CRT_BEGIN_C_HEADER
_CRTIMP char *__cdecl _getcwd(char *buffer, int size);
_CRTIMP wchar_t *__cdecl _wgetcwd(wchar_t *buffer, int size);
_CRTIMP int __cdecl _chdir(const char *path);
_CRTIMP int __cdecl _mkdir(const char *path);
_CRTIMP int __cdecl _rmdir(const char *path);
#define getcwd _getcwd
#define chdir _chdir
#define mkdir _mkdir
#define rmdir _rmdir
_CRT_END_C_HEADER
#endif
