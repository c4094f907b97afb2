/* ctype.h and wctype.h in the "C" locale: msvcrt's _ctype table (index 0 is EOF) and
   _pctype pointing one past its start. */
#include "crt.h"
#include <ctype.h>

#define C _CONTROL
#define S (_SPACE | _CONTROL)
#define P _PUNCT
#define D (_DIGIT | _HEX)
#define U (_UPPER | 0x100)
#define UX (_UPPER | _HEX | 0x100)
#define L (_LOWER | 0x100)
#define LX (_LOWER | _HEX | 0x100)

const unsigned short _ctype[257] = {0, /* EOF */
    C, C, C, C, C, C, C, C, C, S | _BLANK, S, S, S, S, C, C, /* 00-0F */
    C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, /* 10-1F */
    _SPACE | _BLANK, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, /* 20-2F */
    D, D, D, D, D, D, D, D, D, D, P, P, P, P, P, P, /* 30-3F */
    P, UX, UX, UX, UX, UX, UX, U, U, U, U, U, U, U, U, U, /* 40-4F */
    U, U, U, U, U, U, U, U, U, U, U, P, P, P, P, P, /* 50-5F */
    P, LX, LX, LX, LX, LX, LX, L, L, L, L, L, L, L, L, L, /* 60-6F */
    L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, C}; /* 70-7F; 80-FF are 0 */
const unsigned short _wctype[257] = {0};
const unsigned short *_pctype = _ctype + 1;
const unsigned short *_pwctype = _ctype + 1;
int __mb_cur_max = 1;
unsigned int __lc_codepage = 0;

const unsigned short *__cdecl __pctype_func(void) { return _pctype; }
const unsigned short *__cdecl __pwctype_func(void) { return _pwctype; }
int __cdecl ___mb_cur_max_func(void) { return __mb_cur_max; }
int *__cdecl __p___mb_cur_max(void) { return &__mb_cur_max; }
unsigned int __cdecl ___lc_codepage_func(void) { return __lc_codepage; }

int __cdecl _isctype(int c, int mask) {
    if (c < -1 || c > 255) return 0;
    return _ctype[c + 1] & mask;
}

int __cdecl isalpha(int c) { return _isctype(c, _ALPHA); }
int __cdecl isupper(int c) { return _isctype(c, _UPPER); }
int __cdecl islower(int c) { return _isctype(c, _LOWER); }
int __cdecl isdigit(int c) { return _isctype(c, _DIGIT); }
int __cdecl isxdigit(int c) { return _isctype(c, _HEX); }
int __cdecl isspace(int c) { return _isctype(c, _SPACE); }
int __cdecl ispunct(int c) { return _isctype(c, _PUNCT); }
int __cdecl isalnum(int c) { return _isctype(c, _ALPHA | _DIGIT); }
int __cdecl isprint(int c) { return _isctype(c, _BLANK | _PUNCT | _ALPHA | _DIGIT); }
int __cdecl isgraph(int c) { return _isctype(c, _PUNCT | _ALPHA | _DIGIT); }
int __cdecl iscntrl(int c) { return _isctype(c, _CONTROL); }
int __cdecl isblank(int c) { return c == ' ' || c == '\t' ? _BLANK : 0; }
int __cdecl toupper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
int __cdecl tolower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
int __cdecl _toupper(int c) { return c - 'a' + 'A'; }
int __cdecl _tolower(int c) { return c - 'A' + 'a'; }
int __cdecl __isascii(int c) { return (unsigned)c < 0x80; }
int __cdecl __toascii(int c) { return c & 0x7F; }
int __cdecl __iscsym(int c) { return isalnum(c) || c == '_'; }
int __cdecl __iscsymf(int c) { return isalpha(c) || c == '_'; }

/* ---- Wide ---- */

wint_t __cdecl towupper(wint_t c) {
    if (c >= 'a' && c <= 'z') return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c == 0xFF) return 0x178;
    if (c >= 0x100 && c <= 0x17F && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) return c - 1;
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

wint_t __cdecl towlower(wint_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F && !(c & 1) && c != 0x130 && c != 0x138 && c != 0x148 && c != 0x17E) return c + 1;
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

unsigned short _crt_wctype(wint_t c) {
    if (c < 0x80) return _ctype[c + 1];
    if (c == WEOF) return 0;
    unsigned short t = 0;
    if (c < 0xA0) return _CONTROL;
    if (c == 0xA0) return _SPACE | _BLANK;
    if (towlower(c) != c) t |= _UPPER | 0x100;
    else if (towupper(c) != c) t |= _LOWER | 0x100;
    else if (c == 0xAA || c == 0xBA || c == 0xDF || c > 0x2FF) t |= 0x100;
    else if (c < 0x100) t |= _PUNCT;
    return t;
}

int __cdecl iswctype(wint_t c, wctype_t mask) { return _crt_wctype(c) & mask; }
int __cdecl is_wctype(wint_t c, wctype_t mask) { return iswctype(c, mask); }
int __cdecl iswalpha(wint_t c) { return iswctype(c, _ALPHA); }
int __cdecl iswupper(wint_t c) { return iswctype(c, _UPPER); }
int __cdecl iswlower(wint_t c) { return iswctype(c, _LOWER); }
int __cdecl iswdigit(wint_t c) { return iswctype(c, _DIGIT); }
int __cdecl iswxdigit(wint_t c) { return iswctype(c, _HEX); }
int __cdecl iswspace(wint_t c) { return iswctype(c, _SPACE); }
int __cdecl iswpunct(wint_t c) { return iswctype(c, _PUNCT); }
int __cdecl iswalnum(wint_t c) { return iswctype(c, _ALPHA | _DIGIT); }
int __cdecl iswprint(wint_t c) { return iswctype(c, _BLANK | _PUNCT | _ALPHA | _DIGIT); }
int __cdecl iswgraph(wint_t c) { return iswctype(c, _PUNCT | _ALPHA | _DIGIT); }
int __cdecl iswcntrl(wint_t c) { return iswctype(c, _CONTROL); }
int __cdecl iswblank(wint_t c) { return c == ' ' || c == '\t' || c == 0xA0; }
int __cdecl iswascii(wint_t c) { return c < 0x80; }

wctype_t __cdecl wctype(const char *name) {
    static const struct {
        const char *name;
        wctype_t mask;
    } classes[] = {{"alnum", _ALPHA | _DIGIT}, {"alpha", _ALPHA}, {"cntrl", _CONTROL}, {"digit", _DIGIT},
        {"graph", _PUNCT | _ALPHA | _DIGIT}, {"lower", _LOWER}, {"print", _BLANK | _PUNCT | _ALPHA | _DIGIT},
        {"punct", _PUNCT}, {"space", _SPACE}, {"upper", _UPPER}, {"xdigit", _HEX}, {"blank", _BLANK}};
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        if (!strcmp(name, classes[i].name)) return classes[i].mask;
    return 0;
}
