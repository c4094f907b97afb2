/* The printf engine (format.h): instantiated once for narrow and once for wide output. */
#include "format.h"
#include "fltconv.h"

/* One code unit of Windows' wide strings: 16 bits (wchar_t on Windows; natively the tests
   build with -fshort-wchar). */
typedef uint16_t xc_wchar;

typedef struct {
    const char *Buffer;
    uint16_t Length, MaximumLength;
} xc_counted_string; /* the layout of ANSI_STRING and UNICODE_STRING after padding */

typedef struct {
    uint16_t Length, MaximumLength;
    uint32_t pad;
    const void *Buffer;
} xc_nt_string;

#define FLAG_LEFT 1
#define FLAG_PLUS 2
#define FLAG_SPACE 4
#define FLAG_ALT 8
#define FLAG_ZERO 16

#define TCHAR char
#define ENGINE xc_vformat
#define WIDE_OUTPUT 0
#include "format_engine.h"
#undef TCHAR
#undef ENGINE
#undef WIDE_OUTPUT

#define TCHAR xc_wchar
#define ENGINE xc_vwformat
#define WIDE_OUTPUT 1
#include "format_engine.h"
