/* Synchronisation objects and waits. Critical sections, SRW locks and condition variables
   are ntdll's: the plain ones are forwarded in kernel32.def, the ones here differ in their
   results. */
#include "k32.h"

void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION cs) { RtlInitializeCriticalSection(cs); }

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs, DWORD spin) {
    return NT_SUCCESS(RtlInitializeCriticalSectionAndSpinCount(cs, spin));
}

BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION cs, DWORD spin, DWORD flags) {
    return NT_SUCCESS(RtlInitializeCriticalSectionEx(cs, spin, flags));
}

BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE cv, PCRITICAL_SECTION cs, DWORD milliseconds) {
    LARGE_INTEGER t;
    NTSTATUS status = RtlSleepConditionVariableCS(cv, cs, BaseFormatTimeout(&t, milliseconds));
    if (status != STATUS_SUCCESS) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE cv, PSRWLOCK lock, DWORD milliseconds, ULONG flags) {
    LARGE_INTEGER t;
    NTSTATUS status = RtlSleepConditionVariableSRW(cv, lock, BaseFormatTimeout(&t, milliseconds), flags);
    if (status != STATUS_SUCCESS) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

void WINAPI InitOnceInitialize(PINIT_ONCE once) { once->Ptr = NULL; }

typedef struct {
    PINIT_ONCE_FN function;
    PVOID parameter;
} ONCE_CALL;

static ULONG NTAPI OnceTrampoline(PRTL_RUN_ONCE once, PVOID parameter, PVOID *context) {
    ONCE_CALL *call = parameter;
    return call->function(once, call->parameter, context) ? 1 : 0;
}

BOOL WINAPI InitOnceExecuteOnce(PINIT_ONCE once, PINIT_ONCE_FN function, PVOID parameter, LPVOID *context) {
    ONCE_CALL call = {function, parameter};
    return NT_SUCCESS(RtlRunOnceExecuteOnce(once, (PVOID)OnceTrampoline, &call, context));
}

/* ---- Kernel objects ---- */

static HANDLE Created(NTSTATUS status, HANDLE handle) {
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    SetLastError(status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return handle;
}

/* Object attributes carrying a name, for !handle (names are not shared between objects). */
static POBJECT_ATTRIBUTES Named(POBJECT_ATTRIBUTES attributes, PUNICODE_STRING name, LPCWSTR text) {
    if (!text) return NULL;
    RtlInitUnicodeString(name, text);
    InitializeObjectAttributes(attributes, name, 0, NULL, NULL);
    return attributes;
}

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCWSTR name) {
    (void)sa;
    OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING u;
    HANDLE h = NULL;
    NTSTATUS status = NtCreateEvent(&h, 0x1F0003, Named(&attributes, &u, name),
        manual ? NotificationEvent : SynchronizationEvent, (BOOLEAN)(initial != 0));
    return Created(status, h);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name) {
    PWSTR wide = BaseAnsiToWide(name);
    HANDLE h = CreateEventW(sa, manual, initial, wide);
    if (wide) RtlFreeHeap(BaseHeap(), 0, wide);
    return h;
}

HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES sa, LPCWSTR name, DWORD flags, DWORD access) {
    (void)access;
    return CreateEventW(sa, (flags & CREATE_EVENT_MANUAL_RESET) != 0, (flags & CREATE_EVENT_INITIAL_SET) != 0, name);
}

HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES sa, LPCSTR name, DWORD flags, DWORD access) {
    (void)access;
    return CreateEventA(sa, (flags & CREATE_EVENT_MANUAL_RESET) != 0, (flags & CREATE_EVENT_INITIAL_SET) != 0, name);
}

static BOOL Result(NTSTATUS status) {
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetEvent(HANDLE h) { return Result(NtSetEvent(h, NULL)); }
BOOL WINAPI ResetEvent(HANDLE h) { return Result(NtResetEvent(h, NULL)); }
BOOL WINAPI PulseEvent(HANDLE h) { return Result(NtPulseEvent(h, NULL)); }

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES sa, BOOL owner, LPCWSTR name) {
    (void)sa;
    OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING u;
    HANDLE h = NULL;
    NTSTATUS status = NtCreateMutant(&h, 0x1F0001, Named(&attributes, &u, name), (BOOLEAN)(owner != 0));
    return Created(status, h);
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES sa, BOOL owner, LPCSTR name) {
    PWSTR wide = BaseAnsiToWide(name);
    HANDLE h = CreateMutexW(sa, owner, wide);
    if (wide) RtlFreeHeap(BaseHeap(), 0, wide);
    return h;
}

BOOL WINAPI ReleaseMutex(HANDLE h) { return Result(NtReleaseMutant(h, NULL)); }

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCWSTR name) {
    (void)sa;
    OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING u;
    HANDLE h = NULL;
    NTSTATUS status = NtCreateSemaphore(&h, 0x1F0003, Named(&attributes, &u, name), initial, maximum);
    return Created(status, h);
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES sa, LONG initial, LONG maximum, LPCSTR name) {
    PWSTR wide = BaseAnsiToWide(name);
    HANDLE h = CreateSemaphoreW(sa, initial, maximum, wide);
    if (wide) RtlFreeHeap(BaseHeap(), 0, wide);
    return h;
}

BOOL WINAPI ReleaseSemaphore(HANDLE h, LONG count, LPLONG previous) {
    return Result(NtReleaseSemaphore(h, count, previous));
}

/* An NT wait status as a Win32 wait result. */
static DWORD WaitResult(NTSTATUS status) {
    if (status == STATUS_TIMEOUT) return WAIT_TIMEOUT;
    if (status == STATUS_USER_APC || status == STATUS_ALERTED) return WAIT_IO_COMPLETION;
    if (status >= STATUS_WAIT_0 && status <= STATUS_WAIT_63) return (DWORD)status;
    if (status >= STATUS_ABANDONED_WAIT_0 && status <= STATUS_ABANDONED_WAIT_63) return (DWORD)status;
    BaseSetLastNTError(status);
    return WAIT_FAILED;
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE h, DWORD milliseconds, BOOL alertable) {
    LARGE_INTEGER t;
    return WaitResult(NtWaitForSingleObject(h, (BOOLEAN)(alertable != 0), BaseFormatTimeout(&t, milliseconds)));
}

DWORD WINAPI WaitForSingleObject(HANDLE h, DWORD milliseconds) { return WaitForSingleObjectEx(h, milliseconds, FALSE); }

DWORD WINAPI WaitForMultipleObjectsEx(DWORD count, const HANDLE *handles, BOOL all, DWORD milliseconds, BOOL alertable) {
    if (!count || count > MAXIMUM_WAIT_OBJECTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    LARGE_INTEGER t;
    return WaitResult(NtWaitForMultipleObjects(count, (PHANDLE)handles, all ? WaitAll : WaitAny,
        (BOOLEAN)(alertable != 0), BaseFormatTimeout(&t, milliseconds)));
}

DWORD WINAPI WaitForMultipleObjects(DWORD count, const HANDLE *handles, BOOL all, DWORD milliseconds) {
    return WaitForMultipleObjectsEx(count, handles, all, milliseconds, FALSE);
}

DWORD WINAPI SleepEx(DWORD milliseconds, BOOL alertable) {
    LARGE_INTEGER t;
    if (milliseconds == INFINITE) t.QuadPart = (LONGLONG)0x8000000000000000ull;
    else t.QuadPart = -(LONGLONG)milliseconds * 10000;
    NTSTATUS status = NtDelayExecution((BOOLEAN)(alertable != 0), &t);
    return status == STATUS_USER_APC || status == STATUS_ALERTED ? WAIT_IO_COMPLETION : 0;
}

void WINAPI Sleep(DWORD milliseconds) { SleepEx(milliseconds, FALSE); }

BOOL WINAPI SwitchToThread(void) { return NtYieldExecution() == STATUS_SUCCESS; }

BOOL WINAPI CloseHandle(HANDLE h) { return Result(NtClose(h)); }

BOOL WINAPI DuplicateHandle(HANDLE sourceProcess, HANDLE source, HANDLE targetProcess, LPHANDLE target,
    DWORD access, BOOL inherit, DWORD options) {
    return Result(NtDuplicateObject(sourceProcess, source, targetProcess, target, access, inherit ? 2 : 0, options));
}

BOOL WINAPI GetHandleInformation(HANDLE h, LPDWORD flags) {
    (void)h;
    *flags = 0;
    return TRUE;
}

BOOL WINAPI SetHandleInformation(HANDLE h, DWORD mask, DWORD flags) {
    (void)h;
    (void)mask;
    (void)flags;
    return TRUE;
}
