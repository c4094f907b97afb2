/* msvcrt's entry point, its per-thread data (errno, strtok's position, gmtime's buffer...)
   in a TLS slot, and the numbered process locks. */
#include "crt.h"

static DWORD TidDataIndex = TLS_OUT_OF_INDEXES;
static _tiddata FallbackData; /* before TLS, or when a thread's allocation fails */
static CRITICAL_SECTION Locks[_TOTAL_LOCKS];
int _crt_exiting;

_ptiddata _getptd(void) {
    if (TidDataIndex == TLS_OUT_OF_INDEXES) return &FallbackData;
    DWORD error = GetLastError();
    _ptiddata data = TlsGetValue(TidDataIndex);
    if (!data) {
        data = HeapAlloc(_CRT_HEAP, HEAP_ZERO_MEMORY, sizeof(*data));
        if (!data || !TlsSetValue(TidDataIndex, data)) data = &FallbackData;
        else data->holdrand = 1;
    }
    SetLastError(error);
    return data;
}

void _freeptd(void) {
    if (TidDataIndex == TLS_OUT_OF_INDEXES) return;
    _ptiddata data = TlsGetValue(TidDataIndex);
    if (data && data != &FallbackData) {
        TlsSetValue(TidDataIndex, NULL);
        HeapFree(_CRT_HEAP, 0, data);
    }
}

int *__cdecl _errno(void) { return &_getptd()->terrno; }
unsigned long *__cdecl __doserrno(void) { return &_getptd()->tdoserrno; }
errno_t __cdecl _get_errno(int *value) {
    *value = errno;
    return 0;
}
errno_t __cdecl _set_errno(int value) {
    errno = value;
    return 0;
}
errno_t __cdecl _get_doserrno(unsigned long *value) {
    *value = _doserrno;
    return 0;
}
errno_t __cdecl _set_doserrno(unsigned long value) {
    _doserrno = value;
    return 0;
}

void __cdecl _lock(int which) {
    if (which >= 0 && which < _TOTAL_LOCKS) EnterCriticalSection(&Locks[which]);
}

void __cdecl _unlock(int which) {
    if (which >= 0 && which < _TOTAL_LOCKS) LeaveCriticalSection(&Locks[which]);
}

BOOL WINAPI _CRT_INIT(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        FallbackData.holdrand = 1;
        for (int i = 0; i < _TOTAL_LOCKS; i++) InitializeCriticalSection(&Locks[i]);
        TidDataIndex = TlsAlloc();
        _crt_init_fds();
        _crt_init_streams();
        _crt_init_environment();
        break;
    case DLL_THREAD_DETACH:
        _freeptd();
        break;
    case DLL_PROCESS_DETACH:
        /* Process exit without exit(): what is buffered still reaches its file. */
        if (reserved) _crt_flush_on_exit();
        _freeptd();
        break;
    }
    return TRUE;
}

/* The compiler references this symbol from any code that uses floating point. */
int _fltused = 0x9875;
