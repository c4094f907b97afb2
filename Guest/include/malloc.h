/* malloc.h of the simulated machine's msvcrt.dll. */
#ifndef XCDB_MALLOC_H
#define XCDB_MALLOC_H
#include <stdlib.h>
#define _alloca __builtin_alloca
#define alloca __builtin_alloca
_CRT_BEGIN_C_HEADER
_CRTIMP int __cdecl _heapchk(void);
_CRTIMP int __cdecl _heapmin(void);
_CRT_END_C_HEADER
#define _HEAPOK (-2)
#endif
