/* locale.h of the simulated machine's msvcrt.dll: only the "C" locale. */
#ifndef XCDB_LOCALE_H
#define XCDB_LOCALE_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

#define LC_ALL 0
#define LC_COLLATE 1
#define LC_CTYPE 2
#define LC_MONETARY 3
#define LC_NUMERIC 4
#define LC_TIME 5

struct lconv {
    char *decimal_point, *thousands_sep, *grouping, *int_curr_symbol, *currency_symbol, *mon_decimal_point,
        *mon_thousands_sep, *mon_grouping, *positive_sign, *negative_sign;
    char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes, n_sep_by_space, p_sign_posn,
        n_sign_posn;
};

_CRTIMP char *__cdecl setlocale(int category, const char *locale);
_CRTIMP wchar_t *__cdecl _wsetlocale(int category, const wchar_t *locale);
_CRTIMP struct lconv *__cdecl localeconv(void);
_CRTIMP unsigned int __cdecl ___lc_codepage_func(void);

_CRT_END_C_HEADER

#endif
