/* Declarations shared by the files of kernel32. */
#ifndef XCDB_KERNEL32_INTERNAL_H
#define XCDB_KERNEL32_INTERNAL_H

#include <windows.h>
#include <winternl.h>

/* From ntdll (which exports them, as Windows' ntdll does). */
NTSYSAPI void *memcpy(void *dst, const void *src, size_t n);
NTSYSAPI void *memset(void *dst, int c, size_t n);
NTSYSAPI void *memmove(void *dst, const void *src, size_t n);
NTSYSAPI int memcmp(const void *a, const void *b, size_t n);
NTSYSAPI size_t strlen(const char *s);
NTSYSAPI size_t wcslen(const wchar_t *s);
NTSYSAPI int strcmp(const char *a, const char *b);
NTSYSAPI int _stricmp(const char *a, const char *b);
NTSYSAPI int _wcsicmp(const wchar_t *a, const wchar_t *b);
NTSYSAPI int wcscmp(const wchar_t *a, const wchar_t *b);
NTSYSAPI int _snprintf(char *buffer, size_t count, const char *format, ...);

/* Sets the last error from an NTSTATUS (and remembers the status), as Windows does. */
static __inline void BaseSetLastNTError(NTSTATUS status) {
    NtCurrentTeb()->LastErrorValue = RtlNtStatusToDosError(status);
}

/* A Win32 timeout in milliseconds as an NT timeout (NULL for INFINITE). */
static __inline PLARGE_INTEGER BaseFormatTimeout(PLARGE_INTEGER timeout, DWORD milliseconds) {
    if (milliseconds == INFINITE) return NULL;
    timeout->QuadPart = -(LONGLONG)milliseconds * 10000;
    return timeout;
}

#define BaseHeap() (NtCurrentPeb()->ProcessHeap)

/* ANSI <-> UTF-16 in the process's ANSI code page (nls.c). The returned strings come from the
   process heap; NULL in gives NULL out. */
PWSTR BaseAnsiToWide(LPCSTR text);
PSTR BaseWideToAnsi(LPCWSTR text);
int BaseWideToAnsiBuffer(LPCWSTR text, int length, LPSTR buffer, int size);

/* Console handles (file.c). */
BOOL BaseIsConsoleHandle(HANDLE handle);

/* The command line in the ANSI code page (init.c). */
extern LPSTR BaseAnsiCommandLine;

#endif
