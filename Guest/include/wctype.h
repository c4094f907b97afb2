/* wctype.h: the wide classification functions (declared with ctype.h's). */
#ifndef XCDB_WCTYPE_H
#define XCDB_WCTYPE_H
#include <ctype.h>
typedef wchar_t wctrans_t;
_CRT_BEGIN_C_HEADER
_CRTIMP wctype_t __cdecl wctype(const char *name);
_CRT_END_C_HEADER
#endif
