/* Time: tick counts and the system time read from KUSER_SHARED_DATA as Windows does, the
   performance counter, and calendar conversions. The machine's time zone is UTC. */
#include "k32.h"

/* A KSYSTEM_TIME is consistent when High1Time equals High2Time around the low part. */
static ULONGLONG ReadSystemTime(ULONG offset) {
    volatile KSYSTEM_TIME *t = (volatile KSYSTEM_TIME *)(XCDB_USER_SHARED_DATA + offset);
    for (;;) {
        LONG high = t->High1Time;
        ULONG low = t->LowPart;
        if (high == t->High2Time) return ((ULONGLONG)(ULONG)high << 32) | low;
        YieldProcessor();
    }
}

ULONGLONG WINAPI GetTickCount64(void) {
    ULONGLONG ticks = ReadSystemTime(KUSER_TickCount);
    ULONG multiplier = *(volatile ULONG *)(XCDB_USER_SHARED_DATA + KUSER_TickCountMultiplier);
    /* ticks * multiplier >> 24, without overflowing 64 bits */
    return (ticks >> 24) * multiplier + (((ticks & 0xFFFFFF) * multiplier) >> 24);
}

DWORD WINAPI GetTickCount(void) { return (DWORD)GetTickCount64(); }

void WINAPI GetSystemTimeAsFileTime(LPFILETIME time) {
    ULONGLONG t = ReadSystemTime(KUSER_SystemTime);
    time->dwLowDateTime = (DWORD)t;
    time->dwHighDateTime = (DWORD)(t >> 32);
}

void WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME time) {
    LARGE_INTEGER t;
    NtQuerySystemTime(&t);
    time->dwLowDateTime = t.LowPart;
    time->dwHighDateTime = (DWORD)t.HighPart;
}

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *counter) {
    NTSTATUS status = NtQueryPerformanceCounter(counter, NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *frequency) {
    LARGE_INTEGER counter;
    NTSTATUS status = NtQueryPerformanceCounter(&counter, frequency);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

/* Days from 1601-01-01 to a date, and back (proleptic Gregorian). */
static LONGLONG DaysFromCivil(LONGLONG y, unsigned m, unsigned d) {
    y -= m <= 2;
    LONGLONG era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (LONGLONG)doe - 584694; /* days_from_civil(1601-01-01), relative to 0000-03-01 */
}

BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, LPSYSTEMTIME st) {
    ULONGLONG t = ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (t >> 63) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONGLONG ms = t / 10000;
    LONGLONG days = (LONGLONG)(ms / 86400000);
    ULONGLONG rest = ms % 86400000;
    st->wMilliseconds = (WORD)(rest % 1000);
    st->wSecond = (WORD)(rest / 1000 % 60);
    st->wMinute = (WORD)(rest / 60000 % 60);
    st->wHour = (WORD)(rest / 3600000);
    st->wDayOfWeek = (WORD)((days + 1) % 7); /* 1601-01-01 was a Monday */
    LONGLONG z = days + 584694; /* days since 0000-03-01 */
    LONGLONG era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    LONGLONG y = (LONGLONG)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    st->wYear = (WORD)(y + (m <= 2));
    st->wMonth = (WORD)m;
    st->wDay = (WORD)d;
    return TRUE;
}

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *st, LPFILETIME ft) {
    static const BYTE days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (st->wYear < 1601 || st->wYear > 30827 || st->wMonth < 1 || st->wMonth > 12 || st->wDay < 1 ||
        st->wDay > days[st->wMonth - 1] || st->wHour > 23 || st->wMinute > 59 || st->wSecond > 59 ||
        st->wMilliseconds > 999) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL leap = (st->wYear % 4 == 0 && st->wYear % 100 != 0) || st->wYear % 400 == 0;
    if (st->wMonth == 2 && st->wDay == 29 && !leap) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    LONGLONG d = DaysFromCivil(st->wYear, st->wMonth, st->wDay);
    ULONGLONG ms = (ULONGLONG)d * 86400000 + st->wHour * 3600000ull + st->wMinute * 60000ull + st->wSecond * 1000ull +
                   st->wMilliseconds;
    ULONGLONG t = ms * 10000;
    ft->dwLowDateTime = (DWORD)t;
    ft->dwHighDateTime = (DWORD)(t >> 32);
    return TRUE;
}

void WINAPI GetSystemTime(LPSYSTEMTIME st) {
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    FileTimeToSystemTime(&ft, st);
}

void WINAPI GetLocalTime(LPSYSTEMTIME st) { GetSystemTime(st); }

BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *ft, LPFILETIME local) {
    *local = *ft;
    return TRUE;
}

BOOL WINAPI LocalFileTimeToFileTime(const FILETIME *local, LPFILETIME ft) {
    *ft = *local;
    return TRUE;
}

DWORD WINAPI GetTimeZoneInformation(LPTIME_ZONE_INFORMATION tz) {
    memset(tz, 0, sizeof(*tz));
    static const WCHAR name[] = L"Coordinated Universal Time";
    memcpy(tz->StandardName, name, sizeof(name));
    memcpy(tz->DaylightName, name, sizeof(name));
    return TIME_ZONE_ID_UNKNOWN;
}

BOOL WINAPI GetProcessTimes(HANDLE process, LPFILETIME creation, LPFILETIME exit, LPFILETIME kernel, LPFILETIME user) {
    (void)process;
    GetSystemTimeAsFileTime(creation);
    memset(exit, 0, sizeof(*exit));
    memset(kernel, 0, sizeof(*kernel));
    memset(user, 0, sizeof(*user));
    return TRUE;
}

BOOL WINAPI GetThreadTimes(HANDLE thread, LPFILETIME creation, LPFILETIME exit, LPFILETIME kernel, LPFILETIME user) {
    return GetProcessTimes(thread, creation, exit, kernel, user);
}

BOOL WINAPI GetSystemTimeAdjustment(PDWORD adjustment, PDWORD increment, PBOOL disabled) {
    *adjustment = 156250; /* 15.625 ms, in 100 ns units */
    *increment = 156250;
    *disabled = TRUE;
    return TRUE;
}

/* The machine's clock is its instruction count: it cannot be set. */
BOOL WINAPI SetSystemTime(const SYSTEMTIME *time) {
    (void)time;
    SetLastError(1314); /* ERROR_PRIVILEGE_NOT_HELD */
    return FALSE;
}
