/* time.h of the simulated machine's msvcrt.dll: 64-bit time_t; the machine runs in UTC. */
#ifndef XCDB_TIME_H
#define XCDB_TIME_H

#include <xcdb/crtdefs.h>

_CRT_BEGIN_C_HEADER

typedef long clock_t;
#define CLOCKS_PER_SEC 1000
#define CLK_TCK CLOCKS_PER_SEC

struct tm {
    int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};

_CRTIMP time_t __cdecl time(time_t *result);
_CRTIMP __time64_t __cdecl _time64(__time64_t *result);
_CRTIMP __time32_t __cdecl _time32(__time32_t *result);
_CRTIMP clock_t __cdecl clock(void);
_CRTIMP double __cdecl difftime(time_t end, time_t start);
_CRTIMP double __cdecl _difftime64(__time64_t end, __time64_t start);
_CRTIMP time_t __cdecl mktime(struct tm *time);
_CRTIMP __time64_t __cdecl _mktime64(struct tm *time);
_CRTIMP time_t __cdecl _mkgmtime(struct tm *time);
_CRTIMP __time64_t __cdecl _mkgmtime64(struct tm *time);
_CRTIMP struct tm *__cdecl gmtime(const time_t *time);
_CRTIMP struct tm *__cdecl _gmtime64(const __time64_t *time);
_CRTIMP struct tm *__cdecl _gmtime32(const __time32_t *time);
_CRTIMP struct tm *__cdecl localtime(const time_t *time);
_CRTIMP struct tm *__cdecl _localtime64(const __time64_t *time);
_CRTIMP struct tm *__cdecl _localtime32(const __time32_t *time);
_CRTIMP char *__cdecl asctime(const struct tm *time);
_CRTIMP char *__cdecl ctime(const time_t *time);
_CRTIMP char *__cdecl _ctime64(const __time64_t *time);
_CRTIMP size_t __cdecl strftime(char *buffer, size_t size, const char *format, const struct tm *time);
_CRTIMP size_t __cdecl wcsftime(wchar_t *buffer, size_t size, const wchar_t *format, const struct tm *time);
_CRTIMP char *__cdecl _strdate(char *buffer);
_CRTIMP char *__cdecl _strtime(char *buffer);
_CRTIMP void __cdecl _tzset(void);
_CRTIMP extern long _timezone;
_CRTIMP extern int _daylight;
_CRTIMP extern char *_tzname[2];
#define tzset _tzset

_CRT_END_C_HEADER

#endif
