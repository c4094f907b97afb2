/* The printf engine shared by msvcrt's printf family and ntdll's DbgPrint/_vsnprintf: one
   implementation for narrow and one for wide output (format.c includes format_engine.h
   twice). Pure C: also compiled natively for the comparison tests against glibc. */
#ifndef XCDB_FORMAT_H
#define XCDB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xc_out {
    /* Receives `count` characters (char or wchar_t, as the engine writes). */
    void (*write)(struct xc_out *out, const void *text, size_t count);
    size_t total; /* characters produced so far */
    int error;    /* set by write to make the call return -1 */
} xc_out;

/* Format flags. */
#define XC_FORMAT_NT 1 /* ntdll's dialect: %Z is an ANSI_STRING, %wZ a UNICODE_STRING */

/* Returns the number of characters produced, or -1 on error (an invalid wide character
   for narrow output is written as '?', so errors come only from the sink). */
int xc_vformat(xc_out *out, int flags, const char *format, va_list args);
int xc_vwformat(xc_out *out, int flags, const uint16_t *format, va_list args);

#endif
