/* assert.h of the simulated machine's msvcrt.dll. */
#undef assert
#include <xcdb/crtdefs.h>
_CRT_BEGIN_C_HEADER
_CRTIMP void __cdecl _assert(const char *expression, const char *file, unsigned line);
_CRTIMP void __cdecl _wassert(const wchar_t *expression, const wchar_t *file, unsigned line);
_CRT_END_C_HEADER
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((void)((e) || (_assert(#e, __FILE__, __LINE__), 0)))
#endif
#ifndef static_assert
#define static_assert _Static_assert
#endif
