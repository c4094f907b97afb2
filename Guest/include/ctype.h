/* ctype.h of the simulated machine's msvcrt.dll: classification through the _pctype table
   ("C" locale). */
#ifndef XCDB_CTYPE_H
#define XCDB_CTYPE_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

#define _UPPER 0x1
#define _LOWER 0x2
#define _DIGIT 0x4
#define _SPACE 0x8
#define _PUNCT 0x10
#define _CONTROL 0x20
#define _BLANK 0x40
#define _HEX 0x80
#define _LEADBYTE 0x8000
#define _ALPHA (0x0100 | _UPPER | _LOWER)

_CRTIMP extern const unsigned short *_pctype;
_CRTIMP extern const unsigned short _ctype[];
_CRTIMP const unsigned short *__cdecl __pctype_func(void);
_CRTIMP int __cdecl _isctype(int c, int mask);
_CRTIMP int __cdecl isalpha(int c);
_CRTIMP int __cdecl isupper(int c);
_CRTIMP int __cdecl islower(int c);
_CRTIMP int __cdecl isdigit(int c);
_CRTIMP int __cdecl isxdigit(int c);
_CRTIMP int __cdecl isspace(int c);
_CRTIMP int __cdecl ispunct(int c);
_CRTIMP int __cdecl isalnum(int c);
_CRTIMP int __cdecl isprint(int c);
_CRTIMP int __cdecl isgraph(int c);
_CRTIMP int __cdecl iscntrl(int c);
_CRTIMP int __cdecl isblank(int c);
_CRTIMP int __cdecl toupper(int c);
_CRTIMP int __cdecl tolower(int c);
_CRTIMP int __cdecl _toupper(int c);
_CRTIMP int __cdecl _tolower(int c);
_CRTIMP int __cdecl __isascii(int c);
_CRTIMP int __cdecl __toascii(int c);
_CRTIMP int __cdecl __iscsym(int c);
_CRTIMP int __cdecl __iscsymf(int c);
#define isascii __isascii
#define toascii __toascii
#define iscsym __iscsym
#define iscsymf __iscsymf

#ifndef XCDB_WCTYPE_FUNCTIONS
#define XCDB_WCTYPE_FUNCTIONS
_CRTIMP int __cdecl iswalpha(wint_t c);
_CRTIMP int __cdecl iswupper(wint_t c);
_CRTIMP int __cdecl iswlower(wint_t c);
_CRTIMP int __cdecl iswdigit(wint_t c);
_CRTIMP int __cdecl iswxdigit(wint_t c);
_CRTIMP int __cdecl iswspace(wint_t c);
_CRTIMP int __cdecl iswpunct(wint_t c);
_CRTIMP int __cdecl iswalnum(wint_t c);
_CRTIMP int __cdecl iswprint(wint_t c);
_CRTIMP int __cdecl iswgraph(wint_t c);
_CRTIMP int __cdecl iswcntrl(wint_t c);
_CRTIMP int __cdecl iswblank(wint_t c);
_CRTIMP int __cdecl iswascii(wint_t c);
_CRTIMP int __cdecl iswctype(wint_t c, wctype_t type);
_CRTIMP wint_t __cdecl towupper(wint_t c);
_CRTIMP wint_t __cdecl towlower(wint_t c);
#endif

_CRT_END_C_HEADER

#endif
