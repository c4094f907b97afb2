/* Exact conversions between doubles and decimal text, shared by printf, scanf and strtod.
   Pure C: also compiled natively for the comparison tests against glibc. */
#ifndef XCDB_FLTCONV_H
#define XCDB_FLTCONV_H

#include <stddef.h>
#include <stdint.h>

/* The largest number of significant decimal digits a double has exactly (2^-1074 has 751). */
#define XC_MAX_DIGITS 800

/* The exact decimal expansion of a finite, non-negative double: digits '0'-'9' without
   leading or trailing zeros (none at all for 0), and the decimal exponent: the value is
   0.DIGITS x 10^exponent. Returns the number of digits. */
int xc_exact_digits(double value, char digits[XC_MAX_DIGITS], int *exponent);

/* Rounds an exact digit string to `keep` digits, half to even (ties are exact here). May
   produce a carry: then digits becomes "1" and the exponent grows by one. Returns the new
   count (trailing zeros removed). `keep` may be 0 or negative (everything rounds away). */
int xc_round_digits(char *digits, int count, int keep, int *exponent);

/* Parses a decimal or hexadecimal floating-point number as strtod does (after optional
   white space and sign: digits with a point and exponent, "0x" hex with a 'p' exponent,
   "inf", "infinity", "nan", "nan(...)"). Correctly rounded to nearest even. *end is set
   past the text used (to text when nothing is recognised); *range is set to 1 on overflow
   and -1 on underflow to zero or to a denormal. Reads at most `limit` characters (SIZE_MAX
   for a string) through `at`, so the same code serves strings and streams. */
typedef int (*xc_char_at)(void *source, size_t index);
double xc_parse_double(void *source, xc_char_at at, size_t limit, size_t *used, int *range);
double xc_strtod(const char *text, const char **end, int *range);

#endif
