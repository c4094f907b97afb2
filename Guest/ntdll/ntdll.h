/* Declarations shared by the files of ntdll. */
#ifndef XCDB_NTDLL_INTERNAL_H
#define XCDB_NTDLL_INTERNAL_H

#include <winternl.h>

/* C library functions ntdll exports (as Windows' ntdll does) and uses itself. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t wcslen(const wchar_t *s);
int strcmp(const char *a, const char *b);
int _stricmp(const char *a, const char *b);
int _wcsicmp(const wchar_t *a, const wchar_t *b);
char *strrchr(const char *s, int c);
char *strchr(const char *s, int c);
wchar_t *wcschr(const wchar_t *s, wchar_t c);
int strncmp(const char *a, const char *b, size_t n);
int _vsnprintf(char *buffer, size_t count, const char *format, __builtin_va_list args);

/* Loader (ldr.c). */
extern RTL_CRITICAL_SECTION LdrpLoaderLock;
extern PVOID Kernel32ThreadInitThunkFunction;
PLDR_DATA_TABLE_ENTRY LdrpFindEntryByBase(PVOID base);
PLDR_DATA_TABLE_ENTRY LdrpFindEntryByName(PCWSTR name, SIZE_T length);
PVOID LdrpFindExport(PVOID base, const char *name, ULONG ordinal, int depth);
void LdrpCallThreadCallouts(ULONG reason);

/* Threads (thread.c). */
void LdrpRegisterThread(PTEB teb);
void LdrpUnregisterThread(PTEB teb);
void RtlpForEachThread(void (*visit)(PTEB teb, void *context), void *context);

/* Heap (heap.c). */
void RtlpInitializeProcessHeap(void);

/* TLS (tls.c). */
void RtlpInitializeTls(void);
void RtlpFreeThreadTls(PTEB teb);

/* Exceptions (except.c). */
DECLSPEC_NORETURN void RtlpUnhandledException(PEXCEPTION_RECORD record, PCONTEXT context);
DECLSPEC_NORETURN void RtlpRaiseStatusWithContext(NTSTATUS status);

/* Critical sections (critsec.c). */
void RtlpInitializeCriticalSections(void);

/* A spin lock for the short internal lists: interlocked exchange, yielding while taken. */
static __inline void RtlpAcquireSpinLock(volatile LONG *lock) {
    while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) != 0) NtYieldExecution();
}
static __inline void RtlpReleaseSpinLock(volatile LONG *lock) {
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

static __inline ULONG_PTR RtlpCurrentThreadId(void) {
    return (ULONG_PTR)NtCurrentTeb()->ClientId.UniqueThread;
}

#define RtlpProcessHeap() (NtCurrentPeb()->ProcessHeap)

#endif
