/* process.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_PROCESS_H
#define XCDB_PROCESS_H

#include <xcdb/crtdefs.h>
#include <stdint.h>

_CRT_BEGIN_C_HEADER

_CRTIMP uintptr_t __cdecl _beginthread(void(__cdecl *start)(void *), unsigned stack, void *argument);
_CRTIMP void __cdecl _endthread(void);
_CRTIMP uintptr_t __cdecl _beginthreadex(void *security, unsigned stack, unsigned(__stdcall *start)(void *),
    void *argument, unsigned flags, unsigned *id);
_CRTIMP void __cdecl _endthreadex(unsigned code);
_CRTIMP int __cdecl _getpid(void);
_CRT_NORETURN _CRTIMP void __cdecl exit(int code);
_CRT_NORETURN _CRTIMP void __cdecl _exit(int code);
_CRT_NORETURN _CRTIMP void __cdecl abort(void);
_CRTIMP void __cdecl _cexit(void);
_CRTIMP void __cdecl _c_exit(void);
_CRTIMP int __cdecl system(const char *command);
#define getpid _getpid

_CRT_END_C_HEADER

#endif
