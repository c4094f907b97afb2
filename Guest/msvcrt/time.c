/* time.h: the machine's clock (instructions, Guest/ABI.md "Time") in Unix seconds, calendar
   conversion, strftime. The machine runs in UTC: localtime is gmtime. */
#include "crt.h"

long _timezone = 0;
int _daylight = 0;
long _dstbias = 0;
static char Utc[] = "UTC";
char *_tzname[2] = {Utc, Utc};
long *__cdecl __p__timezone(void) { return &_timezone; }
int *__cdecl __p__daylight(void) { return &_daylight; }
char **__cdecl __p__tzname(void) { return _tzname; }
void __cdecl _tzset(void) {}

#define EPOCH_AS_FILETIME 116444736000000000LL

static long long NowFileTime(void) {
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return ((long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

__time64_t __cdecl _time64(__time64_t *result) {
    __time64_t t = (NowFileTime() - EPOCH_AS_FILETIME) / 10000000;
    if (result) *result = t;
    return t;
}

time_t __cdecl time(time_t *result) { return _time64(result); }

__time32_t __cdecl _time32(__time32_t *result) {
    __time32_t t = (__time32_t)_time64(NULL);
    if (result) *result = t;
    return t;
}

/* Milliseconds since the process started (its first call, which msvcrt's start-up makes). */
clock_t __cdecl clock(void) {
    static long long start;
    LARGE_INTEGER now, frequency;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&frequency);
    if (!start) start = now.QuadPart ? now.QuadPart : 1;
    if (!frequency.QuadPart) return -1;
    return (clock_t)((now.QuadPart - start) * 1000 / frequency.QuadPart);
}

double __cdecl difftime(time_t end, time_t start) { return (double)(end - start); }
double __cdecl _difftime64(__time64_t end, __time64_t start) { return (double)(end - start); }
double __cdecl _difftime32(__time32_t end, __time32_t start) { return (double)(end - start); }

/* Days since 1970-01-01 of a civil date, and back. */
static long long DaysFromCivil(long long y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void CivilFromDays(long long z, long long *y, int *m, int *d) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int IsLeap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static struct tm *Breakdown(long long t, struct tm *out) {
    /* msvcrt's range: 1970-01-01 to 3000-12-31 23:59:59. */
    if (t < 0 || t > 32535215999LL) {
        errno = EINVAL;
        return NULL;
    }
    long long days = t / 86400, rest = t % 86400;
    long long y;
    int m, d;
    CivilFromDays(days, &y, &m, &d);
    out->tm_sec = (int)(rest % 60);
    out->tm_min = (int)(rest / 60 % 60);
    out->tm_hour = (int)(rest / 3600);
    out->tm_mday = d;
    out->tm_mon = m - 1;
    out->tm_year = (int)(y - 1900);
    out->tm_wday = (int)((days + 4) % 7);
    out->tm_yday = (int)(days - DaysFromCivil(y, 1, 1));
    out->tm_isdst = 0;
    return out;
}

struct tm *__cdecl _gmtime64(const __time64_t *t) { return Breakdown(*t, &_getptd()->tmbuf); }
struct tm *__cdecl gmtime(const time_t *t) { return _gmtime64(t); }
struct tm *__cdecl _gmtime32(const __time32_t *t) { return Breakdown(*t, &_getptd()->tmbuf); }
struct tm *__cdecl _localtime64(const __time64_t *t) { return _gmtime64(t); }
struct tm *__cdecl localtime(const time_t *t) { return _gmtime64(t); }
struct tm *__cdecl _localtime32(const __time32_t *t) { return _gmtime32(t); }

/* Normalises the fields (months over 11, days past the month's end, negative values...),
   fills tm_wday and tm_yday, and returns the time. */
__time64_t __cdecl _mkgmtime64(struct tm *tm) {
    long long year = 1900LL + tm->tm_year, month = tm->tm_mon;
    year += month / 12;
    month %= 12;
    if (month < 0) month += 12, year--;
    long long days = DaysFromCivil(year, (int)month + 1, 1) + tm->tm_mday - 1;
    long long t = days * 86400 + (long long)tm->tm_hour * 3600 + (long long)tm->tm_min * 60 + tm->tm_sec;
    struct tm result;
    if (!Breakdown(t, &result)) return -1;
    *tm = result;
    return t;
}

__time64_t __cdecl _mktime64(struct tm *tm) { return _mkgmtime64(tm); }
time_t __cdecl mktime(struct tm *tm) { return _mkgmtime64(tm); }
time_t __cdecl _mkgmtime(struct tm *tm) { return _mkgmtime64(tm); }

static const char *const Days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const Months[] = {"January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"};

/* msvcrt's asctime: "Wed Jan 02 02:03:55 1980\n" (two-digit day with a leading zero). */
char *__cdecl asctime(const struct tm *tm) {
    char *buffer = _getptd()->asctimebuf;
    if (tm->tm_wday < 0 || tm->tm_wday > 6 || tm->tm_mon < 0 || tm->tm_mon > 11) {
        errno = EINVAL;
        return NULL;
    }
    _snprintf(buffer, 26, "%.3s %.3s %02d %02d:%02d:%02d %d\n", Days[tm->tm_wday], Months[tm->tm_mon], tm->tm_mday,
        tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
    buffer[25] = 0;
    return buffer;
}

char *__cdecl _ctime64(const __time64_t *t) {
    struct tm *tm = _localtime64(t);
    return tm ? asctime(tm) : NULL;
}

char *__cdecl ctime(const time_t *t) { return _ctime64(t); }

char *__cdecl _strdate(char *buffer) {
    time_t t = time(NULL);
    struct tm *tm = gmtime(&t);
    sprintf(buffer, "%02d/%02d/%02d", tm->tm_mon + 1, tm->tm_mday, tm->tm_year % 100);
    return buffer;
}

char *__cdecl _strtime(char *buffer) {
    time_t t = time(NULL);
    struct tm *tm = gmtime(&t);
    sprintf(buffer, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
    return buffer;
}

struct _timeb {
    time_t time;
    unsigned short millitm;
    short timezone;
    short dstflag;
};

void __cdecl _ftime64(struct _timeb *tb) {
    long long now = NowFileTime() - EPOCH_AS_FILETIME;
    tb->time = now / 10000000;
    tb->millitm = (unsigned short)(now / 10000 % 1000);
    tb->timezone = 0;
    tb->dstflag = 0;
}

void __cdecl _ftime(struct _timeb *tb) { _ftime64(tb); }

/* ---- strftime ---- */

typedef struct {
    char *buffer;
    size_t size, used;
    int overflow;
} TEXT;

static void Put(TEXT *t, const char *s) {
    for (; *s; s++) {
        if (t->used + 1 >= t->size) {
            t->overflow = 1;
            return;
        }
        t->buffer[t->used++] = *s;
    }
}

static void Number(TEXT *t, long long value, int width, char pad) {
    char digits[24], text[32];
    int n = 0, negative = value < 0;
    unsigned long long v = negative ? 0 - (unsigned long long)value : (unsigned long long)value;
    do digits[n++] = (char)('0' + v % 10), v /= 10;
    while (v);
    int k = 0;
    if (negative) text[k++] = '-';
    for (int i = n; i < width; i++) text[k++] = pad;
    while (n) text[k++] = digits[--n];
    text[k] = 0;
    Put(t, text);
}

/* ISO 8601 week number and its year. */
static int IsoWeek(const struct tm *tm, long long *isoYear) {
    long long year = tm->tm_year + 1900LL;
    int wday = (tm->tm_wday + 6) % 7; /* Monday 0 */
    int week = (tm->tm_yday - wday + 10) / 7;
    if (week < 1) {
        year--;
        int yday = tm->tm_yday + (IsLeap(year) ? 366 : 365);
        week = (yday - wday + 10) / 7;
    } else {
        int daysInYear = IsLeap(year) ? 366 : 365;
        if (tm->tm_yday - wday + 3 >= daysInYear) {
            week = 1;
            year++;
        }
    }
    *isoYear = year;
    return week;
}

static void Format(TEXT *t, const char *format, const struct tm *tm) {
    for (const char *p = format; *p && !t->overflow; p++) {
        if (*p != '%') {
            char c[2] = {*p, 0};
            Put(t, c);
            continue;
        }
        p++;
        int alternate = 0;
        if (*p == '#') alternate = 1, p++;
        char pad = alternate ? 0 : '0';
        int w2 = alternate ? 1 : 2;
        switch (*p) {
        case 'a': Put(t, tm->tm_wday >= 0 && tm->tm_wday < 7 ? (char[4]){Days[tm->tm_wday][0], Days[tm->tm_wday][1], Days[tm->tm_wday][2], 0} : "?"); break;
        case 'A': Put(t, tm->tm_wday >= 0 && tm->tm_wday < 7 ? Days[tm->tm_wday] : "?"); break;
        case 'b':
        case 'h': Put(t, tm->tm_mon >= 0 && tm->tm_mon < 12 ? (char[4]){Months[tm->tm_mon][0], Months[tm->tm_mon][1], Months[tm->tm_mon][2], 0} : "?"); break;
        case 'B': Put(t, tm->tm_mon >= 0 && tm->tm_mon < 12 ? Months[tm->tm_mon] : "?"); break;
        case 'c':
            if (alternate) Format(t, "%A, %B %#d, %Y %H:%M:%S", tm);
            else Format(t, "%m/%d/%y %H:%M:%S", tm);
            break;
        case 'C': Number(t, (tm->tm_year + 1900) / 100, 2, '0'); break;
        case 'd': Number(t, tm->tm_mday, w2, pad); break;
        case 'D': Format(t, "%m/%d/%y", tm); break;
        case 'e': Number(t, tm->tm_mday, 2, ' '); break;
        case 'F': Format(t, "%Y-%m-%d", tm); break;
        case 'g':
        case 'G': {
            long long year;
            IsoWeek(tm, &year);
            if (*p == 'g') Number(t, (year % 100 + 100) % 100, 2, '0');
            else Number(t, year, 1, '0');
            break;
        }
        case 'H': Number(t, tm->tm_hour, w2, pad); break;
        case 'I': Number(t, tm->tm_hour % 12 ? tm->tm_hour % 12 : 12, w2, pad); break;
        case 'j': Number(t, tm->tm_yday + 1, alternate ? 1 : 3, '0'); break;
        case 'm': Number(t, tm->tm_mon + 1, w2, pad); break;
        case 'M': Number(t, tm->tm_min, w2, pad); break;
        case 'n': Put(t, "\n"); break;
        case 'p': Put(t, tm->tm_hour < 12 ? "AM" : "PM"); break;
        case 'r': Format(t, "%I:%M:%S %p", tm); break;
        case 'R': Format(t, "%H:%M", tm); break;
        case 'S': Number(t, tm->tm_sec, w2, pad); break;
        case 't': Put(t, "\t"); break;
        case 'T': Format(t, "%H:%M:%S", tm); break;
        case 'u': Number(t, tm->tm_wday ? tm->tm_wday : 7, 1, '0'); break;
        case 'U': Number(t, (tm->tm_yday + 7 - tm->tm_wday) / 7, w2, pad); break;
        case 'V': {
            long long year;
            Number(t, IsoWeek(tm, &year), 2, '0');
            break;
        }
        case 'w': Number(t, tm->tm_wday, 1, '0'); break;
        case 'W': Number(t, (tm->tm_yday + 7 - (tm->tm_wday + 6) % 7) / 7, w2, pad); break;
        case 'x':
            if (alternate) Format(t, "%A, %B %#d, %Y", tm);
            else Format(t, "%m/%d/%y", tm);
            break;
        case 'X': Format(t, "%H:%M:%S", tm); break;
        case 'y': Number(t, (tm->tm_year % 100 + 100) % 100, w2, pad); break;
        case 'Y': Number(t, tm->tm_year + 1900LL, 1, '0'); break;
        case 'z': Put(t, "+0000"); break;
        case 'Z': Put(t, _tzname[0]); break;
        case '%': Put(t, "%"); break;
        case 0: return;
        default: break; /* msvcrt ignores what it does not know */
        }
    }
}

size_t __cdecl strftime(char *buffer, size_t size, const char *format, const struct tm *tm) {
    if (!buffer || !size || !format || !tm) {
        errno = EINVAL;
        return 0;
    }
    TEXT t = {buffer, size, 0, 0};
    Format(&t, format, tm);
    if (t.overflow) {
        buffer[0] = 0;
        errno = ERANGE;
        return 0;
    }
    buffer[t.used] = 0;
    return t.used;
}

size_t __cdecl wcsftime(wchar_t *buffer, size_t size, const wchar_t *format, const struct tm *tm) {
    char narrowFormat[512], narrow[1024];
    size_t n = wcslen(format);
    if (n >= sizeof(narrowFormat)) return 0;
    _crt_wide_to_ansi(format, n + 1, narrowFormat, sizeof(narrowFormat));
    size_t length = strftime(narrow, sizeof(narrow) < size ? sizeof(narrow) : size, narrowFormat, tm);
    if (!length && size) {
        buffer[0] = 0;
        return 0;
    }
    for (size_t i = 0; i <= length; i++) buffer[i] = (wchar_t)(unsigned char)narrow[i];
    return length;
}
